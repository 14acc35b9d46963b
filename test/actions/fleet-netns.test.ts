// A fleet of two hosts that are hosts of their own: each in a network namespace with its own address (10.231.N.2),
// running Debian's sshd, and sending its sshd lines to logwarden over syslog TCP from that address. An attack seen
// on web-a is blocked on web-a (and only there); a line web-a sends naming web-b picks no host; the fleet's own
// addresses are never blocked anywhere.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { IncidentEvent } from '../../src/core/types.js';
import { freePort } from '../helpers/free-port.js';
import { createNetnsHosts, type NetnsHost, runIn } from '../helpers/netns.js';
import { startSshHosts } from '../helpers/ssh-hosts.js';
import { startLogwarden } from '../helpers/start-logwarden.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** What a host's rsyslog would forward: one sshd line over TCP from its own address, naming `named` as the host. */
function sendFrom(host: NetnsHost, port: number, named: string, ip: string): Promise<void> {
  const line = `<38>1 2026-12-04T05:00:00Z ${named} sshd 7 - - Failed password for root from ${ip} port 22 ssh2\n`;
  return runIn(
    host,
    `const s = require('node:net').connect(${port}, ${JSON.stringify(host.gateway)}, () => s.end(${JSON.stringify(line)}));`,
  );
}

describe('fleet hosts in network namespaces', () => {
  it('blocks on the host the attack came from, by its own address; a forged host name and a fleet address run nothing', async () => {
    const dir = tempDir();
    const netns = createNetnsHosts(2);
    cleanup.push(() => netns.remove());
    const [a, b] = netns.hosts as [NetnsHost, NetnsHost];
    const ssh = await startSshHosts(dir, [
      { name: 'web-a', netns: a.netns, address: a.address },
      { name: 'web-b', netns: b.netns, address: b.address },
    ]);
    cleanup.push(() => ssh.stop());
    const port = await freePort();
    const rec = JSON.stringify(ssh.recorder);
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources:
  - id: net
    type: syslog
    listen: ["tcp://${a.gateway}:${port}", "tcp://${b.gateway}:${port}"]
    allow: [10.231.0.0/16]
rules:
  - { use: sshd, source: net, threshold: { count: 1, by: [ip, host] }, actions: [block-origin, block-everywhere] }
fleet:
  ssh: { user: root, key: ${JSON.stringify(ssh.key)}, knownHosts: ${JSON.stringify(ssh.knownHosts)}, connectTimeout: 5s }
  hosts:
    - { name: web-a, address: ${a.address} }
    - { name: web-b, address: ${b.address} }
actions:
  - { id: block-origin, target: origin, command: [${rec}, add, '{ip}'] }
  - { id: block-everywhere, target: all, approvals: 1, command: [${rec}, add, '{ip}'] }
`,
      'netns.yml',
    );
    const events: IncidentEvent[] = [];
    const lw = await startLogwarden(loaded, { clock: () => Date.now(), onEvent: (e) => events.push(e) });
    cleanup.push(() => lw.stop());
    const opened = () => events.filter((e) => e.event === 'opened').map((e) => e.incident);
    const click = (incidentId: number, actionId: string) =>
      lw.app.respond({ incidentId, actionId, attempt: 1, actor: 'U0ALICE' });

    // web-a's own attack: blocked on web-a only, over ssh to its own address.
    await sendFrom(a, port, 'web-a', '203.0.113.21');
    await expect.poll(() => opened().length).toBe(1);
    const own = opened()[0]!;
    expect(own.fields).toMatchObject({ host: 'web-a', '@sender': a.address });
    await click(own.id, 'block-origin');
    expect(ssh.calls()).toEqual(['web-a [add] [203.0.113.21]']);

    // web-a writing web-b's name: counted as web-a's claim, never as web-b's own lines.
    await sendFrom(a, port, 'web-b', '203.0.113.22');
    await expect.poll(() => opened().length).toBe(2);
    const forged = opened()[1]!;
    await click(forged.id, 'block-origin');
    const refused = await lw.store.actionRuns.readFor(forged.id, 'block-origin', 1);
    expect(forged.fields.host).toBe(`web-b (sent by ${a.address})`);
    expect(refused?.detail).toBe(`web-b (sent by ${a.address}) is not a host of the fleet (fleet.hosts)`);

    // Everywhere, as asked; but never one of the fleet's own addresses.
    await click(forged.id, 'block-everywhere');
    expect(ssh.calls().slice(1).sort()).toEqual(['web-a [add] [203.0.113.22]', 'web-b [add] [203.0.113.22]']);
    await sendFrom(b, port, 'web-b', a.address);
    await expect.poll(() => opened().length).toBe(3);
    expect(await click(opened()[2]!.id, 'block-everywhere')).toMatch(/a fleet host \(web-a\)/);
    expect(ssh.calls()).toHaveLength(3);
  }, 60_000);
});
