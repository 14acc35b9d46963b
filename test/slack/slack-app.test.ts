import { createHmac } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { IncidentEvent } from '../../src/core/types.js';
import { createLogwarden } from '../../src/main.js';
import { connectSlack } from '../../src/slack/connect-slack.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { silentLogger } from '../helpers/fixtures.js';
import { startSlackApi } from '../helpers/slack-api-server.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function setup(options: { http?: boolean } = {}) {
  const dir = tempDir();
  const port = options.http ? await freePort() : 0;
  const log = join(dir, 'auth.log');
  writeFileSync(log, '');
  const slack = await startSlackApi();
  cleanup.push(() => slack.close());
  slack.groups.set('S0LEADS', ['U0LEAD']);
  const loaded = parseConfig(
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(log)} }, { id: web, path: ${JSON.stringify(join(dir, 'web.log'))} }]
rules: [{ use: sshd, source: auth, threshold: { count: 1 }, actions: [block-ip] }]
roles:
  responders: { users: [U0ALICE] }
  leads: { groups: [S0LEADS] }
  web-only: { users: [U0WEB], sources: [web] }
slack:
  channel: C0SECURITY
  updateInterval: 100ms
  allow: { acknowledge: [responders, leads], resolve: [leads], logs: [responders, web-only] }
${options.http ? `  mode: http\n  host: 127.0.0.1\n  port: ${port}\n` : ''}`,
    'app.yml',
  );
  const store = new SqliteStore(loaded.config.store.path);
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_APP_TOKEN: 'xapp-test',
    SLACK_SIGNING_SECRET: 'signing-secret',
    SLACK_API_URL: slack.url,
  };
  const connection = await connectSlack(loaded.config.slack!, loaded.config.roles, loaded.config.sources, {
    store,
    clock: Date.now,
    logger: silentLogger,
    env,
    ruleActions: Object.fromEntries(loaded.rules.map((r) => [r.id, r.actions])),
  });
  const events: IncidentEvent[] = [];
  const app = createLogwarden(loaded, {
    store,
    clock: Date.now,
    logger: silentLogger,
    onEvent: (e) => events.push(structuredClone(e)),
    slack: connection.delivery,
    env: process.env,
  });
  await app.start();
  const listener = await connection.listen(app);
  cleanup.push(async () => {
    await listener?.stop();
    await app.stop();
    store.close();
  });
  if (!options.http) await slack.connected();
  appendFileSync(log, 'Nov 23 10:00:00 web1 sshd[9]: Failed password for root from 203.0.113.7 port 22 ssh2\n');
  await expect.poll(() => slack.callsOf('chat.postMessage').length).toBe(1);
  const posted = slack.callsOf('chat.postMessage')[0]!;
  const click = (user: string, actionId: string, actionTs = `${Date.now() / 1000}`) => ({
    type: 'block_actions',
    user: { id: user, name: user.toLowerCase() },
    team: { id: 'T1' },
    channel: { id: 'C0SECURITY' },
    container: { type: 'message', message_ts: '1795000000.000001', channel_id: 'C0SECURITY' },
    message: { ts: '1795000000.000001', text: posted.params.text, blocks: posted.params.blocks },
    response_url: `${slack.url.replace('/api/', '')}/respond`,
    trigger_id: 'trigger',
    actions: [{ action_id: actionId, block_id: 'incident:1', value: '1', type: 'button', action_ts: actionTs }],
  });
  const audit = () => {
    const db = new Database(join(dir, 'store.db'), { readonly: true });
    try {
      return db.prepare('SELECT actor, action, data_json FROM audit ORDER BY id').all() as {
        actor: string;
        action: string;
        data_json: string;
      }[];
    } finally {
      db.close();
    }
  };
  const select = (user: string, value: string) => ({
    ...click(user, 'incident:snooze'),
    actions: [
      {
        action_id: 'incident:snooze',
        block_id: 'incident:1',
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'Snooze' }, value },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
  const logs = (user: string, text: string) => ({
    command: '/logs',
    text,
    user_id: user,
    user_name: user.toLowerCase(),
    channel_id: 'C0SECURITY',
    team_id: 'T1',
    response_url: `${slack.url.replace(/\/api\/$/, '')}/respond`,
    trigger_id: 'trigger',
  });
  const replies = () =>
    slack.callsOf('/respond').map((c) => `${c.params.text} ${JSON.stringify(c.params.blocks ?? '')}`);
  // HTTP mode: Slack's signed POST to /slack/events.
  const post = async (
    payload: Record<string, unknown>,
    stamp = Math.floor(Date.now() / 1000),
    secret = 'signing-secret',
  ) => {
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const signature = `v0=${createHmac('sha256', secret).update(`v0:${stamp}:${body}`).digest('hex')}`;
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(stamp),
        'x-slack-signature': signature,
      },
      body,
    });
    return res.status;
  };
  return { slack, click, select, logs, replies, audit, events, store, log, post };
}

const lastBlocks = (calls: { params: Record<string, unknown> }[]) => JSON.stringify(calls.at(-1)?.params.blocks);

let pid = 100;
const line = (ip: string) => `Nov 23 10:00:00 web1 sshd[${pid++}]: Failed password for root from ${ip} port 22 ssh2\n`;

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
    expect(store.readIncident(1)!.decisions.resolution).toBe(decision === 'snooze' ? 'snoozed' : 'false-positive');
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

  it('offers the response actions of the rule as buttons that say they cannot run yet', async () => {
    const { slack, click, audit } = await setup();
    expect(JSON.stringify(slack.callsOf('chat.postMessage')[0]!.params.blocks)).toContain(
      '"action_id":"action:block-ip"',
    );
    await slack.send('interactive', {
      ...click('U0ALICE', 'action:block-ip'),
      response_url: `${slack.url.replace(/\/api\/$/, '')}/respond`,
    });
    await expect.poll(() => slack.callsOf('/respond').length).toBe(1);
    expect(slack.callsOf('/respond')[0]!.params).toMatchObject({
      response_type: 'ephemeral',
      text: 'The response action block-ip cannot run yet: this logwarden does not run response actions. Nothing was done.',
    });
    expect(audit().map((a) => a.action)).toEqual(['action:block-ip']);
  });

  it('refuses someone outside the allowed roles: ephemeral answer, audit row, nothing changes', async () => {
    const { slack, click, audit, store } = await setup();
    await slack.send('interactive', click('U0ALICE', 'incident:resolve'));
    await expect.poll(() => slack.callsOf('chat.postEphemeral').length).toBe(1);
    expect(slack.callsOf('chat.postEphemeral')[0]!.params).toMatchObject({
      user: 'U0ALICE',
      text: 'You are not allowed to resolve incidents. Ask whoever runs logwarden to add you to one of these roles: leads.',
    });
    expect(JSON.parse(audit()[0]!.data_json)).toEqual({ refused: true, allowed: ['leads'] });
    expect(store.readIncident(1)!.incident.status).toBe('open');
  });

  it('resolves for a member of an allowed user group: closed, and the buttons are gone', async () => {
    const { slack, click, events, store } = await setup();
    await slack.send('interactive', click('U0LEAD', 'incident:resolve'));
    await expect.poll(() => events.map((e) => e.event)).toEqual(['opened', 'closed']);
    expect(store.readIncident(1)!.incident.status).toBe('resolved');
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
    appendFileSync(log, 'Nov 23 10:00:01 web1 sshd[77]: Invalid user <!channel> from 198.51.100.9 port 1\n');
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
    { text: 'search /(a+)+$/', answer: 'is refused: it nests a repeated part' },
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
    expect(store.readIncident(1)!.decisions.acknowledgedBy).toBeUndefined();
    expect(audit()).toEqual([]);
  });
});
