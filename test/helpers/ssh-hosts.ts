// Fleet hosts for tests: one real OpenSSH sshd per host on loopback (its own port and host key, Debian's
// openssh-server), a client key and a pinned known_hosts, and a recorder executable that writes each call's host and
// arguments (one [bracketed] word each) to a file — in place of nft and usermod on the target.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { freePort } from './free-port.js';

export interface SshHost {
  name: string;
  port: number;
  /** Where its sshd listens: 127.0.0.1, or its own address inside its network namespace. */
  address: string;
}

/** A host to start: a name on loopback, or one in a network namespace of its own with its address there. */
export type SshHostSpec = string | { name: string; netns: string; address: string };

export interface SshHosts {
  hosts: SshHost[];
  key: string;
  knownHosts: string;
  /** The recorder's path on every host. */
  recorder: string;
  /** What the recorder was called with: "web1 [add] [element] …" per call. */
  calls(): string[];
  /** Takes one host down (its sshd stopped) or brings it back on the same port. */
  down(name: string): Promise<void>;
  up(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startSshHosts(dir: string, specs: readonly SshHostSpec[]): Promise<SshHosts> {
  const names = specs.map((s) => (typeof s === 'string' ? s : s.name));
  const specOf = (name: string) => specs.find((s) => (typeof s === 'string' ? s : s.name) === name)!;
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const key = join(dir, 'client_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${key}.pub`), { mode: 0o600 });
  const record = join(dir, 'record.txt');
  writeFileSync(record, '');
  const recorder = join(dir, 'recorder');
  writeFileSync(
    recorder,
    `#!/bin/sh\n{ printf '%s' "$LW_HOST"; for a in "$@"; do printf ' [%s]' "$a"; done; printf '\\n'; } >> ${record}\n`,
  );
  chmodSync(recorder, 0o755);
  const knownHosts: string[] = [];
  const running = new Map<string, ChildProcess>();
  const configs = new Map<string, string>();
  const hosts: SshHost[] = [];
  const up = async (name: string) => {
    const spec = specOf(name);
    const sshd = ['/usr/sbin/sshd', '-D', '-e', '-f', configs.get(name)!];
    const [file, ...args] = typeof spec === 'string' ? sshd : ['ip', 'netns', 'exec', spec.netns, ...sshd];
    const child = spawn(file!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    running.set(name, child);
    const { port, address } = hosts.find((h) => h.name === name)!;
    await expect.poll(() => accepts(address, port), { timeout: 10_000 }).toBe(true);
  };
  const down = async (name: string) => {
    const child = running.get(name);
    running.delete(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  for (const name of names) {
    const spec = specOf(name);
    const address = typeof spec === 'string' ? '127.0.0.1' : spec.address;
    // A host of its own network namespace has port 22 to itself.
    const port = typeof spec === 'string' ? await freePort() : 22;
    const hostKey = join(dir, `${name}_host_ed25519`);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    const config = join(dir, `${name}_sshd_config`);
    writeFileSync(
      config,
      [
        `Port ${port}`,
        `ListenAddress ${address}`,
        `HostKey ${hostKey}`,
        `AuthorizedKeysFile ${authorized}`,
        `PidFile ${join(dir, `${name}.pid`)}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'UsePAM no',
        'StrictModes no',
        // The recorder tells the hosts apart by this.
        `SetEnv LW_HOST=${name}`,
        'LogLevel ERROR',
        '',
      ].join('\n'),
    );
    configs.set(name, config);
    const pinned = port === 22 ? address : `[${address}]:${port}`;
    knownHosts.push(`${pinned} ${readFileSync(`${hostKey}.pub`, 'utf8').trim()}`);
    hosts.push({ name, port, address });
  }
  for (const name of names) await up(name);
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, `${knownHosts.join('\n')}\n`);
  return {
    hosts,
    key,
    knownHosts: knownHostsFile,
    recorder,
    calls: () => readFileSync(record, 'utf8').split('\n').filter(Boolean),
    down,
    up,
    async stop() {
      for (const name of [...running.keys()]) await down(name);
    },
  };
}

function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
