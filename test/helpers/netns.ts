// Separate hosts for tests, on this machine: a network namespace each, joined to this one by a veth pair
// (10.231.N.1 here, 10.231.N.2 there). Nothing leaves the machine; `remove` deletes them (and their links).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

export interface NetnsHost {
  netns: string;
  /** Its address, inside its namespace. */
  address: string;
  /** This side's address on the link to it: what its packets come from, seen from there, and go to. */
  gateway: string;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

export function createNetnsHosts(count: number): { hosts: NetnsHost[]; remove(): void } {
  const tag = `lw${process.pid % 100_000}`;
  const hosts: NetnsHost[] = [];
  const remove = () => {
    for (const h of hosts) {
      try {
        ip('netns', 'del', h.netns);
      } catch {
        // Gone already.
      }
    }
  };
  try {
    for (let i = 1; i <= count; i++) {
      const netns = `${tag}n${i}`;
      const [outside, inside] = [`${tag}h${i}`, `${tag}p${i}`];
      const host = { netns, address: `10.231.${i}.2`, gateway: `10.231.${i}.1` };
      ip('netns', 'add', netns);
      hosts.push(host);
      ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
      ip('link', 'set', inside, 'netns', netns);
      ip('addr', 'add', `${host.gateway}/24`, 'dev', outside);
      ip('link', 'set', outside, 'up');
      ip('netns', 'exec', netns, 'ip', 'addr', 'add', `${host.address}/24`, 'dev', inside);
      ip('netns', 'exec', netns, 'ip', 'link', 'set', inside, 'up');
      ip('netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up');
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { hosts, remove };
}

/** Runs a Node.js script inside a host's namespace (a sender there), to its end (never blocking this process). */
export async function runIn(host: NetnsHost, script: string): Promise<void> {
  await promisify(execFile)('ip', ['netns', 'exec', host.netns, process.execPath, '-e', script]);
}
