// Fleet actions as a config declares them and a message shows them: the problems a config is told (with the path and
// the fix), the defaults (two approvals for every host), the hosts a target names whatever a log line says, the argv
// that reaches a host, and the Slack message of a run that failed on one host.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/actions/confirmed-values.js';
import {
  confirmedOf,
  createSenderStamp,
  hostOutcomeOf,
  hostsToRetry,
  inventoryOf,
  resolveTarget,
  sshArgv,
  targetHostsOf,
} from '../../src/actions/fleet/fleet.js';
import { checkFleetOnHost, renderCheckSummary } from '../../src/cli/check.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigInvalidError } from '../../src/core/errors.js';
import type { ActionRun, Incident } from '../../src/core/types.js';
import { renderIncidentMessage } from '../../src/notify/slack/render-incident.js';

const FLEET = `fleet:
  ssh: { key: /etc/logwarden/key, knownHosts: /etc/logwarden/known_hosts }
  hosts:
    - { name: web1, address: 10.0.0.11, groups: [web] }
    - { name: web2, address: 10.0.0.12, port: 2222, groups: [web] }
    - { name: db1, address: 10.0.0.21, groups: [db], vars: { logwarden_firewall: iptables } }
`;

function load(actions: string, fleet = FLEET) {
  return parseConfig(
    `sources: [{ id: auth, path: /var/log/auth.log }]
rules:
  - id: per-host
    source: auth
    pattern: '(?<host>\\S+) sshd: Failed password from (?<ip>\\S+)'
    fields: { host: host, ip: ip }
${fleet}actions:
${actions}`,
    'fleet.yml',
  );
}

function problemsOf(actions: string, fleet = FLEET): string[] {
  try {
    load(actions, fleet);
  } catch (error) {
    if (error instanceof ConfigInvalidError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('fleet actions in the config', () => {
  it('takes two approvals to act on every host unless told, one elsewhere', () => {
    const { actions } = load(`  - { id: all, preset: nftables-block-ip, target: all }
  - { id: all-one, preset: nftables-block-ip, target: all, approvals: 1 }
  - { id: here, preset: nftables-block-ip, target: origin }
  - { id: web, preset: lock-user, target: { group: web }, via: ansible }
  - { id: local, preset: nftables-block-ip }
`);
    expect(Object.fromEntries([...actions].map(([id, a]) => [id, a.approvals]))).toEqual({
      all: 2,
      'all-one': 1,
      here: 1,
      web: 1,
      local: 1,
    });
    expect(actions.get('all')?.target).toMatchObject({ kind: 'hosts', hosts: ['web1', 'web2', 'db1'] });
    expect(actions.get('web')?.target).toMatchObject({ kind: 'hosts', hosts: ['web1', 'web2'] });
    // The shipped playbook, run again with state=absent to undo.
    const web = actions.get('web')!;
    expect(web.ansible?.playbook).toMatch(/playbooks\/lock-user\.yml$/);
    expect(existsSync(web.ansible!.playbook)).toBe(true);
    expect(web.ansible?.undoPlaybook).toBe(web.ansible?.playbook);
    expect(web.fields).toEqual(['user']);
    expect(actions.get('local')?.target).toBeUndefined();
  });

  it('names the path and the fix of every mistake', () => {
    expect(problemsOf('  - { id: a, preset: nftables-block-ip, target: all }\n', '')).toEqual([
      'actions[0].target: needs a fleet: add fleet: {ssh: {key, knownHosts}, hosts: [...]} (README: Watching many hosts).',
    ]);
    expect(problemsOf('  - { id: a, preset: nftables-block-ip, target: { group: dbs } }\n')).toEqual([
      'actions[0].target: no fleet host is in group "dbs". Groups: web, db. Add groups: [dbs] to a host under fleet.hosts, or name another group.',
    ]);
    expect(problemsOf('  - { id: a, command: [/bin/true], target: all, via: ansible, playbook: /p.yml }\n')).toEqual([
      'actions[0].command: is for a local or via: ssh action; via: ansible runs playbook: (or the preset’s). Remove it.',
    ]);
    expect(problemsOf('  - { id: a, target: all, via: ansible }\n')).toEqual([
      'actions[0].playbook: is required with via: ansible: give a playbook path, or a preset: like nftables-block-ip.',
    ]);
    expect(problemsOf("  - { id: a, target: all, via: ansible, playbook: /p.yml, vars: { ip: 'x {ip}' } }\n")).toEqual([
      'actions[0].vars.ip: must be one {field} and nothing else, like "{ip}": a typed value, passed to the playbook as it is.',
    ]);
    expect(problemsOf('  - { id: a, preset: lock-user, playbook: /p.yml }\n')).toEqual([
      'actions[0].playbook: is for an action with target: and via: ansible. Add them, or remove it.',
    ]);
    expect(problemsOf('  - { id: a, preset: lock-user, target: all, playbook: /p.yml }\n')).toEqual([
      'actions[0].playbook: is for via: ansible. Set via: ansible or remove it.',
    ]);
    expect(
      problemsOf('  - { id: a, preset: lock-user, target: all }\n', FLEET.replace('web1,', "'web 1',")).join('\n'),
    ).toMatch(/fleet\.hosts\.0\.name|fleet\.hosts\[0\]\.name/);
  });
});

describe('where a fleet action runs', () => {
  const { fleet } = load('  - { id: a, preset: lock-user, target: origin }\n').config;
  const origin = resolveTarget('origin', fleet!);

  const at = (fields: Record<string, string>, source = 'auth') => ({ fields, source });

  it('acts on the host an incident names only when the fleet lists it', () => {
    if (!origin.ok) throw new Error(origin.reason);
    expect(targetHostsOf(origin.target, at({ host: 'WEB2.' }))).toEqual({ ok: true, hosts: ['web2'] });
    expect(targetHostsOf(origin.target, at({ host: 'web2.attacker.example' }))).toEqual({
      ok: false,
      reason: 'web2.attacker.example is not a host of the fleet (fleet.hosts)',
    });
    expect(targetHostsOf(origin.target, at({ ip: '203.0.113.7' }))).toMatchObject({ ok: false });
    // Over the network, only for lines web2 itself sent: another sender naming web2 picks no host.
    expect(targetHostsOf(origin.target, at({ host: 'web2', '@sender': '10.0.0.12' }))).toEqual({
      ok: true,
      hosts: ['web2'],
    });
    // An IPv4 sender on a dual-stack listener is the IPv4 address.
    expect(targetHostsOf(origin.target, at({ host: 'web2', '@sender': '::ffff:10.0.0.12' }))).toMatchObject({
      ok: true,
    });
    expect(targetHostsOf(origin.target, at({ host: 'web2', '@sender': '10.0.0.11' }))).toEqual({
      ok: false,
      reason:
        "its lines naming web2 came from 10.0.0.11, which is not web2's (10.0.0.12; list a relay under its senders:)",
    });
  });

  it('runs ssh with no config file, no prompt, the pinned keys only, and each remote argument one word', () => {
    const argv = sshArgv(fleet!.ssh, fleet!.hosts[1]!, ['sudo', '-n', '/usr/sbin/nft', 'add', '{ 203.0.113.7 }']);
    expect(argv.slice(0, 4)).toEqual(['ssh', '-F', '/dev/null', '-T']);
    for (const option of [
      'BatchMode=yes',
      'StrictHostKeyChecking=yes',
      'UserKnownHostsFile=/etc/logwarden/known_hosts',
      'GlobalKnownHostsFile=/dev/null',
      'IdentitiesOnly=yes',
    ]) {
      expect(argv[argv.indexOf(option) - 1]).toBe('-o');
    }
    expect(argv.slice(argv.indexOf('--'))).toEqual([
      '--',
      '10.0.0.12',
      'sudo',
      '-n',
      '/usr/sbin/nft',
      'add',
      "'{ 203.0.113.7 }'",
    ]);
    expect(argv[argv.indexOf('-p') + 1]).toBe('2222');
    expect(argv[argv.indexOf('-l') + 1]).toBe('logwarden');
  });

  it('writes an inventory of the hosts, their groups and variables', () => {
    const inventory = inventoryOf(fleet!) as {
      all: { hosts: Record<string, Record<string, unknown>>; children: Record<string, unknown> };
    };
    expect(inventory.all.hosts.db1).toEqual({
      ansible_host: '10.0.0.21',
      ansible_port: 22,
      logwarden_firewall: 'iptables',
    });
    expect(inventory.all.children).toEqual({
      web: { hosts: { web1: null, web2: null } },
      db: { hosts: { db1: null } },
    });
  });
});

describe('a fleet run on its message', () => {
  const incident: Incident = {
    id: 7,
    rule: 'per-host',
    severity: 'high',
    title: 'SSH brute force',
    key: {},
    fields: { ip: '203.0.113.7', host: 'web2' },
    count: 5,
    firstSeen: 0,
    lastSeen: 0,
    source: 'fleet',
    sample: [],
    status: 'open',
  };
  const plan = {
    argv: ['sudo', '-n', '/usr/sbin/nft'],
    values: { ip: '203.0.113.7' },
    targets: ['web1', 'web2', 'web3'],
  };
  const run: ActionRun = {
    id: 1,
    incidentId: 7,
    actionId: 'block-all',
    attempt: 1,
    state: 'failed',
    requestedBy: 'U0ALICE',
    requestedAt: 0,
    plan,
    argv: plan.argv,
    hosts: [
      { host: 'web1', state: 'succeeded', tries: 1, undoState: 'available' },
      { host: 'web2', state: 'succeeded', tries: 1, undoState: 'available' },
      { host: 'web3', state: 'failed', tries: 1, detail: 'unreachable (ssh exit 255)' },
    ],
    undoState: 'available',
  };
  const button = { id: 'block-all', label: 'Block everywhere', approvals: 2, fields: ['ip'] };

  it('says where it ran and offers Retry on the failed host and Undo where it ran', () => {
    const message = renderIncidentMessage(incident, { actions: [run] }, [
      { ...button, target: { kind: 'hosts', label: 'every host', hosts: ['web1', 'web2', 'web3'] } },
    ]);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('done on 2/3 hosts; web3: unreachable (ssh exit 255)');
    const elements = (
      message.blocks as { type: string; block_id?: string; elements?: Record<string, unknown>[] }[]
    ).find((b) => b.block_id === 'actions:7')!.elements!;
    const retry = elements.find((e) => (e.text as { text: string }).text.startsWith('Retry'))!;
    expect(retry.value).toBe(`7:1:t:${fingerprintOf(confirmedOf(plan.values, plan.targets))}`);
    expect(JSON.stringify(retry.confirm)).toContain('again on web3');
    expect(elements.map((e) => (e.text as { text: string }).text)).toEqual([
      'Run again: Block everywhere',
      'Retry: Block everywhere on 1 host',
      'Undo: Block everywhere on 2 hosts',
    ]);
  });

  it('asks to run on the hosts it names, and its button confirms them', () => {
    const origin = {
      kind: 'origin' as const,
      label: 'the host it came from',
      hosts: ['web1', 'web2'],
      senders: { web1: ['10.0.0.11'], web2: ['10.0.0.12'] },
      networkSources: [],
    };
    const message = renderIncidentMessage(incident, {}, [{ ...button, approvals: 1, target: origin }]);
    const elements = (message.blocks as { block_id?: string; elements?: Record<string, unknown>[] }[]).find(
      (b) => b.block_id === 'actions:7',
    )!.elements!;
    expect(JSON.stringify(elements[0]!.confirm)).toContain('On web2.');
    expect(elements[0]!.value).toBe(`7:1:r:${fingerprintOf(confirmedOf({ ip: '203.0.113.7' }, ['web2']))}`);
    const forged = renderIncidentMessage({ ...incident, fields: { ...incident.fields, host: 'evil' } }, {}, [
      { ...button, approvals: 1, target: origin },
    ]);
    expect(JSON.stringify(forged.blocks)).toContain('On no fleet host.');
  });
});

describe('how a command on a host ended', () => {
  const result = (exitCode: number | undefined, output = '', more: Record<string, unknown> = {}) => ({
    ...(exitCode === undefined ? {} : { exitCode }),
    output,
    ...more,
  });
  it('retries only where it did not run, and keeps the undo where it may have', () => {
    expect(hostOutcomeOf('ssh', result(0))).toEqual({ state: 'succeeded' });
    expect(hostOutcomeOf('ssh', result(255, 'ssh: connect to host 10.0.0.13 port 22: Connection refused'))).toEqual({
      state: 'failed',
      detail: 'unreachable (ssh exit 255)',
    });
    expect(hostOutcomeOf('ssh', result(255, 'Host key verification failed.')).detail).toMatch(/may be an attack/);
    // Cut off after it connected: the command may have run.
    expect(hostOutcomeOf('ssh', result(255, 'client_loop: send disconnect: Broken pipe')).state).toBe('interrupted');
    expect(hostOutcomeOf('ssh', result(undefined, '', { timedOut: true, detail: 'timed out after 30000 ms' }))).toEqual(
      {
        state: 'interrupted',
        detail: 'timed out after 30000 ms: whether it took effect there is unknown',
      },
    );
    expect(hostOutcomeOf('ansible', result(4, 'fatal: [web3]: UNREACHABLE! => {}')).detail).toBe(
      'unreachable (ansible-playbook exit 4)',
    );
    expect(hostOutcomeOf('ansible', result(4, 'ERROR! the playbook could not be read')).detail).toBe(
      'ansible-playbook exit 4 (see its output)',
    );
    expect(hostOutcomeOf('ssh', result(1)).state).toBe('failed');
  });
});

describe('what Retry runs', () => {
  const base: ActionRun = {
    id: 1,
    incidentId: 1,
    actionId: 'a',
    attempt: 1,
    state: 'interrupted',
    requestedBy: 'U1',
    requestedAt: 0,
    plan: { argv: ['x'], values: {}, targets: ['web1', 'web2', 'web3', 'web4'] },
  };
  it('takes the hosts that failed and those a restart never reached, never one where it ran or may have', () => {
    const run: ActionRun = {
      ...base,
      hosts: [
        { host: 'web1', state: 'succeeded', tries: 1 },
        { host: 'web2', state: 'interrupted', tries: 1 },
        { host: 'web3', state: 'failed', tries: 1 },
      ],
    };
    expect(hostsToRetry(run)).toEqual(['web3', 'web4']);
    expect(hostsToRetry({ ...run, state: 'running' })).toEqual([]);
  });
});

describe('logwarden check with a fleet', () => {
  it('says where each fleet action runs, and what this machine lacks for it', () => {
    const loaded = load(`  - { id: everywhere, preset: nftables-block-ip, target: all }
  - { id: web, preset: lock-user, target: { group: web }, via: ansible }
`);
    const summary = renderCheckSummary(loaded, [], Date.UTC(2026, 11, 4));
    expect(summary).toContain('    where:  every host (web1, web2, db1), over ssh');
    expect(summary).toContain('    where:  group web (web1, web2), over ansible');
    expect(checkFleetOnHost(loaded, { PATH: '/nonexistent' })).toEqual([
      'fleet.ssh: /etc/logwarden/key cannot be read by this user; every fleet action will fail until it can',
      'fleet.ssh: /etc/logwarden/known_hosts cannot be read by this user; every fleet action will fail until it can',
      'fleet: ssh is not on PATH (apt install openssh-client, or ansible-core)',
      'fleet: ansible-playbook is not on PATH (apt install openssh-client, or ansible-core)',
    ]);
  });
});

describe('the sender a network line carries', () => {
  it('stamps every match, and a fleet host named by another sender is that sender’s claim', () => {
    const { config } = load('  - { id: a, preset: lock-user, target: origin }\n');
    const stamp = createSenderStamp(config.fleet);
    const own = { host: 'web2', ip: '203.0.113.7' };
    stamp(own, '10.0.0.12');
    expect(own).toEqual({ host: 'web2', ip: '203.0.113.7', '@sender': '10.0.0.12' });
    const forged: Record<string, string> = { host: 'WEB2', ip: '203.0.113.7' };
    stamp(forged, '10.0.0.11');
    expect(forged.host).toBe('WEB2 (sent by 10.0.0.11)');
    const other: Record<string, string> = { host: 'laptop', user: 'bob' };
    stamp(other, '10.0.0.11');
    expect(other).toEqual({ host: 'laptop', user: 'bob', '@sender': '10.0.0.11' });
    // An incident of a network source that records no sender (a detector's) is acted on nowhere.
    const networked = resolveTarget('origin', config.fleet!, ['fleet']);
    if (!networked.ok) throw new Error(networked.reason);
    expect(targetHostsOf(networked.target, { fields: { host: 'web2' }, source: 'fleet' })).toMatchObject({ ok: false });
    expect(targetHostsOf(networked.target, { fields: { host: 'web2' }, source: 'auth' })).toMatchObject({ ok: true });
  });
});
