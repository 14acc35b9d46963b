// Response actions end to end: a click through the real Bolt app (Socket Mode) runs a real executable, exactly once,
// only for people in the action's roles, and what happened shows on the message, in the thread and in the audit log.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/actions/confirmed-values.js';
import { confirmedOf } from '../../src/actions/fleet/fleet.js';
import { formatSyslogTime } from '../../src/sandbox/attack-generator.js';
import { createFakeCommands } from '../helpers/fake-commands.js';
import { startSlackSetup } from '../helpers/slack-setup.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

/** A run button's value: incident 1, the attempt, a request (r) or approval (a), of the values its dialog showed. */
const run = (attempt: number, mode: 'r' | 'a', values: Record<string, string>) =>
  `1:${attempt}:${mode}:${fingerprintOf(values)}`;
const IP = { ip: '203.0.113.7' };
const BOB = { user: 'bob' };
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const RULES = `rules:
  - id: ssh-fail
    source: auth
    pattern: 'Failed password for (?<user>\\S+) from (?<ip>\\S+) port'
    fields: { user: user, ip: ip }
    threshold: { count: 1 }
    actions: [block-ip, lock-user, broken, slow]
`;
const ACTIONS = `actions:
  - id: block-ip
    label: Block IP
    command: [block, '{ip}']
    undo: [unblock, '{ip}']
    verify: [check, '{ip}']
    ttl: 1h
    confirm: 'Block {ip} at the firewall?'
    roles: [responders, leads]
  - { id: lock-user, preset: lock-user, approvals: 2, roles: [responders, leads] }
  - { id: broken, command: [fail-hard, '{ip}'], roles: [responders] }
  - { id: slow, command: [slow-cmd], timeout: 300ms, roles: [responders] }
commands: { env: [PATH] }
`;

async function setup(options: { user?: string } = {}) {
  const dir = tempDir();
  const fakes = createFakeCommands(dir, ['block', 'unblock', 'check', 'sudo', 'fail-hard', 'slow-cmd']);
  const s = await startSlackSetup(dir, cleanup, { rules: RULES, extra: ACTIONS, env: fakes.env, ...options });
  const threads = () =>
    s.slack
      .callsOf('chat.postMessage')
      .filter((c) => c.params.thread_ts)
      .map((c) => String(c.params.text));
  const message = () => JSON.stringify(s.slack.callsOf('chat.update').at(-1)?.params.blocks ?? '');
  const replies = () => s.slack.callsOf('/respond').map((c) => String(c.params.text));
  return { ...s, fakes, threads, message, replies };
}

describe('response actions through Slack', () => {
  it('offers each action as a button with its confirm dialog, filled from typed captures', async () => {
    const { slack } = await setup();
    const blocks = JSON.stringify(slack.callsOf('chat.postMessage')[0]!.params.blocks);
    expect(blocks).toContain('"action_id":"action:block-ip","text":{"type":"plain_text","text":"Block IP"');
    // A request (r) of attempt 1, with the fingerprint of the values its dialog shows.
    expect(blocks).toContain(`"value":"${run(1, 'r', IP)}"`);
    expect(blocks).toContain('Block 203.0.113.7 at the firewall? It runs now (incident #1).');
    expect(blocks).toContain('"text":"Lock user"');
  });

  it('runs the command once with the capture as one argv element, verifies it, and reports it', async () => {
    const { slack, click, fakes, threads, message, audit, store } = await setup();
    await slack.send('interactive', click('U0ALICE', 'action:block-ip', run(1, 'r', IP)));
    await expect.poll(() => threads().join('\n')).toContain('ran *Block IP*');
    expect(fakes.calls().map((c) => [c.name, c.args])).toEqual([
      ['block', ['203.0.113.7']],
      ['check', ['203.0.113.7']],
    ]);
    // The environment is the allowlist: PATH, and not the Slack token logwarden holds.
    expect(fakes.calls()[0]!.env).toEqual(['PATH']);
    const note = threads().find((t) => t.includes('ran *Block IP*'))!;
    expect(note).toContain('<@U0ALICE> ran *Block IP*: `block 203.0.113.7` → exit 0 in ');
    expect(note).toContain('· verified · undo at <!date^');
    expect(note).toMatch(/output sha256 `[0-9a-f]{16}`/);
    expect(note).toContain('block done: 203.0.113.7');
    await expect.poll(message).toContain(':white_check_mark: *Block IP* `block 203.0.113.7` — <@U0ALICE>, exit 0');
    expect(message()).toContain('"action_id":"undo:block-ip"');
    expect(message()).toContain('"text":"Run again: Block IP"');
    const row = audit().find((a) => a.action === 'action:succeeded')!;
    expect(row.actor).toBe('U0ALICE');
    expect(JSON.parse(row.data_json)).toMatchObject({ argv: ['block', '203.0.113.7'], exitCode: 0, verified: true });
    expect(JSON.parse(row.data_json).outputHash).toMatch(/^[0-9a-f]{64}$/);
    const ts = (await store.messages.read('slack', 1))!.at.ts!;
    expect(JSON.parse(row.data_json).slack).toEqual({
      channel: 'C0SECURITY',
      ts,
      permalink: `https://test.slack.com/archives/C0SECURITY/p${ts.replace('.', '')}`,
    });
  });

  it('runs once when the click is delivered twice and when two people click at the same moment', async () => {
    const { slack, click, fakes, replies, threads } = await setup();
    const first = click('U0ALICE', 'action:block-ip', run(1, 'r', IP));
    await Promise.all([
      slack.send('interactive', first, 'envelope-1'),
      slack.send('interactive', first, 'envelope-1'),
      slack.send('interactive', click('U0LEAD', 'action:block-ip', run(1, 'r', IP))),
    ]);
    await expect.poll(() => threads().some((t) => t.includes('ran *Block IP*'))).toBe(true);
    await expect.poll(() => replies().length).toBeGreaterThanOrEqual(1);
    expect(fakes.calls().filter((c) => c.name === 'block')).toHaveLength(1);
    expect(replies().join('\n')).toMatch(/Block IP (is already running|was already run for this incident)/);
    // Running it again takes the explicit Run again button (the next attempt), and runs exactly once more.
    await slack.send('interactive', click('U0LEAD', 'action:block-ip', run(2, 'r', IP)));
    await slack.send('interactive', click('U0LEAD', 'action:block-ip', run(2, 'r', IP)));
    await expect.poll(() => fakes.calls().filter((c) => c.name === 'block').length).toBe(2);
    await expect.poll(() => threads().filter((t) => t.includes('ran *Block IP*')).length).toBe(2);
    expect(fakes.calls().filter((c) => c.name === 'block')).toHaveLength(2);
  });

  it('refuses and audits a click by someone outside the action’s roles; nothing runs', async () => {
    const { slack, click, fakes, replies, audit } = await setup();
    await slack.send('interactive', click('U0WEB', 'action:block-ip', run(1, 'r', IP)));
    await expect
      .poll(replies)
      .toEqual([
        'You are not allowed to run Block IP. Ask whoever runs logwarden to add you to one of these roles: responders, leads.',
      ]);
    expect(fakes.calls()).toEqual([]);
    const refused = audit().find((a) => a.action === 'action:refused')!;
    expect(refused.actor).toBe('U0WEB');
    expect(JSON.parse(refused.data_json)).toMatchObject({ action: 'block-ip', reason: 'not in its roles' });
  });

  it('shows an action on a protected value as refused, with why, instead of its button; a click runs nothing', async () => {
    const { slack, click, fakes, replies, audit } = await setup({ user: 'root' });
    const blocks = JSON.stringify(slack.callsOf('chat.postMessage')[0]!.params.blocks);
    expect(blocks).toContain(':shield: Lock user is not offered: root is protected: uid 0 (root)');
    expect(blocks).not.toContain('"action_id":"action:lock-user"');
    expect(blocks).toContain('"action_id":"action:block-ip"');
    // A stale message (or a forged click) still runs nothing.
    await slack.send('interactive', click('U0ALICE', 'action:lock-user', run(1, 'r', { user: 'root' })));
    await expect.poll(replies).toEqual(['Lock user was refused: root is protected: uid 0 (root). Nothing was run.']);
    expect(fakes.calls()).toEqual([]);
    expect(JSON.parse(audit().find((a) => a.action === 'action:protected')!.data_json)).toMatchObject({
      action: 'lock-user',
      reason: 'root is protected: uid 0 (root)',
    });
  });

  it('runs nothing a dialog did not show: values changed since it was drawn, or a request made meanwhile', async () => {
    const { slack, click, fakes, replies, log, store } = await setup();
    const failed = (user: string) =>
      `${formatSyslogTime(new Date())} web1 sshd[10]: Failed password for ${user} from 203.0.113.7 port 22 ssh2\n`;
    // A line names carol after the message showed bob.
    appendFileSync(log, failed('carol'));
    await expect.poll(async () => (await store.incidents.read(1))?.incident.fields.user).toBe('carol');
    await slack.send('interactive', click('U0ALICE', 'action:lock-user', run(1, 'r', BOB)));
    await expect
      .poll(replies)
      .toEqual([
        'The incident names other values than the message you clicked showed: look at the updated message and click again. Nothing was run.',
      ]);
    await slack.send('interactive', click('U0ALICE', 'action:lock-user', run(1, 'r', { user: 'carol' })));
    await expect.poll(() => replies().at(-1)).toMatch(/needs a second person/);
    // Someone pressing the request button of a message drawn before that request does not approve it unseen.
    await slack.send('interactive', click('U0LEAD', 'action:lock-user', run(1, 'r', { user: 'carol' })));
    await expect
      .poll(() => replies().at(-1))
      .toBe(
        'Someone requested Lock user meanwhile; the message now shows Approve, with what they asked for. Nothing was run.',
      );
    expect(fakes.calls()).toEqual([]);
    // The approval of what was requested runs it, though another line names dave by now.
    appendFileSync(log, failed('dave'));
    await expect.poll(async () => (await store.incidents.read(1))?.incident.fields.user).toBe('dave');
    await slack.send('interactive', click('U0LEAD', 'action:lock-user', run(1, 'a', { user: 'carol' })));
    await expect.poll(() => fakes.calls().map((c) => c.args.at(-1))).toEqual(['carol']);
  });

  it('needs a second authorised person for approvals: 2', async () => {
    const { slack, click, fakes, replies, threads, message } = await setup();
    await slack.send('interactive', click('U0ALICE', 'action:lock-user', run(1, 'r', BOB)));
    await expect
      .poll(replies)
      .toEqual(['Lock user needs a second person: someone else allowed to run it must press Approve on the message.']);
    await expect.poll(message).toContain('"text":"Approve: Lock user"');
    await expect
      .poll(() => threads().join('\n'))
      .toContain('<@U0ALICE> asks to run *Lock user*: `sudo -n /usr/sbin/usermod -L bob`');
    await expect.poll(message).toContain('approving runs sudo -n /usr/sbin/usermod -L bob now');
    await slack.send('interactive', click('U0ALICE', 'action:lock-user', run(1, 'a', BOB)));
    await expect
      .poll(() => replies().at(-1))
      .toBe('You requested Lock user; a second person must approve it, not you.');
    expect(fakes.calls()).toEqual([]);
    await slack.send('interactive', click('U0LEAD', 'action:lock-user', run(1, 'a', BOB)));
    await expect
      .poll(() => fakes.calls().map((c) => [c.name, c.args]))
      .toEqual([['sudo', ['-n', '/usr/sbin/usermod', '-L', 'bob']]]);
    await expect.poll(message).toContain('*Lock user* `sudo -n /usr/sbin/usermod -L bob` — <@U0ALICE> + <@U0LEAD>');
  });

  it('reports a failing command and a timeout in the thread, and keeps running', async () => {
    const { slack, click, threads, message } = await setup();
    await slack.send('interactive', click('U0ALICE', 'action:broken', run(1, 'r', IP)));
    await expect.poll(() => threads().join('\n')).toContain('ran *broken*: `fail-hard 203.0.113.7` → exit 3');
    expect(threads().join('\n')).toContain('fail-hard: permission denied for 203.0.113.7');
    await expect.poll(message).toContain(':x: *broken* failed — <@U0ALICE>, exit 3');
    await slack.send('interactive', click('U0ALICE', 'action:slow', run(1, 'r', {})));
    await expect.poll(() => threads().join('\n')).toContain('→ timed out after 300 ms and was killed');
    await slack.send('interactive', click('U0ALICE', 'incident:acknowledge'));
    await expect.poll(message).toContain('acknowledged by <@U0ALICE>');
  });

  it('undoes once on the Undo button, and the message says who undid it', async () => {
    const { slack, click, fakes, threads, message, replies } = await setup();
    await slack.send('interactive', click('U0ALICE', 'action:block-ip', run(1, 'r', IP)));
    await expect.poll(message).toContain('"action_id":"undo:block-ip"');
    const undo = click('U0LEAD', 'undo:block-ip', '1:1');
    await Promise.all([slack.send('interactive', undo, 'undo-1'), slack.send('interactive', undo, 'undo-1')]);
    await expect.poll(() => threads().join('\n')).toContain('<@U0LEAD> undid *Block IP* (exit 0).');
    expect(
      fakes
        .calls()
        .filter((c) => c.name === 'unblock')
        .map((c) => c.args),
    ).toEqual([['203.0.113.7']]);
    await expect.poll(message).toContain('· undone by <@U0LEAD>');
    expect(message()).not.toContain('undo:block-ip');
    await slack.send('interactive', click('U0LEAD', 'undo:block-ip', '1:1'));
    await expect.poll(() => replies().at(-1)).toContain('is not waiting to be undone');
  });
});

describe('a fleet action through Slack', () => {
  it('runs on each host, shows the one it could not reach, and Retry runs there only', async () => {
    const dir = tempDir();
    const fakes = createFakeCommands(dir, ['ssh-fake', 'block']);
    writeFileSync(join(fakes.bin, 'ssh-down'), '10.0.0.13\n');
    const hosts = ['web1', 'web2', 'web3'];
    const s = await startSlackSetup(dir, cleanup, {
      rules: RULES.replace('[block-ip, lock-user, broken, slow]', '[block-all]'),
      extra: `fleet:
  ssh: { program: ssh-fake, key: /etc/logwarden/key, knownHosts: /etc/logwarden/known_hosts }
  hosts:
    - { name: web1, address: 10.0.0.11 }
    - { name: web2, address: 10.0.0.12 }
    - { name: web3, address: 10.0.0.13 }
actions:
  - { id: block-all, label: Block everywhere, target: all, approvals: 1, command: [block, '{ip}'], undo: [unblock, '{ip}'] }
commands: { env: [PATH] }
`,
      env: fakes.env,
    });
    const message = () => JSON.stringify(s.slack.callsOf('chat.update').at(-1)?.params.blocks ?? '');
    const threads = () =>
      s.slack
        .callsOf('chat.postMessage')
        .filter((c) => c.params.thread_ts)
        .map((c) => String(c.params.text));
    const blocks = JSON.stringify(s.slack.callsOf('chat.postMessage')[0]!.params.blocks);
    expect(blocks).toContain('Run Block everywhere? On web1, web2, web3.');
    const value = `1:1:r:${fingerprintOf(confirmedOf(IP, hosts))}`;
    expect(blocks).toContain(`"value":"${value}"`);
    await s.slack.send('interactive', s.click('U0ALICE', 'action:block-all', value));
    await expect.poll(message).toContain('done on 2/3 hosts; web3: unreachable (ssh exit 255)');
    await expect.poll(() => threads().join('\n')).toContain('• `web3`: failed, unreachable (ssh exit 255)');
    const sent = () => fakes.calls().map((c) => c.args[c.args.indexOf('--') + 1]);
    expect(sent().sort()).toEqual(['10.0.0.11', '10.0.0.12', '10.0.0.13']);
    // Each host got the fixed argv, the address one argument.
    expect(fakes.calls()[0]!.args.slice(-2)).toEqual(['block', '203.0.113.7']);

    writeFileSync(join(fakes.bin, 'ssh-down'), '');
    const retry = /"value":"(1:1:t:[0-9a-f]+)"/.exec(message())![1]!;
    await s.slack.send('interactive', s.click('U0ALICE', 'action:block-all', retry));
    await s.slack.send('interactive', s.click('U0ALICE', 'action:block-all', retry));
    await expect.poll(message).toContain(':white_check_mark: *Block everywhere*');
    expect(message()).toContain('done on 3/3 hosts');
    expect(message()).not.toContain('Retry:');
    expect(sent().sort()).toEqual(['10.0.0.11', '10.0.0.12', '10.0.0.13', '10.0.0.13']);
    await expect.poll(() => threads().join('\n')).toContain('(try 2)');
  });
});
