import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogwarden, type Logwarden } from '../../../src/app/pipeline.js';
import { parseConfig } from '../../../src/config/load.js';
import { slackJobsFor } from '../../../src/notify/slack/kind.js';
import { createSlackDelivery } from '../../../src/notify/slack/slack-delivery.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { type SlackApiServer, startSlackApi } from '../../helpers/slack-api-server.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const failed = (ip: string, n: number) =>
  `2026-11-23T10:00:${String(n % 60).padStart(2, '0')}Z web1 sshd[${1000 + n}]: Failed password for root from ${ip} port 22 ssh2\n`;

async function setup(
  options: { updateInterval?: string; count?: number; threadInterval?: string; dir?: string; apiUrl?: string } = {},
) {
  const dir = options.dir ?? tempDir();
  const log = join(dir, 'auth.log');
  if (!options.dir) writeFileSync(log, '');
  const slack = await startSlackApi();
  cleanup.push(() => slack.close());
  const loaded = parseConfig(
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(log)} }]
rules: [{ use: sshd, source: auth, threshold: { count: ${options.count ?? 2} } }]
slack: { channel: "#security", updateInterval: ${options.updateInterval ?? '200ms'}, threadInterval: ${options.threadInterval ?? '1h'} }
tail: { pollInterval: 50ms }
`,
    'slack.yml',
  );
  const store = new SqliteStore(loaded.config.store.path);
  const client = new WebClient('xoxb-test', {
    slackApiUrl: options.apiUrl ?? slack.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const logs: string[] = [];
  const logger = {
    info() {},
    child() {
      return this;
    },
    warn: (_d: Record<string, unknown>, m: string) => logs.push(m),
    error: (_d: Record<string, unknown>, m: string) => logs.push(m),
  };
  // Delivery's clock can be moved forward, to pass intervals without waiting.
  const time = { offset: 0 };
  const delivery = createSlackDelivery(
    { store, client, clock: () => Date.now() + time.offset, logger },
    {
      channel: loaded.config.slack!.channel,
      updateInterval: loaded.config.slack!.updateInterval,
      threadInterval: loaded.config.slack!.threadInterval,
      backoff: () => 100,
    },
  );
  const app: Logwarden = createLogwarden(loaded, {
    store,
    clock: Date.now,
    logger,
    notifiers: [
      {
        name: 'slack',
        jobsFor: slackJobsFor(loaded.config.slack!.updateInterval),
        wake: () => delivery.wake(),
        start: () => delivery.start(),
        stop: () => delivery.stop(),
      },
    ],
    env: process.env,
  });
  cleanup.push(async () => {
    await app.stop();
    await store.close();
  });
  await app.start();
  const stop = async () => {
    await app.stop();
    await store.close();
  };
  return { log, slack, store, app, logs, time, dir, stop };
}

const lastCount = (slack: SlackApiServer) => {
  const writes = slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');
  const fields = JSON.stringify(writes.at(-1)?.params.blocks ?? []);
  return Number(/\*Count\*\\n(\d+)/.exec(fields)?.[1]);
};

describe('Slack delivery through the real WebClient', () => {
  it('posts one message per incident and updates it in place as the count grows', async () => {
    const { log, slack } = await setup();
    appendFileSync(log, failed('203.0.113.7', 1) + failed('203.0.113.7', 4));
    await expect.poll(() => slack.callsOf('chat.postMessage').length).toBe(1);
    const post = slack.callsOf('chat.postMessage')[0]!;
    expect(post.token).toBe('xoxb-test');
    expect(post.params).toMatchObject({ channel: '#security', unfurl_links: 'false' });
    expect(post.params.text).toBe('HIGH · SSH brute force from 203.0.113.7 (2×, sshd)');
    appendFileSync(log, failed('203.0.113.7', 9));
    await expect.poll(() => slack.callsOf('chat.update').length).toBe(1);
    expect(slack.callsOf('chat.update')[0]!.params).toMatchObject({ channel: 'C0SECURITY', ts: expect.any(String) });
    expect(lastCount(slack)).toBe(3);
  });

  it('writes a storm (10,000 lines, 50 keys) as 50 messages and a bounded number of updates, counting every match', async () => {
    const { log, slack } = await setup({ updateInterval: '1s' });
    for (let burst = 0; burst < 20; burst++) {
      const lines = Array.from({ length: 500 }, (_, i) => failed(`198.51.100.${i % 50}`, burst * 500 + i));
      appendFileSync(log, lines.join(''));
      await new Promise((r) => setTimeout(r, 25));
    }
    await expect.poll(() => slack.callsOf('chat.postMessage').length, { timeout: 10_000 }).toBe(50);
    const total = () => {
      const counts = new Map<string, number>();
      for (const c of slack.calls.filter((x) => x.method.startsWith('chat.'))) {
        const ip = /from (\S+) \(/.exec(String(c.params.text))?.[1];
        if (ip) counts.set(ip, Number(/\((\d+)×/.exec(String(c.params.text))?.[1]));
      }
      return [...counts.values()].reduce((a, b) => a + b, 0);
    };
    await expect.poll(total, { timeout: 10_000 }).toBe(10_000);
    // At most one update per incident per second, plus the last one.
    expect(slack.callsOf('chat.update').length).toBeLessThanOrEqual(50 * 4);
  });

  it('tells the thread about new matches, at most once per threadInterval', async () => {
    const { log, slack, time } = await setup({ threadInterval: '10m' });
    appendFileSync(log, failed('203.0.113.12', 1) + failed('203.0.113.12', 5));
    await expect.poll(() => slack.callsOf('chat.postMessage').length).toBe(1);
    time.offset = 11 * 60_000;
    appendFileSync(log, failed('203.0.113.12', 9) + failed('203.0.113.12', 13));
    const notes = () => slack.callsOf('chat.postMessage').filter((c) => c.params.thread_ts);
    await expect.poll(() => notes().length).toBe(1);
    expect(String(notes()[0]!.params.text)).toMatch(
      /^\+2 matches since <!date\^\d+\^\{date_short_pretty\} \{time_secs\}\|[^>]+> \(4 in all\)\. Latest:\n```.*Failed password for root from 203\.0\.113\.12 port 22 ssh2```$/,
    );
    appendFileSync(log, failed('203.0.113.12', 17));
    await expect.poll(() => slack.callsOf('chat.update').length).toBeGreaterThanOrEqual(2);
    expect(notes()).toHaveLength(1);
  });

  it('keeps what Slack could not take while it was unreachable, and delivers it after a restart', async () => {
    const { createServer } = await import('node:net');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    // Nothing listens on that port: every call fails to connect.
    const down = await setup({ apiUrl: `http://127.0.0.1:${port}/api/` });
    appendFileSync(down.log, failed('203.0.113.13', 1) + failed('203.0.113.13', 5));
    await expect
      .poll(async () => (await down.store.outbox.readDue(Date.now() + 3_600_000, 'slack'))[0]?.attempts ?? 0)
      .toBeGreaterThan(0);
    await down.stop();
    const up = await setup({ dir: down.dir });
    await expect.poll(() => up.slack.callsOf('chat.postMessage').length).toBe(1);
    expect(up.slack.callsOf('chat.postMessage')[0]!.params.text).toBe(
      'HIGH · SSH brute force from 203.0.113.13 (2×, sshd)',
    );
  });

  it('waits as long as a 429 says, then delivers', async () => {
    const { log, slack, logs } = await setup();
    slack.failNext('chat.postMessage', {
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
    appendFileSync(log, failed('203.0.113.8', 1) + failed('203.0.113.8', 5));
    await expect.poll(() => slack.callsOf('chat.postMessage').length, { timeout: 5000 }).toBe(2);
    const [first, second] = slack.callsOf('chat.postMessage');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(logs).toContain('Slack asked to slow down; waiting');
  });

  it('retries 5xx and network failures until Slack is back, losing nothing', async () => {
    const { log, slack } = await setup();
    slack.failNext('chat.postMessage', { status: 503 }, { status: 500 }, { status: 502 });
    appendFileSync(log, failed('203.0.113.9', 1) + failed('203.0.113.9', 5));
    await expect.poll(() => slack.callsOf('chat.postMessage').length, { timeout: 5000 }).toBe(4);
    expect(lastCount(slack)).toBe(2);
  });

  it('remembers each message in the store, so a restart updates it rather than posting again', async () => {
    const { log, slack, store } = await setup();
    appendFileSync(log, failed('203.0.113.10', 1) + failed('203.0.113.10', 5));
    await expect.poll(() => slack.callsOf('chat.postMessage').length).toBe(1);
    await expect
      .poll(async () => await store.messages.read('slack', 1))
      .toMatchObject({ at: { channel: 'C0SECURITY' }, version: 1 });
    expect((await store.messages.read('slack', 1))!.at.ts).toBe('1795000000.000001');
  });

  it('stops retrying what Slack refuses for good, and says why', async () => {
    const { log, slack, store, logs } = await setup();
    slack.failNext('chat.postMessage', { status: 200, body: { ok: false, error: 'channel_not_found' } });
    appendFileSync(log, failed('203.0.113.11', 1) + failed('203.0.113.11', 5));
    await expect
      .poll(() => logs.find((l) => l.includes('channel_not_found')))
      .toBe(
        "Slack refused the message for incident 1 (channel_not_found); it will not be retried. Check slack.channel and the bot's scopes and channel membership.",
      );
    expect(await store.outbox.readDue(Date.now() + 3_600_000, 'slack')).toEqual([]);
  });
});
