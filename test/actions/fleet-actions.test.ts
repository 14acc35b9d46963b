// Response actions on fleet hosts, end to end with real parts: one OpenSSH sshd per host on loopback (Debian's
// openssh-server), the real ssh client and ansible-playbook (Debian's ansible-core) running the shipped playbooks,
// a real SQLite store, and a recorder executable on the hosts in place of nft and usermod.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/actions/confirmed-values.js';
import { confirmedOf, shellQuote } from '../../src/actions/fleet/fleet.js';
import { parseConfig } from '../../src/config/load.js';
import { addIncident } from '../helpers/add-incident.js';
import { HOSTILE_CAPTURES } from '../helpers/hostile-text.js';
import { type SshHosts, startSshHosts } from '../helpers/ssh-hosts.js';
import { type RunningLogwarden, startLogwarden } from '../helpers/start-logwarden.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const open: { hosts?: SshHosts; running: RunningLogwarden[] } = { running: [] };

afterEach(async () => {
  for (const r of open.running.splice(0)) await r.stop();
  await open.hosts?.stop();
  open.hosts = undefined;
});

async function setup(options: { withDb?: boolean } = {}) {
  const dir = tempDir();
  const ssh = await startSshHosts(dir, ['web1', 'web2', 'web3']);
  open.hosts = ssh;
  const port = (name: string) => ssh.hosts.find((h) => h.name === name)!.port;
  const rec = JSON.stringify(ssh.recorder);
  const loaded = parseConfig(
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(join(dir, 'auth.log'))} }]
rules:
  - id: ssh-fail
    source: auth
    pattern: 'Failed password for (?<user>\\S+) from (?<ip>\\S+) port'
    fields: { user: user, ip: ip }
    actions: [block-everywhere, block-web, lock-everywhere]
  - id: per-host
    source: auth
    pattern: '(?<host>\\S+) sshd: Failed password from (?<ip>\\S+)'
    fields: { host: host, ip: ip }
    actions: [block-origin]
fleet:
  ssh: { user: root, key: ${JSON.stringify(ssh.key)}, knownHosts: ${JSON.stringify(ssh.knownHosts)}, connectTimeout: 5s }
  hosts:
    - { name: web1, address: 127.0.0.1, port: ${port('web1')}, groups: [web], vars: { logwarden_sudo: [${rec}] } }
    - { name: web2, address: 127.0.0.1, port: ${port('web2')}, groups: [web], protect: [198.51.100.0/24], vars: { logwarden_sudo: [${rec}] } }
    - { name: web3, address: 127.0.0.1, port: ${port('web3')}, vars: { logwarden_sudo: [${rec}] } }
${options.withDb ? '    - { name: db1, address: 192.0.2.10, groups: [db] }\n' : ''}actions:
  - id: block-everywhere
    target: all
    approvals: 1
    command: [${rec}, add, element, inet, logwarden, blocklist, '{ {ip} }']
    undo: [${rec}, delete, element, inet, logwarden, blocklist, '{ {ip} }']
    ttl: 1h
    timeout: 20s
  - id: block-origin
    target: origin
    command: [${rec}, add, '{ip}']
    undo: [${rec}, delete, '{ip}']
  - { id: block-web, target: { group: web }, via: ansible, preset: nftables-block-ip, ttl: 1h, timeout: 60s }
  - { id: lock-everywhere, target: all, via: ansible, preset: lock-user, timeout: 60s }
commands: { env: [PATH] }
`,
    'fleet.yml',
  );
  let now = Date.UTC(2026, 10, 24, 12);
  const running = await startLogwarden(loaded, { clock: () => now, env: process.env });
  open.running.push(running);
  return {
    ssh,
    running,
    store: running.store,
    app: running.app,
    advance: (ms: number) => {
      now += ms;
    },
    add: (fields: Record<string, string>, rule = 'ssh-fail') => addIncident(running.store, rule, fields, now),
  };
}

const stateOf = (run: { hosts?: { host: string; state: string }[] } | undefined) =>
  Object.fromEntries((run?.hosts ?? []).map((h) => [h.host, h.state]));

describe('fleet actions over ssh', () => {
  it('blocks on every host it reaches, once each; a retry runs only the host that was down; undo reaches each', async () => {
    const t = await setup();
    await t.ssh.down('web3');
    const id = await t.add({ ip: '203.0.113.7', user: 'alice' });
    await t.app.respond({ incidentId: id, actionId: 'block-everywhere', attempt: 1, actor: 'U0ALICE' });
    const run = await t.store.actionRuns.readFor(id, 'block-everywhere', 1);
    expect(stateOf(run)).toEqual({ web1: 'succeeded', web2: 'succeeded', web3: 'failed' });
    expect(run?.state).toBe('failed');
    expect(run?.hosts?.find((h) => h.host === 'web3')?.detail).toBe('unreachable (ssh exit 255)');
    // The value with spaces arrives as one argument: quoted for the remote shell.
    expect(t.ssh.calls().sort()).toEqual([
      'web1 [add] [element] [inet] [logwarden] [blocklist] [{ 203.0.113.7 }]',
      'web2 [add] [element] [inet] [logwarden] [blocklist] [{ 203.0.113.7 }]',
    ]);

    // The click delivered again runs nothing more.
    await t.app.respond({ incidentId: id, actionId: 'block-everywhere', attempt: 1, actor: 'U0BOB' });
    expect(t.ssh.calls()).toHaveLength(2);

    // web3 comes back: Retry runs it there only, as it was confirmed.
    await t.ssh.up('web3');
    const fingerprint = fingerprintOf(confirmedOf(run!.plan!.values, run!.plan!.targets));
    const stale = await t.app.respond({
      incidentId: id,
      actionId: 'block-everywhere',
      attempt: 1,
      actor: 'U0ALICE',
      confirmed: { mode: 'retry', fingerprint: 'not-what-ran' },
    });
    expect(stale).toMatch(/not the one the message you clicked showed/);
    await t.app.respond({
      incidentId: id,
      actionId: 'block-everywhere',
      attempt: 1,
      actor: 'U0ALICE',
      confirmed: { mode: 'retry', fingerprint },
    });
    const retried = await t.store.actionRuns.readFor(id, 'block-everywhere', 1);
    expect(stateOf(retried)).toMatchObject({ web1: 'succeeded', web2: 'succeeded', web3: 'succeeded' });
    expect(retried?.hosts?.find((h) => h.host === 'web3')?.tries).toBe(2);
    expect(t.ssh.calls().filter((c) => c.startsWith('web3'))).toEqual([
      'web3 [add] [element] [inet] [logwarden] [blocklist] [{ 203.0.113.7 }]',
    ]);
    expect(t.ssh.calls().filter((c) => c.startsWith('web1'))).toHaveLength(1);

    // Undo by a click: on each host where it ran, once.
    await t.app.undo({ incidentId: id, actionId: 'block-everywhere', attempt: 1, actor: 'U0ALICE' });
    const undone = await t.store.actionRuns.readFor(id, 'block-everywhere', 1);
    expect(Object.fromEntries((undone?.hosts ?? []).map((h) => [h.host, h.undoState ?? 'none']))).toEqual({
      web1: 'done',
      web2: 'done',
      web3: 'done',
    });
    expect(
      t.ssh
        .calls()
        .filter((c) => c.includes('[delete]'))
        .sort(),
    ).toEqual([
      'web1 [delete] [element] [inet] [logwarden] [blocklist] [{ 203.0.113.7 }]',
      'web2 [delete] [element] [inet] [logwarden] [blocklist] [{ 203.0.113.7 }]',
      'web3 [delete] [element] [inet] [logwarden] [blocklist] [{ 203.0.113.7 }]',
    ]);
    await t.app.undo({ incidentId: id, actionId: 'block-everywhere', attempt: 1, actor: 'U0BOB' });
    expect(t.ssh.calls().filter((c) => c.includes('[delete]'))).toHaveLength(3);
  }, 60_000);

  it('undoes each host when its own ttl passes, and refuses a value protected on one host there only', async () => {
    const t = await setup();
    await t.ssh.down('web3');
    const id = await t.add({ ip: '198.51.100.9', user: 'alice' });
    await t.app.respond({ incidentId: id, actionId: 'block-everywhere', attempt: 1, actor: 'U0ALICE' });
    const run = await t.store.actionRuns.readFor(id, 'block-everywhere', 1);
    expect(stateOf(run)).toMatchObject({ web1: 'succeeded', web2: 'refused', web3: 'failed' });
    expect(run?.hosts?.find((h) => h.host === 'web2')?.detail).toMatch(/protect of fleet host web2/);
    await t.ssh.up('web3');
    t.advance(30 * 60_000);
    await t.app.respond({
      incidentId: id,
      actionId: 'block-everywhere',
      attempt: 1,
      actor: 'U0ALICE',
      confirmed: { mode: 'retry', fingerprint: fingerprintOf(confirmedOf(run!.plan!.values, run!.plan!.targets)) },
    });
    // web2 is refused again; web3 ran half an hour after web1, so its ttl ends half an hour later.
    expect(t.ssh.calls().filter((c) => c.startsWith('web2'))).toEqual([]);
    t.advance(31 * 60_000);
    await t.app.undoDue();
    expect(t.ssh.calls().filter((c) => c.includes('[delete]'))).toEqual([
      'web1 [delete] [element] [inet] [logwarden] [blocklist] [{ 198.51.100.9 }]',
    ]);
    t.advance(30 * 60_000);
    await t.app.undoDue();
    await t.app.undoDue();
    expect(t.ssh.calls().filter((c) => c.includes('[delete]'))).toEqual([
      'web1 [delete] [element] [inet] [logwarden] [blocklist] [{ 198.51.100.9 }]',
      'web3 [delete] [element] [inet] [logwarden] [blocklist] [{ 198.51.100.9 }]',
    ]);
  }, 60_000);

  it('acts on the host the incident came from, only when it is a fleet host, and never on a fleet address', async () => {
    // db1's address is not on loopback: nothing may connect to it, and nothing does (the block is refused first).
    const t = await setup({ withDb: true });
    const id = await t.add({ host: 'WEB2', ip: '203.0.113.8' }, 'per-host');
    await t.app.respond({ incidentId: id, actionId: 'block-origin', attempt: 1, actor: 'U0ALICE' });
    expect(t.ssh.calls()).toEqual(['web2 [add] [203.0.113.8]']);

    const forged = await t.add({ host: 'evil.example', ip: '203.0.113.9' }, 'per-host');
    await t.app.respond({ incidentId: forged, actionId: 'block-origin', attempt: 1, actor: 'U0ALICE' });
    expect((await t.store.actionRuns.readFor(forged, 'block-origin', 1))?.detail).toMatch(
      /evil.example is not a host of the fleet/,
    );

    const fleetAddress = await t.add({ ip: '192.0.2.10', user: 'alice' });
    const reply = await t.app.respond({
      incidentId: fleetAddress,
      actionId: 'block-everywhere',
      attempt: 1,
      actor: 'U0ALICE',
    });
    expect(reply).toMatch(/a fleet host \(db1\)/);
    expect(t.ssh.calls()).toHaveLength(1);
  }, 60_000);
});

describe('fleet actions through ansible-playbook', () => {
  it('runs the shipped playbook on the group, its values as single arguments, and undoes it', async () => {
    const t = await setup();
    const id = await t.add({ ip: '2001:db8::7', user: 'alice' });
    await t.app.respond({ incidentId: id, actionId: 'block-web', attempt: 1, actor: 'U0ALICE' });
    const run = await t.store.actionRuns.readFor(id, 'block-web', 1);
    expect(stateOf(run)).toEqual({ web1: 'succeeded', web2: 'succeeded' });
    expect(run?.plan?.argv.slice(2)).toEqual([
      '--extra-vars',
      JSON.stringify({ logwarden_firewall: 'nftables', state: 'present', ip: { __ansible_unsafe: '2001:db8::7' } }),
    ]);
    expect(t.ssh.calls().sort()).toEqual([
      'web1 [/usr/sbin/nft] [add] [element] [inet] [logwarden] [blocklist] [{ 2001:db8::7 }]',
      'web2 [/usr/sbin/nft] [add] [element] [inet] [logwarden] [blocklist] [{ 2001:db8::7 }]',
    ]);
    await t.app.undo({ incidentId: id, actionId: 'block-web', attempt: 1, actor: 'U0ALICE' });
    expect(
      t.ssh
        .calls()
        .filter((c) => c.includes('[delete]'))
        .sort(),
    ).toEqual([
      'web1 [/usr/sbin/nft] [delete] [element] [inet] [logwarden] [blocklist] [{ 2001:db8::7 }]',
      'web2 [/usr/sbin/nft] [delete] [element] [inet] [logwarden] [blocklist] [{ 2001:db8::7 }]',
    ]);
  }, 120_000);

  it('takes two people to act on every host, and tells a host it cannot reach', async () => {
    const t = await setup();
    await t.ssh.down('web3');
    const id = await t.add({ ip: '203.0.113.7', user: 'alice$' });
    expect(await t.app.respond({ incidentId: id, actionId: 'lock-everywhere', attempt: 1, actor: 'U0ALICE' })).toMatch(
      /needs a second person/,
    );
    expect(t.ssh.calls()).toEqual([]);
    await t.app.respond({ incidentId: id, actionId: 'lock-everywhere', attempt: 1, actor: 'U0BOB' });
    const run = await t.store.actionRuns.readFor(id, 'lock-everywhere', 1);
    expect(run?.approvedBy).toBe('U0BOB');
    expect(stateOf(run)).toEqual({ web1: 'succeeded', web2: 'succeeded', web3: 'failed' });
    expect(run?.hosts?.find((h) => h.host === 'web3')?.detail).toBe('unreachable (ansible-playbook exit 4)');
    expect(t.ssh.calls().sort()).toEqual([
      'web1 [/usr/sbin/usermod] [-L] [alice$]',
      'web2 [/usr/sbin/usermod] [-L] [alice$]',
    ]);
  }, 120_000);
});

describe('shellQuote', () => {
  it('keeps every hostile value one word through a real sh', () => {
    for (const value of [...HOSTILE_CAPTURES, "it's", '$(id)', '`id`', 'a b', '', '-n', '\\', '*']) {
      if (value.includes('\0')) continue;
      const out = execFileSync('sh', ['-c', `printf '[%s]' ${shellQuote(value)}`], { encoding: 'utf8' });
      expect(out).toBe(`[${value}]`);
    }
  });
});
