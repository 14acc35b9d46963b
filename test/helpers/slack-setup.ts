// logwarden wired to a Slack-compatible server on loopback, as `logwarden run` wires it: the real Bolt app over
// Socket Mode (or signed HTTP), the real Web API client, a real SQLite file; one incident already posted.

import { createHmac } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { createRefusalCheck } from '../../src/actions/protected-targets.js';
import { cachedHostTargets } from '../../src/actions/read-host-targets.js';
import { createLogwarden } from '../../src/app/pipeline.js';
import { parseConfig } from '../../src/config/load.js';
import type { IncidentEvent } from '../../src/core/types.js';
import type { MailTransport } from '../../src/notify/email/email-delivery.js';
import { emailNotifierOf } from '../../src/notify/email/kind.js';
import type { Notifier } from '../../src/notify/notifier.js';
import { connectSlack } from '../../src/notify/slack/connect-slack.js';
import { slackNotifierOf } from '../../src/notify/slack/kind.js';
import { formatSyslogTime } from '../../src/sandbox/attack-generator.js';
import { createClickPayload, createCommandPayload } from '../../src/sandbox/slack-sandbox.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { silentLogger } from './fixtures.js';
import { freePort } from './free-port.js';
import { FIRST_TS, startSlackApi } from './slack-api-server.js';

export interface SlackSetupOptions {
  http?: boolean;
  /** The account the first failed login names (default bob). */
  user?: string;
  /** Replaces the rules: line. */
  rules?: string;
  /** More top-level YAML: actions:, commands: … */
  extra?: string;
  /** More sources, as YAML flow mappings: `{ id: big, path: /… }`. */
  sources?: string[];
  /** Slack answers this many calls with 503 at start-up (it is down), then works. */
  downAtStart?: { authTest: number; connectionsOpen: number };
  /** The environment commands are started from (PATH with fixture executables). */
  env?: NodeJS.ProcessEnv;
  clock?: () => number;
  /** Escalation mail goes through this transport (the config needs escalation:). */
  mail?: MailTransport;
}

/** logwarden with a Slack-compatible server on loopback, a Socket Mode (or HTTP) Bolt app, and one incident posted. */
export async function startSlackSetup(
  dir: string,
  cleanup: (() => Promise<void> | void)[],
  options: SlackSetupOptions = {},
) {
  const clock = options.clock ?? Date.now;
  const port = options.http ? await freePort() : 0;
  const log = join(dir, 'auth.log');
  writeFileSync(log, '');
  const slack = await startSlackApi();
  cleanup.push(() => slack.close());
  slack.groups.set('S0LEADS', ['U0LEAD']);
  const down = options.downAtStart;
  if (down) {
    for (let i = 0; i < down.authTest; i++) slack.failNext('auth.test', { status: 503 });
    for (let i = 0; i < down.connectionsOpen; i++) slack.failNext('apps.connections.open', { status: 503 });
  }
  const loaded = parseConfig(
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(log)} }, { id: web, path: ${JSON.stringify(join(dir, 'web.log'))} }${(options.sources ?? []).map((s) => `, ${s}`).join('')}]
${options.rules ?? 'rules: [{ use: sshd, source: auth, threshold: { count: 1 } }]'}
roles:
  responders: { users: [U0ALICE] }
  leads: { groups: [S0LEADS] }
  web-only: { users: [U0WEB], sources: [web] }
slack:
  channel: C0SECURITY
  updateInterval: 100ms
  allow: { acknowledge: [responders, leads], resolve: [leads], logs: [responders, web-only], escalate: [responders, leads] }
${options.http ? `  mode: http\n  host: 127.0.0.1\n  port: ${port}\n` : ''}${options.extra ?? ''}`,
    'app.yml',
  );
  const store = new SqliteStore(loaded.config.store.path);
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_APP_TOKEN: 'xapp-test',
    SLACK_SIGNING_SECRET: 'signing-secret',
    SLACK_API_URL: slack.url,
  };
  // As `logwarden run` wires them: one view of the protected targets for the buttons and the runs.
  const protectedTargets = cachedHostTargets(loaded.config.protect, () => [], clock);
  const rules = new Map(loaded.rules.map((r) => [r.id, r]));
  const refusalOf = createRefusalCheck(
    (id) => loaded.actions.get(id)?.fields,
    (id) => rules.get(id)?.fields,
    protectedTargets,
  );
  const connection = await connectSlack(loaded.config.slack!, loaded.config.sources, {
    queries: loaded.config.queries,
    rules: loaded.rules,
    retry: { first: 50, last: 200 },
    refusalOf,
    store,
    clock,
    logger: silentLogger,
    env,
    actions: { catalog: loaded.actions, byRule: Object.fromEntries(loaded.rules.map((r) => [r.id, r.actions])) },
    ...(loaded.config.escalation ? { escalation: loaded.config.escalation } : {}),
  });
  const events: IncidentEvent[] = [];
  const notifiers: Notifier[] = [slackNotifierOf(connection, loaded.config.slack!.updateInterval)];
  if (options.mail && loaded.config.escalation) {
    const made = [...notifiers];
    notifiers.push(
      await emailNotifierOf(
        {
          store,
          clock,
          logger: silentLogger,
          actions: loaded.actions,
          escalation: loaded.config.escalation,
          made,
          all: () => notifiers,
        },
        options.mail,
        () => 50,
      ),
    );
  }
  const app = createLogwarden(loaded, {
    store,
    clock,
    logger: silentLogger,
    onEvent: (e) => events.push(structuredClone(e)),
    notifiers,
    protectedTargets,
    env: options.env ?? process.env,
  });
  await app.start();
  const listener = await connection.listen(app.commandsFor(connection.allow));
  cleanup.push(async () => {
    await listener?.stop();
    await app.stop();
    await store.close();
  });
  if (!options.http) await slack.connected();
  appendFileSync(
    log,
    `${formatSyslogTime(new Date())} web1 sshd[9]: Failed password for ${options.user ?? 'bob'} from 203.0.113.7 port 22 ssh2\n`,
  );
  await expect.poll(() => slack.callsOf('chat.postMessage').length).toBe(1);
  const posted = slack.callsOf('chat.postMessage')[0]!;
  const userOf = (id: string) => ({ id, name: id.toLowerCase() });
  const message = { ts: FIRST_TS, text: String(posted.params.text), blocks: posted.params.blocks as unknown[] };
  const click = (user: string, actionId: string, value = '1', actionTs?: string) =>
    createClickPayload(slack, userOf(user), message, { actionId, blockId: 'incident:1', value }, actionTs);
  const audit = () => {
    const db = new Database(join(dir, 'store.db'), { readonly: true });
    try {
      // What people did: the row that starts the keyed chain is the store's own.
      return db
        .prepare("SELECT actor, action, data_json FROM audit WHERE action != 'audit:keyed' ORDER BY id")
        .all() as {
        actor: string;
        action: string;
        data_json: string;
      }[];
    } finally {
      db.close();
    }
  };
  const select = (user: string, value: string) =>
    createClickPayload(slack, userOf(user), message, {
      actionId: 'incident:snooze',
      blockId: 'incident:1',
      selected: value,
    });
  const logs = (user: string, text: string) => createCommandPayload(slack, userOf(user), '/logs', text);
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
  return { slack, click, select, logs, replies, audit, events, store, log, post, port, app, loaded, dir };
}
