// `logwarden learn`: the learned detectors bootstrapped from old logs — logrotate's numbered copies, gzip too, read
// oldest first whatever order they are given in — into the store, with no incident opened; and `replay` reads .gz.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateHost } from '../../bench/generate-weeks.mjs';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const WEEK = 7 * 86_400_000;

describe('logwarden learn', () => {
  it('learns from auth.log, .1 and .2.gz, oldest first, into the store, opening nothing', async () => {
    const dir = tempDir();
    const host = generateHost({ weeks: 3, seed: 3, anomalyFrom: 100 });
    const week = (n: number) =>
      `${host.lines
        .filter((l) => l.at >= host.start + n * WEEK && l.at < host.start + (n + 1) * WEEK)
        .map((l) => l.text)
        .join('\n')}\n`;
    const log = join(dir, 'auth.log');
    writeFileSync(`${log}.2.gz`, gzipSync(week(0)));
    writeFileSync(`${log}.1`, week(1));
    writeFileSync(log, week(2));
    const config = join(dir, 'logwarden.yml');
    writeFileSync(
      config,
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(log)} }]
rules:
  - { use: sshd, source: auth }
  - { detect: new-login-source, source: auth }
  - { detect: unusual-time, source: auth, learn: { timezone: UTC } }
  - { detect: spike, source: auth, learn: { timezone: UTC } }
`,
    );
    const before = await runCli(['check', '-c', config]);
    expect(before.stdout).toContain('  new-login-source  medium, auth.success from a network');
    expect(
      before.stdout.match(/^ {4}learning: nothing read yet; it learns for \S+ from its first line .*$/gm),
    ).toHaveLength(3);
    const learned = await runCli(['learn', '-c', config, log, `${log}.1`, `${log}.2.gz`]);
    expect(learned.stderr).toBe('');
    expect(learned.code).toBe(0);
    const lines = learned.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('  /')).map((l) => l.trim().split(' ')[0])).toEqual([
      `${log}.2.gz`,
      `${log}.1`,
      log,
    ]);
    expect(learned.stdout).toMatch(/new-login-source \[new-login-source\]: \d+ facts of 12 subjects, from 2026-01-05/);
    expect(learned.stdout).toMatch(/unusual-time \[unusual-time\]: \d+ facts of 12 subjects/);
    // One subject: auth.failure on auth (the sshd pack's events).
    expect(learned.stdout).toMatch(/spike \[spike\]: \d+ facts of 1 subject, /);
    const store = new SqliteStore(join(dir, 'store.db'));
    try {
      const state = await store.incidents.readTrackerState(Date.now());
      const alice = (state.learned ?? []).filter((f) => f.rule === 'unusual-time' && f.subject === 'alice');
      const logins = host.lines.filter((l) => / Accepted \S+ for alice /.test(l.text)).length;
      expect(alice.reduce((sum, f) => sum + f.count, 0)).toBe(logins);
      expect(await store.incidents.readAll()).toEqual([]);
      expect(state.hits).toEqual([]);
    } finally {
      await store.close();
    }
    // check reads when each started learning from the store (the logs' first line, long past).
    const after = await runCli(['check', '-c', config]);
    expect(after.stdout.match(/^ {4}speaking: learned since 2026-01-05T\d\d:\d\dZ$/gm)).toHaveLength(3);
    // replay reads the .gz as it reads the plain file.
    writeFileSync(join(dir, 'plain.log'), week(0));
    const [gz, plain] = await Promise.all([
      runCli(['replay', '-c', config, `${log}.2.gz`]),
      runCli(['replay', '-c', config, join(dir, 'plain.log')]),
    ]);
    const table = (out: string) => out.split('\n').filter((l) => /^\S+(\s+[\d,]+){3}$/.test(l));
    expect(table(gz.stdout)).toEqual(table(plain.stdout));
    expect(table(gz.stdout)).toHaveLength(4);
    expect(gz.stdout).toMatch(/^Replayed 14,401 lines/);
  });

  it('lists what the rules would have opened over the old logs, the most severe first: an intrusion is not learned unseen', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    const at = (m: number) => `2026-03-02T03:${String(m).padStart(2, '0')}:00.000000+00:00 web1 sshd[${100 + m}]:`;
    writeFileSync(
      log,
      [
        ...Array.from(
          { length: 6 },
          (_, m) => `${at(m)} Failed password for alice from 203.0.113.7 port 4000${m} ssh2`,
        ),
        `${at(7)} Accepted password for alice from 203.0.113.7 port 40007 ssh2`,
        // Log text never reaches the terminal as escapes.
        `${at(8)} Invalid user \u001b[31mred from 198.51.100.9 port 1 ssh2`,
        '',
      ].join('\n'),
    );
    const config = join(dir, 'logwarden.yml');
    writeFileSync(
      config,
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(log)} }]
rules:
  - { use: sshd, source: auth }
  - { detect: success-after-failures, source: auth }
  - { detect: new-login-source, source: auth }
`,
    );
    const learned = await runCli(['learn', '-c', config, log]);
    expect(learned.code).toBe(0);
    const listed = learned.stdout.split('\n');
    const from = listed.findIndex((l) => l.startsWith('The rules would have opened'));
    expect(listed[from]).toBe(
      'The rules would have opened 2 incidents over these logs (none was kept). Look at them: what an intruder did then was learned as usual.',
    );
    expect(listed.slice(from + 1, from + 3)).toEqual([
      '  2026-03-02 03:00  critical success-after-failures: alice logged in from 203.0.113.7 after 6 failures in 7m (6×)',
      expect.stringMatching(/^ {2}2026-03-02 03:00 {2}high {5}sshd: .*203\.0\.113\.7.* \(6×\)$/),
    ]);
    expect(learned.stdout).not.toContain('\u001b');
  });

  it('check says the learning state is unknown when the store cannot be read, not that nothing was read', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'store.db'), 'not a database');
    const config = join(dir, 'logwarden.yml');
    writeFileSync(
      config,
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(join(dir, 'auth.log'))} }]
rules: [{ detect: new-login-source, source: auth }]
`,
    );
    const checked = await runCli(['check', '-c', config]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/^ {4}learning: unknown, the store cannot be read \(.+\)$/m);
  });

  it('exits 2 when there is nothing to learn for, or a file has no source', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const config = (rules: string) => {
      const file = join(dir, `c${rules.length}.yml`);
      writeFileSync(
        file,
        `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(log)} }, { id: web, path: /var/log/nginx/access.log }]
rules: [${rules}]
`,
      );
      return file;
    };
    const none = await runCli(['learn', '-c', config('{ use: sshd, source: auth }'), log]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('has no detect: rules: there is nothing to learn for.');
    const stray = join(dir, 'other.log');
    writeFileSync(stray, '');
    const unplaced = await runCli(['learn', '-c', config('{ detect: new-login-source, source: auth }'), stray]);
    expect(unplaced.code).toBe(2);
    expect(unplaced.stderr).toContain(`${stray}: which source is it from? Name it with --source (auth, web).`);
    const named = await runCli([
      'learn',
      '-c',
      config('{ detect: new-login-source, source: auth }'),
      '--source',
      'auth',
      stray,
    ]);
    expect(named.code).toBe(0);
  });
});
