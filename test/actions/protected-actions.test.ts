// What an action may act on, end to end with real child processes: protected values are refused before any process
// starts; approvals, undo and the ttl run the argv that was confirmed, whatever the incident says by then; resolved
// incidents run nothing; a crash mid-command keeps the undo and its ttl.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { addIncident as addIncidentTo } from '../helpers/add-incident.js';
import { createFakeCommands } from '../helpers/fake-commands.js';
import { type RunningLogwarden, startLogwarden } from '../helpers/start-logwarden.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const HOUR = 3_600_000;

// A resolver for the names the tests use: one name points at loopback, one does not resolve.
async function resolveHost(name: string): Promise<string[]> {
  if (name === 'evil.example') return ['203.0.113.9', '127.0.0.1'];
  if (name === 'nx.example') throw new Error('ENOTFOUND nx.example');
  return ['203.0.113.80'];
}

function setup() {
  const dir = tempDir();
  const log = join(dir, 'auth.log');
  writeFileSync(log, '');
  const fakes = createFakeCommands(dir, [
    'block',
    'unblock',
    'block-net',
    'lock',
    'unlock',
    'drop-host',
    'slowblock',
    'treeblock',
  ]);
  const loaded = parseConfig(
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(log)} }]
rules:
  - id: targets
    source: auth
    pattern: 'target (?<ip>\\S+) (?<net>\\S+) (?<user>\\S+) (?<host>\\S+)'
    fields: { ip: ip, net: cidr, user: user, host: host }
    actions: [block-ip, block-net, lock-user, drop-host]
  - id: app-login
    source: auth
    pattern: 'login failed for (?<user>\\S+) from (?<ip>\\S+)'
    fields: { user: user, ip: ip }
    threshold: { count: 1, by: [ip] }
    actions: [lock-user, lock-user-ttl, slow-block, tree-block]
actions:
  - { id: block-ip, command: [block, '{ip}'], undo: [unblock, '{ip}'] }
  - { id: block-net, command: [block-net, '{net}'] }
  - { id: lock-user, command: [lock, '{user}'], undo: [unlock, '{user}'], approvals: 2 }
  - { id: lock-user-ttl, command: [lock, '{user}'], undo: [unlock, '{user}'], ttl: 1h }
  - { id: slow-block, command: [slowblock, '{ip}'], undo: [unblock, '{ip}'], ttl: 1h, timeout: 10m }
  - { id: drop-host, command: [drop-host, '{host}'] }
  - { id: tree-block, command: [treeblock, '{ip}'], undo: [unblock, '{ip}'], ttl: 1h, timeout: 10m }
protect:
  ips: [10.9.0.0/24, 2001:db8:99::/48]
  users: [deploy]
  hosts: [bastion.example.com]
commands: { env: [PATH], shutdownGrace: 300ms }
`,
    'protected.yml',
  );
  let now = Date.UTC(2026, 10, 24, 12);
  const clock = () => now;
  const open: RunningLogwarden[] = [];
  return {
    fakes,
    log,
    advance: (ms: number) => {
      now += ms;
    },
    start: async () => {
      const running = await startLogwarden(loaded, { clock, env: fakes.env, resolveHost });
      open.push(running);
      return running;
    },
    stopAll: async () => {
      for (const r of open.splice(0)) await r.stop();
    },
    addIncident: (store: SqliteStore, fields: Record<string, string>, rule = 'targets') =>
      addIncidentTo(store, rule, fields, now),
  };
}

const ownAddresses = Object.values(networkInterfaces())
  .flat()
  .map((a) => a!.address.replace(/%.*$/, ''));
const resolvers = [...readFileSync('/etc/resolv.conf', 'utf8').matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) =>
  m[1]!.replace(/%.*$/, ''),
);
const systemAccounts = readFileSync('/etc/passwd', 'utf8')
  .split('\n')
  .map((line) => line.split(':'))
  .filter((f) => f.length > 2 && Number(f[2]) < 1000 && /[A-Za-z]/.test(f[0]!))
  .map((f) => f[0]!);

const PROTECTED: [action: string, field: string, value: string][] = [
  ...[
    '127.0.0.1',
    '127.0.0.53',
    '127.255.255.254',
    '0.0.0.0',
    '0.1.2.3',
    '::',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:35',
    '::127.0.0.1',
    '169.254.169.254',
    '169.254.0.1',
    'fe80::1',
    'FE80::abcd',
    '224.0.0.1',
    '239.255.255.250',
    'ff02::1',
    'ff05::2',
    '255.255.255.255',
    '240.0.0.1',
    '10.9.0.5',
    '::ffff:10.9.0.200',
    '2001:db8:99::7',
    ...ownAddresses,
    ...resolvers,
  ].map((v): [string, string, string] => ['block-ip', 'ip', v]),
  ...[
    '0.0.0.0/0',
    '::/0',
    '10.0.0.0/8',
    '203.0.113.0/15',
    '2001:db8::/16',
    '127.0.0.0/8',
    '127.0.0.53/32',
    '169.254.169.254/32',
    '10.9.0.0/16',
    '10.9.0.128/25',
    '2001:db8:99:1::/64',
    '::ffff:0.0.0.0/96',
    'fe80::/64',
    '224.0.0.0/24',
  ].map((v): [string, string, string] => ['block-net', 'net', v]),
  ...['root', 'deploy', ...systemAccounts].map((v): [string, string, string] => ['lock-user', 'user', v]),
  ...[
    'localhost',
    'LOCALHOST.',
    'db.localhost',
    hostname(),
    hostname().split('.')[0]!,
    'bastion.example.com',
    'Bastion.Example.Com.',
    '127.0.0.1',
    '::1',
    '169.254.169.254',
  ].map((v): [string, string, string] => ['drop-host', 'host', v]),
];

const FIELDS_OK = { ip: '203.0.113.7', net: '198.51.100.0/24', user: 'mallory', host: 'web3.example.com' };

describe('protected targets', () => {
  it(`refuses ${PROTECTED.length} protected values before any process starts, and says why`, async () => {
    expect(PROTECTED.length).toBeGreaterThanOrEqual(60);
    const t = setup();
    const { app, store } = await t.start();
    for (const [actionId, field, value] of PROTECTED) {
      const id = await t.addIncident(store, { ...FIELDS_OK, [field]: value });
      const reply = await app.respond({ incidentId: id, actionId, attempt: 1, actor: 'U0ALICE' });
      expect(reply, `${actionId} ${value}`).toMatch(/^.+ was refused: .+ is protected: .+\. Nothing was run\.$/);
      expect(await store.actionRuns.readFor(id, actionId, 1), `${actionId} ${value}`).toBeUndefined();
    }
    expect(t.fakes.calls()).toEqual([]);
    const audited = (await store.audit.readAll()).filter((r) => r.action === 'action:protected');
    expect(audited).toHaveLength(PROTECTED.length);
    expect(JSON.parse(audited[0]!.dataJson)).toMatchObject({
      action: 'block-ip',
      reason: expect.stringMatching(/loopback/),
    });
    await t.stopAll();
  }, 60_000);

  it('runs the same actions on values nobody protects', async () => {
    const t = setup();
    const { app, store } = await t.start();
    const id = await t.addIncident(store, FIELDS_OK);
    for (const actionId of ['block-ip', 'block-net', 'drop-host']) {
      expect(await app.respond({ incidentId: id, actionId, attempt: 1, actor: 'U0ALICE' })).toBeUndefined();
    }
    expect(t.fakes.calls().map((c) => [c.name, c.args])).toEqual([
      ['block', ['203.0.113.7']],
      ['block-net', ['198.51.100.0/24']],
      ['drop-host', ['web3.example.com']],
    ]);
    await t.stopAll();
  });

  it.each([
    ['evil.example', 'drop-host: evil.example resolves to 127.0.0.1, which is protected: loopback.'],
    [
      'nx.example',
      'drop-host: nx.example does not resolve (ENOTFOUND nx.example), so it cannot be checked against the protected targets.',
    ],
  ])('checks the host name %s by what it resolves to, right before running', async (host, reply) => {
    const t = setup();
    const { app, store } = await t.start();
    const id = await t.addIncident(store, { ...FIELDS_OK, host });
    expect(await app.respond({ incidentId: id, actionId: 'drop-host', attempt: 1, actor: 'U0ALICE' })).toBe(reply);
    expect(await store.actionRuns.readFor(id, 'drop-host', 1)).toMatchObject({ state: 'refused' });
    expect(t.fakes.calls()).toEqual([]);
    await t.stopAll();
  });

  it.each([
    ['block-ip', 'ip', 'fe80::1%eth0'],
    ['block-ip', 'ip', 'fe80::1%-oProxy'],
    ['drop-host', 'host', '0x7f000001'],
    ['drop-host', 'host', '2130706433'],
    ['drop-host', 'host', '0177.0.0.1'],
    ['drop-host', 'host', '127.1'],
    ['lock-user', 'user', '0'],
    ['lock-user', 'user', '65534'],
    ['block-net', 'net', 'fe80::%eth0/64'],
  ])('%s refuses %s %s by its type', async (actionId, field, value) => {
    const t = setup();
    const { app, store } = await t.start();
    const id = await t.addIncident(store, { ...FIELDS_OK, [field]: value });
    expect(await app.respond({ incidentId: id, actionId, attempt: 1, actor: 'U0ALICE' })).toMatch(
      new RegExp(`^${actionId}: ${field} is not .+, so the command was not run\\.$`),
    );
    expect(t.fakes.calls()).toEqual([]);
    await t.stopAll();
  });
});

describe('the argv that was confirmed', () => {
  const line = (user: string) => `Nov 24 12:00:00 web1 app: login failed for ${user} from 203.0.113.9\n`;

  it('an approval runs what was requested, not what a later line put in the incident', async () => {
    const t = setup();
    const { app, store } = await t.start();
    appendFileSync(t.log, line('bob'));
    await expect.poll(async () => (await store.incidents.readAll())[0]?.fields.user).toBe('bob');
    const id = (await store.incidents.readAll())[0]!.id;
    expect(await app.respond({ incidentId: id, actionId: 'lock-user', attempt: 1, actor: 'U0ALICE' })).toMatch(
      /needs a second person/,
    );
    appendFileSync(t.log, line('admin'));
    await expect.poll(async () => (await store.incidents.read(id))?.incident.fields.user).toBe('admin');
    expect(await app.respond({ incidentId: id, actionId: 'lock-user', attempt: 1, actor: 'U0LEAD' })).toBeUndefined();
    expect(t.fakes.calls().map((c) => [c.name, c.args])).toEqual([['lock', ['bob']]]);
    expect(await store.actionRuns.readFor(id, 'lock-user', 1)).toMatchObject({
      state: 'succeeded',
      plan: { argv: ['lock', 'bob'], undo: ['unlock', 'bob'], values: { user: 'bob' } },
    });
    await t.stopAll();
  });

  it('the ttl undoes what ran, not what a later line names', async () => {
    const t = setup();
    const { app, store } = await t.start();
    appendFileSync(t.log, line('bob'));
    await expect.poll(async () => (await store.incidents.readAll())[0]?.fields.user).toBe('bob');
    const id = (await store.incidents.readAll())[0]!.id;
    await app.respond({ incidentId: id, actionId: 'lock-user-ttl', attempt: 1, actor: 'U0ALICE' });
    appendFileSync(t.log, line('carol'));
    await expect.poll(async () => (await store.incidents.read(id))?.incident.fields.user).toBe('carol');
    t.advance(2 * HOUR);
    await app.undoDue();
    expect(t.fakes.calls().map((c) => [c.name, c.args])).toEqual([
      ['lock', ['bob']],
      ['unlock', ['bob']],
    ]);
    await t.stopAll();
  });

  it('refuses actions on a resolved incident; its undo stays', async () => {
    const t = setup();
    const { app, store } = await t.start();
    const id = await t.addIncident(store, FIELDS_OK);
    await app.respond({ incidentId: id, actionId: 'block-ip', attempt: 1, actor: 'U0ALICE' });
    await store.incidents.decide('resolve', id, 'U0ALICE', Date.UTC(2026, 10, 24, 12));
    expect(await app.respond({ incidentId: id, actionId: 'block-net', attempt: 1, actor: 'U0ALICE' })).toBe(
      `Incident #${id} is resolved: block-net is not run on it. Undo stays available.`,
    );
    expect(await app.respond({ incidentId: id, actionId: 'block-ip', attempt: 2, actor: 'U0ALICE' })).toMatch(
      /is resolved: block-ip is not run on it/,
    );
    expect(await app.undo({ incidentId: id, actionId: 'block-ip', attempt: 1, actor: 'U0ALICE' })).toBeUndefined();
    expect(t.fakes.calls().map((c) => [c.name, c.args])).toEqual([
      ['block', ['203.0.113.7']],
      ['unblock', ['203.0.113.7']],
    ]);
    expect(
      (await store.audit.readAll()).some(
        (r) => r.action === 'action:refused' && r.dataJson.includes('incident resolved'),
      ),
    ).toBe(true);
    await t.stopAll();
  });

  it('a crash while the command ran keeps its undo and ttl, marked outcome unknown', async () => {
    const t = setup();
    const first = await t.start();
    appendFileSync(t.log, line('bob'));
    await expect.poll(async () => (await first.store.incidents.readAll())[0]?.fields.user).toBe('bob');
    const id = (await first.store.incidents.readAll())[0]!.id;
    // The claim (with what was confirmed) is committed, then the process dies before the command's result is.
    await first.store.actionRuns.claim(
      {
        incidentId: id,
        actionId: 'slow-block',
        attempt: 1,
        actor: 'U0ALICE',
        approvals: 1,
        plan: {
          argv: ['slowblock', '203.0.113.9'],
          undo: ['unblock', '203.0.113.9'],
          values: { ip: '203.0.113.9' },
          ttl: HOUR,
        },
      },
      0,
    );
    await t.stopAll();
    const second = await t.start();
    expect(await second.store.actionRuns.readFor(id, 'slow-block', 1)).toMatchObject({
      state: 'interrupted',
      detail: expect.stringMatching(/outcome is unknown/),
      undoState: 'available',
      undoAt: Date.UTC(2026, 10, 24, 13),
    });
    t.advance(2 * HOUR);
    await second.app.undoDue();
    expect(t.fakes.calls().map((c) => [c.name, c.args])).toEqual([['unblock', ['203.0.113.9']]]);
    await t.stopAll();
  });
});

describe('stopping while a command runs', () => {
  // A killed process lingers as a zombie until something reaps it: it counts as ended.
  const alive = (pid: number) => {
    try {
      return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };

  it('gives it the grace, then ends it and its children; the run is interrupted and keeps its undo and ttl', async () => {
    const t = setup();
    const { app, store } = await t.start();
    appendFileSync(t.log, 'Nov 24 12:00:00 web1 app: login failed for bob from 203.0.113.9\n');
    await expect.poll(async () => (await store.incidents.readAll()).length).toBe(1);
    const id = (await store.incidents.readAll())[0]!.id;
    const reply = app.respond({ incidentId: id, actionId: 'tree-block', attempt: 1, actor: 'U0ALICE' });
    const pidsFile = join(t.fakes.bin, 'pids.jsonl');
    await expect.poll(() => (existsSync(pidsFile) ? readFileSync(pidsFile, 'utf8') : '')).not.toBe('');
    const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[];
    expect(pids.map(alive)).toEqual([true, true]);
    const started = performance.now();
    await app.stop();
    // The grace (300 ms), then SIGTERM to the group and SIGKILL to what ignored it.
    expect(performance.now() - started).toBeLessThan(5000);
    await expect.poll(() => pids.map(alive), { timeout: 2000 }).toEqual([false, false]);
    expect(await reply).toBeUndefined();
    expect(await store.actionRuns.readFor(id, 'tree-block', 1)).toMatchObject({
      state: 'interrupted',
      detail: 'logwarden was stopping: killed after a 300 ms grace; its outcome is unknown',
      undoState: 'available',
      undoAt: Date.UTC(2026, 10, 24, 13),
    });
    await t.stopAll();
  });
});
