import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileSourceConfig } from '../../src/config/schema.js';
import { listSourceFiles, searchLogs, tailSource, validateSearch } from '../../src/queries/search-logs.js';
import { parseLogsQuery } from '../../src/slack/logs-query.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

describe('parseLogsQuery', () => {
  it.each([
    { text: '', query: { kind: 'help' } },
    { text: 'search Failed password', query: { kind: 'search', text: 'Failed password', regex: false, limit: 20 } },
    {
      text: 'search /Failed (password|publickey)/ source:auth since:2h limit:5',
      query: {
        kind: 'search',
        text: 'Failed (password|publickey)',
        regex: true,
        source: 'auth',
        since: 7_200_000,
        limit: 5,
      },
    },
    { text: 'search x limit:9999', query: { kind: 'search', text: 'x', regex: false, limit: 50 } },
    { text: 'tail auth', query: { kind: 'tail', source: 'auth', count: 20 } },
    { text: 'tail auth 5', query: { kind: 'tail', source: 'auth', count: 5 } },
    { text: 'incidents all since:1d', query: { kind: 'incidents', which: 'all', since: 86_400_000 } },
    { text: 'incidents', query: { kind: 'incidents', which: 'open' } },
    { text: 'ip 203.0.113.7', query: { kind: 'ip', address: '203.0.113.7' } },
    { text: 'stats since:15m', query: { kind: 'stats', since: 900_000 } },
    {
      text: 'search',
      query: { kind: 'invalid', message: 'search needs something to look for: `/logs search Failed password`.' },
    },
    {
      text: 'stats since:soon',
      query: { kind: 'invalid', message: expect.stringContaining('since:soon is not a duration') },
    },
    { text: 'rm -rf /', query: { kind: 'invalid', message: 'There is no /logs `rm`. Try `/logs help`.' } },
    {
      text: '<!channel>',
      query: { kind: 'invalid', message: 'There is no /logs `&lt;!channel&gt;`. Try `/logs help`.' },
    },
  ])('reads "$text"', ({ text, query }) => {
    expect(parseLogsQuery(text)).toEqual(query);
  });
});

describe('searchLogs', () => {
  function source(dir: string): FileSourceConfig {
    return { id: 'auth', type: 'file', path: join(dir, 'auth.log'), from: 'end', maxLineBytes: 65536 };
  }

  it('finds lines in the file and its .1 rotation, newest first, up to the limit', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log.1'), 'old Failed 1\nold Failed 2\nother\n');
    writeFileSync(join(dir, 'auth.log'), 'new Failed 3\nnoise\nnew Failed 4\n');
    expect(listSourceFiles(source(dir))).toEqual([join(dir, 'auth.log'), join(dir, 'auth.log.1')]);
    const all = searchLogs([source(dir)], { text: 'Failed', regex: false, limit: 10 }, Date.now());
    expect(all.lines.map((l) => l.text)).toEqual(['new Failed 4', 'new Failed 3', 'old Failed 2', 'old Failed 1']);
    const three = searchLogs([source(dir)], { text: 'Failed', regex: false, limit: 3 }, Date.now());
    expect(three.lines.map((l) => l.text)).toEqual(['new Failed 4', 'new Failed 3', 'old Failed 2']);
  });

  it('searches by regex and by time', () => {
    const dir = tempDir();
    const now = Date.parse('2026-11-23T12:00:00Z');
    writeFileSync(
      join(dir, 'auth.log'),
      '2026-11-23T09:00:00Z Failed password for root\n2026-11-23T11:30:00Z Failed publickey for bob\n2026-11-23T11:40:00Z Accepted password for bob\n',
    );
    const regex = searchLogs([source(dir)], { text: 'Failed (password|publickey)', regex: true, limit: 10 }, now);
    expect(regex.lines).toHaveLength(2);
    const recent = searchLogs([source(dir)], { text: 'Failed', regex: false, since: 3_600_000, limit: 10 }, now);
    expect(recent.lines.map((l) => l.text)).toEqual(['2026-11-23T11:30:00Z Failed publickey for bob']);
  });

  it('refuses a regex that could backtrack without end', () => {
    expect(validateSearch({ text: '(a+)+$', regex: true, limit: 1 })).toMatch(/is refused: it nests a repeated part/);
    expect(validateSearch({ text: '(', regex: true, limit: 1 })).toMatch(/is not a valid regular expression/);
  });

  it('tails the last lines of a source', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log'), '');
    for (let i = 0; i < 5000; i++) appendFileSync(join(dir, 'auth.log'), `line ${i} ${'x'.repeat(30)}\n`);
    expect(tailSource(source(dir), 3).map((l) => l.slice(0, 9))).toEqual(['line 4997', 'line 4998', 'line 4999']);
  });
});
