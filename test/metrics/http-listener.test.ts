// The http: listener of a real `logwarden run` process: /metrics after a scripted attack, /healthz, and /readyz as the
// loopback Slack workspace goes down and comes back; and the read lag a source reports, exactly.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { startSlackSandbox } from '../../src/sandbox/slack-sandbox.js';
import { startRun } from '../helpers/run-cli.js';
import { type RunningLogwarden, startLogwarden } from '../helpers/start-logwarden.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const failure = (i: number) =>
  `Nov 23 10:00:0${i} web1 sshd[4${i}]: Failed password for root from 203.0.113.9 port 22 ssh2\n`;

/** One sample's value from a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',');
    if (wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

describe('logwarden run with http:', () => {
  it('serves counters and lag after an attack, /healthz, and a /readyz that follows Slack down and up', async () => {
    let slack = await startSlackSandbox({ firstTs: 1_795_000_000_000 });
    const slackPort = Number(new URL(slack.url).port);
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const config = join(dir, 'c.yml');
    writeFileSync(
      config,
      [
        `store: { path: ${join(dir, 'state.db')} }`,
        'http: { port: 0 }',
        `sources: [{ id: auth, path: ${log} }]`,
        'rules: [{ use: sshd, source: auth }]',
        'slack: { channel: C0SECURITY }',
        '',
      ].join('\n'),
    );
    const run = startRun(['-c', config], { env: { SLACK_API_URL: slack.url, SLACK_BOT_TOKEN: 'xoxb-test' } });
    try {
      await expect.poll(() => run.stderr(), { timeout: 10_000 }).toContain('"msg":"watching"');
      // Each part logs through its own child logger: this line is the http listener's.
      const port = Number(/"component":"http".*"port":(\d+),"msg":"serving \/metrics/.exec(run.stderr())![1]);
      const get = async (path: string) => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        return { status: res.status, text: await res.text() };
      };

      for (let i = 0; i < 6; i++) appendFileSync(log, failure(i));
      await expect.poll(() => slack.callsOf('chat.postMessage').length, { timeout: 10_000 }).toBe(1);
      const metrics = (await get('/metrics')).text;
      expect(sample(metrics, 'logwarden_lines_read_total', { source: 'auth' })).toBe(6);
      expect(sample(metrics, 'logwarden_bytes_read_total', { source: 'auth' })).toBe(6 * failure(0).length);
      expect(sample(metrics, 'logwarden_rule_verdicts_total', { rule: 'sshd', verdict: 'matched' })).toBe(6);
      expect(sample(metrics, 'logwarden_incidents_opened_total', { severity: 'high' })).toBe(1);
      expect(sample(metrics, 'logwarden_incidents_open', { severity: 'high' })).toBe(1);
      expect(sample(metrics, 'logwarden_file_lag_bytes', { source: 'auth', path: log })).toBe(0);
      expect(sample(metrics, 'logwarden_source_up', { source: 'auth' })).toBe(1);
      expect(sample(metrics, 'logwarden_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(metrics, 'logwarden_process_resident_memory_bytes')).toBeGreaterThan(0);

      const health = await get('/healthz');
      expect(health.status).toBe(200);
      expect(JSON.parse(health.text)).toMatchObject({ status: 'ok', checks: { store: { ok: true } } });
      const ready = await get('/readyz');
      expect(JSON.parse(ready.text)).toEqual({ status: 'ok', checks: { sources: { ok: true }, slack: { ok: true } } });

      // Slack goes away: not ready, and what is posted meanwhile waits in the outbox.
      await slack.close();
      await expect.poll(async () => (await get('/readyz')).status, { timeout: 10_000 }).toBe(503);
      expect(JSON.parse((await get('/readyz')).text).checks.slack.problem).toContain('Slack does not answer');
      appendFileSync(log, failure(6).replace('203.0.113.9', '198.51.100.4').repeat(5));
      await expect
        .poll(async () => sample((await get('/metrics')).text, 'logwarden_outbox_depth', { channel: 'slack' }), {
          timeout: 10_000,
        })
        .toBe(1);
      await expect
        .poll(
          async () =>
            sample((await get('/metrics')).text, 'logwarden_delivery_failures_total', {
              channel: 'slack',
              kind: 'retry',
            }),
          { timeout: 10_000 },
        )
        .toBeGreaterThan(0);
      expect((await get('/healthz')).status).toBe(200);

      // And comes back on the same address: ready again, and the outbox drains.
      slack = await startSlackSandbox({ firstTs: 1_795_000_000_000, port: slackPort });
      await expect.poll(async () => (await get('/readyz')).status, { timeout: 10_000 }).toBe(200);
      await expect
        .poll(async () => sample((await get('/metrics')).text, 'logwarden_outbox_depth', { channel: 'slack' }), {
          timeout: 30_000,
        })
        .toBe(0);
      expect(sample((await get('/metrics')).text, 'logwarden_outbox_oldest_age_seconds', { channel: 'slack' })).toBe(0);

      expect((await get('/nope')).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      await slack.close();
    }
  }, 60_000);
});

describe('source status', () => {
  let running: RunningLogwarden | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('reports the bytes written and not read yet, per file, until they are read', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, failure(0));
    const loaded = parseConfig(
      `store: { path: ${join(dir, 's.db')} }\nsources: [{ id: auth, path: ${log}, from: start }, { id: missing, path: ${join(dir, 'none.log')} }]\nrules: [{ use: sshd, source: auth }]\n`,
      'c.yml',
    );
    running = await startLogwarden(loaded, { clock: Date.now });
    await running.app.syncNow();
    expect(running.app.sourceStatus().get('auth')).toEqual({
      ready: true,
      files: [{ path: log, lagBytes: 0 }],
    });
    // Nothing reads between the append and the look: no turn of the event loop.
    appendFileSync(log, failure(1) + failure(2));
    expect(running.app.sourceStatus().get('auth')!.files).toEqual([{ path: log, lagBytes: 2 * failure(1).length }]);
    await running.app.syncNow();
    expect(running.app.sourceStatus().get('auth')!.files).toEqual([{ path: log, lagBytes: 0 }]);
    expect(running.app.sourceStatus().get('missing')).toMatchObject({
      ready: false,
      problem: `${join(dir, 'none.log')} does not exist`,
    });
  });
});
