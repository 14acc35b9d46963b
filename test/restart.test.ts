import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FIXTURE_BIN } from './helpers/fixtures.js';
import { startRun } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir();

function writeConfig(dir: string, log: string): string {
  const config = join(dir, 'logwarden.yml');
  writeFileSync(
    config,
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources:
  - { id: app, path: ${JSON.stringify(log)}, from: start }
rules:
  - id: every-line
    source: app
    pattern: 'event seq=(?<seq>\\d+) '
    fields: { seq: int }
    threshold: { count: 1, by: [seq] }
    title: 'line {seq}'
`,
  );
  return config;
}

function openedSeqs(lines: string[]): number[] {
  return lines
    .map((l) => JSON.parse(l) as { event: string; incident: { key: { seq: string } } })
    .filter((e) => e.event === 'opened')
    .map((e) => Number(e.incident.key.seq));
}

describe('logwarden run killed with SIGKILL mid-stream', () => {
  it('resumes where it committed: every line counted once, none lost', async () => {
    const dir = tempDir();
    const log = join(dir, 'app.log');
    writeFileSync(log, '');
    const config = writeConfig(dir, log);
    // 5,000 lines/s for 3 s, never rotated.
    const writer = promisify(execFile)(process.execPath, [
      join(FIXTURE_BIN, 'rotating-writer.mjs'),
      log,
      'rename',
      '5000',
      '3',
      '1000000',
    ]);

    const first = startRun(['-c', config]);
    await expect.poll(() => first.lines.length, { timeout: 10_000 }).toBeGreaterThan(1000);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const seenBefore = first.lines.length;

    const second = startRun(['-c', config]);
    const { stdout } = await writer;
    const { total } = JSON.parse(stdout) as { total: number };
    const db = new Database(join(dir, 'store.db'), { readonly: true });
    try {
      await expect
        .poll(() => (db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n, { timeout: 15_000 })
        .toBe(total);
      const keys = db.prepare('SELECT key_json, count FROM incidents').all() as { key_json: string; count: number }[];
      expect(new Set(keys.map((k) => k.key_json)).size).toBe(total);
      expect(keys.every((k) => k.count === 1)).toBe(true);
    } finally {
      db.close();
      second.child.kill('SIGTERM');
      await second.exited;
    }
    // What the second run printed starts where the first stopped: no line reported twice. SIGKILL may have cut the
    // first run's last line in half.
    const whole = first.lines.filter((l, i) => i < first.lines.length - 1 || l.endsWith('}}'));
    const printed = [...openedSeqs(whole), ...openedSeqs(second.lines)];
    expect(new Set(printed).size).toBe(printed.length);
    expect(seenBefore).toBeLessThan(total);
  });
});
