// Every learned detector through the real pipeline, store and Slack (the loopback workspace, the real Bolt app): weeks
// of history appended to the log (its lines' own times count), then an anomaly of each kind; each is posted as its
// own message that explains itself. source-quiet, which needs the clock to move, runs through the real pipeline with
// a clock of its own.
import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { IncidentEvent } from '../../../src/core/types.js';
import { startSlackSetup } from '../../helpers/slack-setup.js';
import { startLogwarden } from '../../helpers/start-logwarden.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const stamp = (at: number) => `${new Date(at).toISOString().slice(0, 23)}000+00:00`;
const line = (at: number, text: string) => ({ at, text: `${stamp(at)} web1 ${text}` });
const failed = (at: number, ip: string, user = 'root', pid = 1000 + (at % 50_000)) =>
  line(at, `sshd[${pid}]: Failed password for ${user} from ${ip} port 50000 ssh2`);
const accepted = (at: number, user: string, ip: string) =>
  line(at, `sshd[${2000 + (at % 50_000)}]: Accepted publickey for ${user} from ${ip} port 50022 ssh2`);

describe('learned detectors in Slack', () => {
  it('posts each anomaly as its own message, explained', async () => {
    // The history has a log of its own: the setup's line (now) is not in the middle of it.
    const dir = tempDir();
    const history = join(dir, 'history.log');
    writeFileSync(history, '');
    const s = await startSlackSetup(dir, cleanup, {
      sources: [`{ id: hist, path: ${JSON.stringify(history)} }`],
      // The setup's own failed login (bob from 203.0.113.7) is posted by a rule of its own.
      rules: `rules:
  - { id: setup, source: auth, program: sshd, pattern: 'Failed password for bob from (?<ip>203\\.0\\.113\\.7) ', fields: { ip: ip }, threshold: { count: 1 } }
  - { use: sshd, source: [auth, hist] }
  - { detect: success-after-failures, source: [auth, hist] }
  - { detect: new-login-source, source: [auth, hist], learn: { period: 1d } }
  - { detect: unusual-time, source: [auth, hist], learn: { period: 1d, timezone: UTC } }
  - { detect: spike, source: [auth, hist], learn: { period: 1d, timezone: UTC } }
  - { detect: distributed-attack, source: [auth, hist] }
  - { detect: slow-attack, source: [auth, hist] }`,
    });
    const today = Math.floor(Date.now() / DAY) * DAY;
    const lines = [];
    // Two weeks of alice's working days from one network, and two failures every five minutes for two days.
    for (let day = 14; day >= 1; day--) {
      for (const h of [9 + 1 / 6, 11 + 2 / 3, 14 + 1 / 3, 16 + 5 / 6])
        lines.push(accepted(today - day * DAY + h * HOUR, 'alice', '10.0.0.5'));
    }
    for (let at = today - 2 * DAY; at < today - 3 * HOUR; at += 5 * MINUTE) {
      lines.push(
        failed(at + MINUTE, `198.51.100.${(at / MINUTE) % 200}`),
        failed(at + 3 * MINUTE, `198.18.0.${(at / MINUTE) % 200}`),
      );
    }
    // Anomalies, in the last hours before today.
    const t = today - 3 * HOUR;
    lines.push(accepted(today - DAY + 3 * HOUR + 14 * MINUTE, 'alice', '10.0.0.5'));
    lines.push(accepted(t + 1 * MINUTE, 'alice', '192.0.2.77'));
    for (let k = 0; k < 6; k++) lines.push(failed(t + 10 * MINUTE + k * 5000, '203.0.113.66', 'carol', 3000 + k));
    lines.push(accepted(t + 11 * MINUTE, 'carol', '203.0.113.66'));
    for (let k = 0; k < 36; k++)
      lines.push(failed(t + 20 * MINUTE + k * 2000, `192.0.2.${100 + (k % 6)}`, 'admin', 4000 + k));
    for (let k = 0; k < 22; k++) lines.push(failed(t + 40 * MINUTE + k * MINUTE, `203.0.113.${100 + k}`, 'bob'));
    for (let k = 0; k < 14; k++) lines.push(failed(t + k * 8 * MINUTE + 30_000, '203.0.113.50', 'root'));
    lines.sort((a, b) => a.at - b.at);
    appendFileSync(history, `${lines.map((l) => l.text).join('\n')}\n`);
    const posted = () =>
      s.slack
        .callsOf('chat.postMessage')
        .filter((c) => !c.params.thread_ts)
        .map((c) => `${c.params.text} ${JSON.stringify(c.params.blocks)}`);
    const find = (re: RegExp) => posted().find((p) => re.test(p));
    const expected = [
      /alice logged in \(publickey\) at \w{3} 03:14, an hour they almost never log in \(usually 09:00–17:00/,
      /alice logged in from 192\.0\.2\.77, a network new to them \(192\.0\.2\.0\/24; known: 10\.0\.0\.0\/24\)/,
      /CRITICAL · carol logged in from 203\.0\.113\.66 after 6 failures in 1m/,
      /auth\.failure on hist: 20 in 5 minutes at \w{3} \d\d:\d\d, \d+× the usual/,
      /bob targeted from 20 addresses within 1h, each failing fewer than 5 times/,
      /203\.0\.113\.50 failed to log in 12 times over 1h30m, at most \d in any 10 minutes: a slow brute force/,
    ];
    await expect.poll(() => expected.filter((re) => !find(re)).map(String), { timeout: 10_000 }).toEqual([]);

    // Each explains itself in its fields: the user's hours as a sparkline, the usual counts of the day.
    expect(find(expected[0]!)).toMatch(/\*hours\*\\n`▁▁▁▁▁▁▁▁▁█▁█▁▁█▁█▁▁▁▁▁▁▁ \(00–23h\)`/);
    expect(find(expected[3]!)).toMatch(/\*day\*\\n`[▁-█]{24} \(usual per hour, \w{3} 00–23h\)`/);
    // /logs baseline: what they learned of a user, and of a source.
    await s.slack.send('slash_commands', s.logs('U0ALICE', 'baseline alice'));
    await s.slack.send('slash_commands', s.logs('U0ALICE', 'baseline hist'));
    await expect.poll(() => s.replies().length).toBe(2);
    await s.slack.send('slash_commands', s.logs('U0ALICE', 'stats'));
    await expect.poll(() => s.replies().length).toBe(3);
    const [user, source, stats] = s.replies();
    // Each learning detector's period: all have learned a day (their period here) of history.
    expect(stats).toContain('*Learned detectors*');
    expect(stats).toMatch(/`unusual-time` speaking \(learned since \d{4}-\d\d-\d\dT\d\d:\d\dZ\)/);
    expect(stats).toMatch(/`spike` speaking/);
    expect(user).toContain('What the learned detectors know of `alice`');
    expect(user).toMatch(
      /networks alice logged in from: 192\.0\.2\.0\/24 \(1×, last \w+ ago\), 10\.0\.0\.0\/24 \(57×, last \w+ ago\)/,
    );
    // 56: the two logins it spoke of (03:14, and 21:01 folded into that incident) were not learned.
    expect(user).toMatch(/alice's 56 logins by hour \(UTC\): ▁▁▁▁▁▁▁▁▁█▁█▁▁█▁█▁▁▁▁▁▁▁ \(00–23h\), usually 09:00–17:00/);
    expect(source).toMatch(
      /auth\.failure on hist, usual per 5 min by hour on \w{3}: [▁-█]{24} \(00–23h\); now \d+\.\d, lately at most \d+/,
    );
  });

  it('learns from a false positive: the hour becomes usual, the like of it says nothing, the audit says what it learned', async () => {
    const dir = tempDir();
    const history = join(dir, 'history.log');
    writeFileSync(history, '');
    let skew = 0;
    const s = await startSlackSetup(dir, cleanup, {
      clock: () => Date.now() + skew,
      sources: [`{ id: hist, path: ${JSON.stringify(history)} }`],
      rules: `rules:
  - { use: sshd, source: auth, threshold: { count: 1 } }
  - { detect: unusual-time, source: hist, learn: { period: 1d, timezone: UTC } }`,
    });
    const today = Math.floor(Date.now() / DAY) * DAY;
    const lines = [];
    for (let day = 14; day >= 3; day--) {
      for (const h of [9 + 1 / 6, 11 + 2 / 3, 14 + 1 / 3, 16 + 5 / 6])
        lines.push(accepted(today - day * DAY + h * HOUR, 'alice', '10.0.0.5'));
    }
    lines.push(accepted(today - 2 * DAY + 3 * HOUR + 14 * MINUTE, 'alice', '10.0.0.5'));
    appendFileSync(history, `${lines.map((l) => l.text).join('\n')}\n`);
    await expect
      .poll(() => s.events.filter((e) => e.incident.rule === 'unusual-time').map((e) => e.event))
      .toEqual(['opened']);
    const id = s.events.find((e) => e.incident.rule === 'unusual-time')!.incident.id;
    await s.slack.send('interactive', s.click('U0ALICE', 'incident:false-positive', String(id)));
    await expect.poll(() => s.audit().map((a) => a.action)).toContain('detector:taught');
    expect(JSON.parse(s.audit().find((a) => a.action === 'detector:taught')!.data_json)).toMatchObject({
      rule: 'unusual-time',
      taught: `${['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][(new Date(today - 2 * DAY).getUTCDay() + 6) % 7]} 03:00 is an hour alice logs in`,
    });
    // Two hours on (the brief silence is over), the next night at that hour says nothing; another hour still speaks.
    skew = 2 * HOUR;
    appendFileSync(
      history,
      `${accepted(today - DAY + 3 * HOUR + 40 * MINUTE, 'alice', '10.0.0.5').text}\n${accepted(today - DAY + 22 * HOUR + 10 * MINUTE, 'alice', '10.0.0.5').text}\n`,
    );
    await expect
      .poll(() =>
        s.events.filter((e) => e.incident.rule === 'unusual-time').map((e) => [e.event, e.incident.fields.when]),
      )
      .toEqual([
        ['opened', expect.stringMatching(/ 03:14$/)],
        ['closed', expect.stringMatching(/ 03:14$/)],
        ['opened', expect.stringMatching(/ 22:10$/)],
      ]);
    // The lesson can be taken back, once: the hour it taught is unlearned (the logins it let in since stay).
    const logins = async () => {
      const before = s.replies().length;
      await s.slack.send('slash_commands', s.logs('U0ALICE', 'baseline alice'));
      await expect.poll(() => s.replies().length).toBe(before + 1);
      return Number(/alice's (\d+) logins/.exec(s.replies().at(-1)!)?.[1]);
    };
    const taughtCount = await logins();
    await s.slack.send('slash_commands', s.logs('U0ALICE', `unlearn ${id}`));
    await expect
      .poll(() => s.replies().at(-1))
      .toMatch(/^Taken back from `unusual-time`: \w{3} 03:00 is an hour alice logs in/);
    await s.slack.send('slash_commands', s.logs('U0ALICE', `unlearn ${id}`));
    await expect.poll(() => s.replies().at(-1)).toMatch(/already taken back/);
    expect(await logins()).toBe(taughtCount - 1);
    expect(
      s
        .audit()
        .map((a) => a.action)
        .filter((a) => a.startsWith('detector:')),
    ).toEqual(['detector:taught', 'detector:untaught']);
  });

  it('lifting the silence of a false positive with /logs unsilence takes back what it taught, once', async () => {
    const dir = tempDir();
    const history = join(dir, 'history.log');
    writeFileSync(history, '');
    const s = await startSlackSetup(dir, cleanup, {
      sources: [`{ id: hist, path: ${JSON.stringify(history)} }`],
      rules: `rules:
  - { use: sshd, source: auth, threshold: { count: 1 } }
  - { detect: unusual-time, source: hist, learn: { period: 1d, timezone: UTC } }`,
    });
    const today = Math.floor(Date.now() / DAY) * DAY;
    const lines = [];
    for (let day = 14; day >= 3; day--) {
      for (const h of [9 + 1 / 6, 11 + 2 / 3, 14 + 1 / 3, 16 + 5 / 6])
        lines.push(accepted(today - day * DAY + h * HOUR, 'alice', '10.0.0.5'));
    }
    lines.push(accepted(today - 2 * DAY + 3 * HOUR + 14 * MINUTE, 'alice', '10.0.0.5'));
    appendFileSync(history, `${lines.map((l) => l.text).join('\n')}\n`);
    await expect.poll(() => s.events.filter((e) => e.incident.rule === 'unusual-time').length).toBe(1);
    const id = s.events.find((e) => e.incident.rule === 'unusual-time')!.incident.id;
    await s.slack.send('interactive', s.click('U0ALICE', 'incident:false-positive', String(id)));
    await expect.poll(() => s.audit().map((a) => a.action)).toContain('detector:taught');
    const ask = async (text: string) => {
      const before = s.replies().length;
      await s.slack.send('slash_commands', s.logs('U0ALICE', text));
      await expect.poll(() => s.replies().length).toBe(before + 1);
      return s.replies().at(-1)!;
    };
    const silence = /#(\d+) `unusual-time alice` false-positive/.exec(await ask('silences'))?.[1];
    expect(silence).toBeDefined();
    expect(await ask(`unsilence ${silence}`)).toMatch(
      new RegExp(
        `^Silence #${silence} lifted, and what its false positive taught \`unusual-time\` taken back: \\w{3} 03:00 is an hour alice logs in\\. `,
      ),
    );
    expect(await ask(`unlearn ${id}`)).toMatch(/already taken back/);
    expect(
      s
        .audit()
        .map((a) => a.action)
        .filter((a) => a.startsWith('detector:') || a.startsWith('silence:')),
    ).toEqual(['detector:taught', 'silence:lift', 'detector:untaught']);
  });

  it('source-quiet: a source silent for far longer than usual opens a high incident at a sweep', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(log)} }]
rules: [{ detect: source-quiet, source: auth, learn: { period: 1h, timezone: UTC } }]
tail: { pollInterval: 20ms }
`,
      'quiet.yml',
    );
    let now = Date.UTC(2026, 0, 5, 8);
    const events: IncidentEvent[] = [];
    const lw = await startLogwarden(loaded, { clock: () => now, onEvent: (e) => events.push(e) });
    cleanup.push(() => lw.stop());
    // A line a minute for 70 minutes (it learns for an hour), each read before the clock moves on.
    for (let k = 0; k < 70; k++) {
      appendFileSync(
        log,
        `${stamp(now)} web1 CRON[1]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)\n`,
      );
      const { dev, ino, size } = statSync(log);
      await expect.poll(async () => (await lw.store.checkpoints.readOffset(dev, ino))?.offset).toBe(size);
      now += MINUTE;
    }
    now += 13 * MINUTE;
    await lw.app.sweep();
    expect(events).toEqual([]);
    now += 2 * MINUTE;
    await lw.app.sweep();
    expect(events.map((e) => [e.event, e.incident.severity, e.incident.title])).toEqual([
      ['opened', 'high', 'auth has been silent for 16m (usually under 1m), since Mon 09:09'],
    ]);
  });

  it('source-quiet: a source that cannot be read for `within` opens an incident saying why, learning or not', async () => {
    const dir = tempDir();
    const log = join(dir, 'gone', 'auth.log');
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(log)} }]
rules: [{ detect: source-quiet, source: auth, learn: { timezone: UTC } }]
tail: { pollInterval: 20ms }
`,
      'broken.yml',
    );
    let now = Date.UTC(2026, 0, 5, 8);
    const events: IncidentEvent[] = [];
    const lw = await startLogwarden(loaded, { clock: () => now, onEvent: (e) => events.push(e) });
    cleanup.push(() => lw.stop());
    await lw.app.sweep();
    now += 14 * MINUTE;
    await lw.app.sweep();
    expect(events).toEqual([]);
    now += MINUTE;
    await lw.app.sweep();
    // Told once.
    now += 30 * MINUTE;
    await lw.app.sweep();
    expect(events.map((e) => [e.event, e.incident.severity, e.incident.title])).toEqual([
      ['opened', 'high', `auth cannot be read (${join(dir, 'gone')} does not exist) for 15m, since Mon 08:00`],
    ]);
  });
});
