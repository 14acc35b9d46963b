import { appendFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { formatSyslogTime } from '../../../src/sandbox/attack-generator.js';
import { type SlackSetupOptions, startSlackSetup } from '../../helpers/slack-setup.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const setup = (options: SlackSetupOptions = {}) => startSlackSetup(tempDir(), cleanup, options);

const lastBlocks = (calls: { params: Record<string, unknown> }[]) => JSON.stringify(calls.at(-1)?.params.blocks);

let pid = 100;
const line = (ip: string) =>
  `${formatSyslogTime(new Date())} web1 sshd[${pid++}]: Failed password for root from ${ip} port 22 ssh2\n`;

describe('the Slack app (Socket Mode, real Bolt)', () => {
  it.each([
    { name: 'snoozed for 4h', decision: 'snooze', status: 'Snoozed by <@U0ALICE>' },
    { name: 'marked a false positive', decision: 'false-positive', status: 'Marked a false positive by <@U0ALICE>' },
  ])('closes an incident $name and keeps its rule and key quiet', async ({ decision, status }) => {
    const { slack, click, select, events, store, log, audit } = await setup();
    await slack.send(
      'interactive',
      decision === 'snooze' ? select('U0ALICE', '1:4h') : click('U0ALICE', 'incident:false-positive'),
    );
    await expect.poll(() => events.map((e) => e.event)).toEqual(['opened', 'closed']);
    expect((await store.incidents.read(1))!.decisions.resolution).toBe(
      decision === 'snooze' ? 'snoozed' : 'false-positive',
    );
    await expect.poll(() => lastBlocks(slack.callsOf('chat.update'))).toContain(status);
    if (decision === 'snooze') {
      const until = JSON.parse(audit().at(-1)!.data_json).until;
      expect(until - Date.now()).toBeGreaterThan(4 * 3_600_000 - 60_000);
    }
    appendFileSync(log, line('203.0.113.7') + line('198.51.100.1'));
    await expect
      .poll(() => events.map((e) => [e.event, e.incident.key.ip]))
      .toEqual([
        ['opened', '203.0.113.7'],
        ['closed', '203.0.113.7'],
        ['opened', '198.51.100.1'],
      ]);
  });

  it('posts the audit anchor to its channel as the log grows, and it verifies the log', async () => {
    const { slack, click, store } = await setup({
      extra: 'audit: { anchorChannel: C0AUDIT, anchorInterval: 100ms }\n',
    });
    const anchors = () =>
      slack
        .callsOf('chat.postMessage')
        .filter((c) => c.params.channel === 'C0AUDIT')
        .map((c) => String(c.params.text));
    await expect.poll(() => anchors().length).toBeGreaterThanOrEqual(1);
    await slack.send('interactive', click('U0ALICE', 'incident:acknowledge'));
    await expect.poll(() => anchors().at(-1)).toMatch(/ rows=2 last=2 /);
    expect(anchors().at(-1)).toMatch(
      /^logwarden-audit-anchor rows=2 last=2 head=hmac-sha256:[0-9a-f]{64} sig=[0-9a-f]{64}$/,
    );
    expect(anchors().at(-1)).toBe(await store.audit.renderAnchor());
  });

  it('acknowledges for a responder: the message says who, once, however often the click arrives', async () => {
    const { slack, click, audit } = await setup();
    const payload = click('U0ALICE', 'incident:acknowledge');
    expect(await slack.send('interactive', payload, 'env-1')).toBeDefined();
    await expect.poll(() => lastBlocks(slack.callsOf('chat.update'))).toContain('acknowledged by <@U0ALICE>');
    // Slack redelivers an envelope it thinks was not acked; people double-click.
    await slack.send('interactive', payload, 'env-1');
    await slack.send('interactive', click('U0ALICE', 'incident:acknowledge'));
    await expect.poll(() => audit().length).toBe(3);
    expect(audit().map((a) => [a.actor, a.action, JSON.parse(a.data_json).changed])).toEqual([
      ['U0ALICE', 'incident:acknowledge', true],
      ['U0ALICE', 'incident:acknowledge', false],
      ['U0ALICE', 'incident:acknowledge', false],
    ]);
    expect(lastBlocks(slack.callsOf('chat.update'))).not.toContain('incident:acknowledge');
    // Who did what is also written into the message's thread, once.
    const notes = () => slack.callsOf('chat.postMessage').filter((c) => c.params.thread_ts);
    await expect
      .poll(() => notes().map((c) => [c.params.thread_ts, c.params.text]))
      .toEqual([['1795000000.000001', '<@U0ALICE> acknowledged this incident.']]);
  });

  it('reconnects when Slack asks it to, and keeps answering', async () => {
    const { slack, click } = await setup();
    await slack.refresh();
    expect(slack.callsOf('apps.connections.open').length).toBe(2);
    await slack.send('interactive', click('U0ALICE', 'incident:acknowledge'));
    await expect.poll(() => lastBlocks(slack.callsOf('chat.update'))).toContain('acknowledged by <@U0ALICE>');
  });

  it('refuses someone outside the allowed roles: ephemeral answer, audit row, nothing changes', async () => {
    const { slack, click, audit, store } = await setup();
    await slack.send('interactive', click('U0ALICE', 'incident:resolve'));
    await expect.poll(() => slack.callsOf('chat.postEphemeral').length).toBe(1);
    expect(slack.callsOf('chat.postEphemeral')[0]!.params).toMatchObject({
      user: 'U0ALICE',
      text: 'You are not allowed to resolve incidents. Ask whoever runs logwarden to add you to one of these roles: leads.',
    });
    expect(JSON.parse(audit()[0]!.data_json)).toEqual({
      refused: true,
      allowed: ['leads'],
      slack: {
        channel: 'C0SECURITY',
        ts: '1795000000.000001',
        permalink: 'https://test.slack.com/archives/C0SECURITY/p1795000000000001',
      },
    });
    expect((await store.incidents.read(1))!.incident.status).toBe('open');
  });

  it('resolves for a member of an allowed user group: closed, and the buttons are gone', async () => {
    const { slack, click, events, store } = await setup();
    await slack.send('interactive', click('U0LEAD', 'incident:resolve'));
    await expect.poll(() => events.map((e) => e.event)).toEqual(['opened', 'closed']);
    expect((await store.incidents.read(1))!.incident.status).toBe('resolved');
    await expect.poll(() => lastBlocks(slack.callsOf('chat.update'))).toContain('Resolved by <@U0LEAD>');
    expect(lastBlocks(slack.callsOf('chat.update'))).not.toContain('"actions"');
  });

  it('lists silences with /logs silences and lifts one with /logs unsilence', async () => {
    const { slack, click, logs, replies, events, log } = await setup();
    await slack.send('interactive', click('U0ALICE', 'incident:false-positive'));
    await expect.poll(() => events.map((e) => e.event)).toEqual(['opened', 'closed']);
    await slack.send('slash_commands', logs('U0ALICE', 'silences'));
    await expect.poll(() => replies().length).toBe(1);
    expect(replies()[0]).toContain('#1 `sshd 203.0.113.7` false-positive by <@U0ALICE>, until lifted');
    await slack.send('slash_commands', logs('U0WEB', 'unsilence 1'));
    await expect.poll(() => replies().length).toBe(2);
    expect(replies()[1]).toContain('You are not allowed to lift silences');
    await slack.send('slash_commands', logs('U0ALICE', 'unsilence 1'));
    await expect.poll(() => replies().length).toBe(3);
    expect(replies()[2]).toContain('Silence #1 lifted.');
    appendFileSync(log, line('203.0.113.7'));
    await expect.poll(() => events.map((e) => e.event)).toEqual(['opened', 'closed', 'opened']);
  });

  it('answers /logs search with the matching lines, escaped, only to the asker', async () => {
    const { slack, logs, replies, log } = await setup();
    appendFileSync(
      log,
      `${formatSyslogTime(new Date())} web1 sshd[77]: Invalid user <!channel> from 198.51.100.9 port 1\n`,
    );
    await slack.send('slash_commands', logs('U0ALICE', 'search Invalid user'));
    await expect.poll(() => replies().length).toBe(1);
    const [answer] = replies();
    expect(answer).toContain('1 line with `Invalid user` in 1 file, newest first:');
    expect(answer).toContain('Invalid user &lt;!channel&gt; from 198.51.100.9');
    expect(answer).not.toContain('<!channel>');
    expect(slack.callsOf('/respond')[0]!.params.response_type).toBe('ephemeral');
  });

  it.each([
    { text: 'help', answer: '*/logs* answers only you. Commands:' },
    { text: 'tail auth 1', answer: 'The last 1 lines of `auth`:' },
    { text: 'ip 203.0.113.7', answer: 'What logwarden knows of `203.0.113.7`: 1 incidents, 1 recent lines.' },
    { text: 'stats', answer: '1 incidents.' },
    { text: 'incidents all since:1d', answer: '1 incident, newest first:' },
    { text: 'search /(a+)+$/', answer: '0 lines with `/(a+)+$/` in 1 file' },
    { text: 'search /(?=(a+)+$)/', answer: 'RE2 syntax: no lookaround or backreferences' },
    { text: 'frobnicate', answer: 'There is no /logs `frobnicate`. Try `/logs help`.' },
  ])('answers /logs $text', async ({ text, answer }) => {
    const { slack, logs, replies } = await setup();
    await slack.send('slash_commands', logs('U0ALICE', text));
    await expect.poll(() => replies().length).toBe(1);
    expect(replies()[0]).toContain(answer);
  });

  it('keeps /logs to the sources of the asker roles, and from people without one', async () => {
    const { slack, logs, replies } = await setup();
    await slack.send('slash_commands', logs('U0WEB', 'tail auth'));
    await slack.send('slash_commands', logs('U0NOBODY', 'incidents'));
    await slack.send('slash_commands', logs('U0ALICE', 'incidents'));
    await expect.poll(() => replies().length).toBe(3);
    // The three are answered concurrently: find each by what it says.
    const answers = replies().join('\n');
    expect(answers).toContain('No file source `auth` you may read.');
    expect(answers).toContain('You are not allowed to use /logs.');
    expect(answers).toContain('1 open incident, newest first:');
    expect(answers).toContain('#1 HIGH SSH brute force from 203.0.113.7');
  });
});

describe('the Slack app in HTTP mode (real Bolt)', () => {
  it('accepts a correctly signed click and applies it', async () => {
    const { post, click, slack } = await setup({ http: true });
    expect(await post(click('U0ALICE', 'incident:acknowledge'))).toBe(200);
    await expect.poll(() => lastBlocks(slack.callsOf('chat.update'))).toContain('acknowledged by <@U0ALICE>');
  });

  it.each([
    { name: 'a wrong signature', skew: 0, secret: 'wrong-secret' },
    { name: 'a timestamp 10 minutes old', skew: -600, secret: 'signing-secret' },
    { name: 'a timestamp 10 minutes ahead', skew: 600, secret: 'signing-secret' },
  ])('refuses $name with 401 and changes nothing', async ({ skew, secret }) => {
    const { post, click, store, audit } = await setup({ http: true });
    const stamp = Math.floor(Date.now() / 1000) + skew;
    expect(await post(click('U0ALICE', 'incident:acknowledge'), stamp, secret)).toBe(401);
    expect((await store.incidents.read(1))!.decisions.acknowledgedBy).toBeUndefined();
    expect(audit()).toEqual([]);
  });
});
