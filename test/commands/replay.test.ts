import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReplayReport, replayFiles } from '../../src/cli/replay.js';
import { parseConfig } from '../../src/config/load.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const { rules } = parseConfig(
  "sources: [{ id: s, path: /x }]\nrules: [{ id: denied, source: s, pattern: 'denied ip=(?<ip>\\S+)', fields: { ip: ip }, threshold: { by: [ip] } }]\n",
  't.yml',
);

async function replay(text: string | Buffer, json = true) {
  const dir = tempDir();
  const file = join(dir, 'in.log');
  writeFileSync(file, text);
  let out = '';
  const report = await replayFiles([file], {
    rules,
    maxLineBytes: 1024,
    json,
    now: Date.parse('2026-11-23T12:00:00Z'),
    write: (t) => (out += t),
  });
  return {
    report,
    matches: out
      ? out
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [],
  };
}

describe('replayFiles', () => {
  it('numbers lines from 1 and counts matched, rejected and all lines', async () => {
    const { report, matches } = await replay('a\ndenied ip=203.0.113.1\nb\ndenied ip=not-an-ip\ndenied ip=::1');
    expect(matches.map((m) => [m.line, m.fields.ip])).toEqual([
      [2, '203.0.113.1'],
      [5, '::1'],
    ]);
    expect(report.lines).toBe(5);
    expect(report.counts.get('denied')).toEqual({ matched: 2, ignored: 0, rejected: 1 });
    expect(renderReplayReport(report)).toMatch(/denied\s+2\s+0\s+1\n/);
  });

  it('cuts a line longer than its read buffer and keeps counting after it', async () => {
    const long = `${'x'.repeat(5 << 20)} denied ip=203.0.113.9\n`;
    const { report, matches } = await replay(`first\n${long}denied ip=203.0.113.2\n`);
    expect(matches.map((m) => [m.line, m.fields.ip])).toEqual([[3, '203.0.113.2']]);
    expect(report.lines).toBe(3);
  });

  it('finds matches across the boundaries of its 4 MiB reads', async () => {
    const line = 'padding padding padding padding padding denied ip=198.51.100.7\n';
    const count = Math.ceil((9 << 20) / line.length);
    const { report, matches } = await replay(line.repeat(count), false);
    expect(report.lines).toBe(count);
    expect(report.counts.get('denied')!.matched).toBe(count);
    expect(matches).toEqual([]);
  });
});
