import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseLogsQuery } from '../../../src/chat/slack/logs-query.js';
import type { FileSourceConfig } from '../../../src/config/schema.js';
import { listSourceFiles, searchLogs, tailSource, validateSearch } from '../../../src/queries/search-logs.js';
import { useTempDir } from '../../helpers/temp-dir.js';

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
    { text: 'baseline alice', query: { kind: 'baseline', subject: 'alice' } },
    {
      text: 'baseline alice bob',
      query: { kind: 'invalid', message: 'baseline needs one user, source or address: `/logs baseline alice`.' },
    },
    { text: 'unlearn #12', query: { kind: 'unlearn', incident: 12 } },
    { text: 'unlearn 0', query: { kind: 'invalid', message: expect.stringContaining('unlearn needs the number') } },
    {
      text: 'search',
      query: { kind: 'invalid', message: 'search needs something to look for: `/logs search Failed password`.' },
    },
    {
      text: 'stats since:soon',
      query: { kind: 'invalid', message: expect.stringContaining('`since:soon` is not a duration') },
    },
    { text: 'rm -rf /', query: { kind: 'invalid', message: 'There is no /logs `rm`. Try `/logs help`.' } },
    {
      text: `search /${'(a|aa)'.repeat(100)}/`,
      query: { kind: 'invalid', message: 'What to search for is at most 500 characters.' },
    },
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

  it('finds lines in the file and its .1 rotation, newest first, up to the limit', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log.1'), 'old Failed 1\nold Failed 2\nother\n');
    writeFileSync(join(dir, 'auth.log'), 'new Failed 3\nnoise\nnew Failed 4\n');
    expect(listSourceFiles(source(dir))).toEqual([join(dir, 'auth.log'), join(dir, 'auth.log.1')]);
    const all = await searchLogs([source(dir)], { text: 'Failed', regex: false, limit: 10 }, Date.now());
    expect(all.lines.map((l) => l.text)).toEqual(['new Failed 4', 'new Failed 3', 'old Failed 2', 'old Failed 1']);
    const three = await searchLogs([source(dir)], { text: 'Failed', regex: false, limit: 3 }, Date.now());
    expect(three.lines.map((l) => l.text)).toEqual(['new Failed 4', 'new Failed 3', 'old Failed 2']);
  });

  it("reads logrotate's compressed rotations, newest first, and stops at the byte budget inside one", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log'), 'new Failed 5\n');
    writeFileSync(join(dir, 'auth.log.1'), 'Failed 4\n');
    writeFileSync(join(dir, 'auth.log.2.gz'), gzipSync('Failed 3\nother\n'));
    writeFileSync(join(dir, 'auth.log.3.gz'), gzipSync(`Failed 2\n${'x'.repeat(100_000)}\nFailed 1\n`));
    expect(listSourceFiles(source(dir)).map((f) => f.slice(dir.length + 1))).toEqual([
      'auth.log',
      'auth.log.1',
      'auth.log.2.gz',
      'auth.log.3.gz',
    ]);
    const all = await searchLogs([source(dir)], { text: 'Failed', regex: false, limit: 10 }, Date.now());
    expect(all.lines.map((l) => l.text)).toEqual(['new Failed 5', 'Failed 4', 'Failed 3', 'Failed 1', 'Failed 2']);
    // A rotation larger than what is left of the budget is inflated up to it: what it found by then stands.
    const cut = await searchLogs([source(dir)], { text: 'Failed', regex: false, limit: 10 }, Date.now(), {
      timeMs: 60_000,
      bytes: 50_000,
    });
    expect(cut.lines.map((l) => l.text)).toEqual(['new Failed 5', 'Failed 4', 'Failed 3', 'Failed 2']);
    expect(cut.cut).toMatchObject({ reason: 'bytes', filesRead: 3 });
  });

  it('inflates a compressed rotation as a stream: a bomb is stopped at the budget, and by the deadline', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log'), '');
    // 64 MiB of lines in 64 KiB.
    writeFileSync(join(dir, 'auth.log.2.gz'), gzipSync(Buffer.alloc(64 << 20, 'Failed x\n'), { level: 9 }));
    const request = { text: 'nothing like it', regex: false, limit: 10 };
    const bytes = await searchLogs([source(dir)], request, Date.now(), { timeMs: 60_000, bytes: 1 << 20 });
    expect(bytes.cut).toMatchObject({ reason: 'bytes', filesRead: 1 });
    expect(bytes.cut!.bytesRead).toBeLessThan((1 << 20) + (64 << 10) + 1);
    let t = 0;
    const time = await searchLogs(
      [source(dir)],
      request,
      Date.now(),
      { timeMs: 5000, bytes: Infinity },
      () => (t += 1000),
    );
    expect(time.cut).toMatchObject({ reason: 'time', filesRead: 1 });
    expect(time.cut!.bytesRead).toBeLessThan(64 << 20);
  });

  it('searches by regex and by time', async () => {
    const dir = tempDir();
    const now = Date.parse('2026-11-23T12:00:00Z');
    writeFileSync(
      join(dir, 'auth.log'),
      '2026-11-23T09:00:00Z Failed password for root\n2026-11-23T11:30:00Z Failed publickey for bob\n2026-11-23T11:40:00Z Accepted password for bob\n',
    );
    const regex = await searchLogs([source(dir)], { text: 'Failed (password|publickey)', regex: true, limit: 10 }, now);
    expect(regex.lines).toHaveLength(2);
    const recent = await searchLogs([source(dir)], { text: 'Failed', regex: false, since: 3_600_000, limit: 10 }, now);
    expect(recent.lines.map((l) => l.text)).toEqual(['2026-11-23T11:30:00Z Failed publickey for bob']);
  });

  it('takes the regexes a linear-time engine runs, and refuses the rest saying why', () => {
    expect(validateSearch({ text: '(a+)+$', regex: true, limit: 1 })).toBeUndefined();
    expect(validateSearch({ text: '(a|a){1,60}$', regex: true, limit: 1 })).toBeUndefined();
    expect(validateSearch({ text: '(?=(a+)+$)', regex: true, limit: 1 })).toMatch(/RE2 syntax: no lookaround/);
    expect(validateSearch({ text: '(a)\\1', regex: true, limit: 1 })).toMatch(/cannot be searched for/);
    expect(validateSearch({ text: '(', regex: true, limit: 1 })).toMatch(/cannot be searched for: .*missing/);
  });

  it('answers the patterns that freeze a backtracking engine, at once and correctly', async () => {
    const dir = tempDir();
    const attack = `GET /${'a'.repeat(3400)}! Failed for from port ${'ssh2 '.repeat(40)}`;
    writeFileSync(
      join(dir, 'auth.log'),
      `${attack}\n${'a'.repeat(3400)}\nFailed password for x from 1.2.3.4 port 22 ssh2\n`,
    );
    const search = async (text: string) =>
      (await searchLogs([source(dir)], { text, regex: true, limit: 10 }, Date.now())).lines;
    expect(await search('Failed.*for.*from.*port.*ssh2')).toHaveLength(2);
    expect(await search('(a|a){1,60}$')).toHaveLength(1);
    expect(await search('(a+)+$')).toHaveLength(1);
  });

  it('reads RE2 syntax as RE2 does, without a literal screen that would read it otherwise', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log'), 'FAILED password\nFailed. yes\nFailedX no\nzzz\n');
    const search = async (text: string) =>
      (await searchLogs([source(dir)], { text, regex: true, limit: 10 }, Date.now())).lines.map((l) => l.text);
    expect(await search('(?i)failed password')).toEqual(['FAILED password']);
    expect(await search('\\QFailed.\\E')).toEqual(['Failed. yes']);
    expect(await search('z\\z')).toEqual(['zzz']);
  });

  it('stops at its byte budget and at its time budget, saying how far it got', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log'), 'noise line of text\n'.repeat(200_000));
    const request = { text: 'Failed', regex: false, limit: 10 };
    const bytes = await searchLogs([source(dir)], request, Date.now(), { timeMs: 60_000, bytes: 1 << 20 });
    expect(bytes.cut).toEqual({ reason: 'bytes', bytesRead: expect.any(Number), filesRead: 0 });
    expect(bytes.cut!.bytesRead).toBeGreaterThanOrEqual(1 << 20);
    expect(bytes.cut!.bytesRead).toBeLessThan(2 << 20);
    let t = 0;
    const time = await searchLogs(
      [source(dir)],
      request,
      Date.now(),
      { timeMs: 5000, bytes: Infinity },
      () => (t += 1000),
    );
    expect(time.cut).toMatchObject({ reason: 'time', filesRead: 0 });
    expect((await searchLogs([source(dir)], request, Date.now())).cut).toBeUndefined();
  });

  it('stops within a block when its time is up: one long line can take a regex long to read', async () => {
    const dir = tempDir();
    // 32 lines of 4,000 characters: one block, so a check between blocks would come only after all of them.
    writeFileSync(join(dir, 'auth.log'), `${'x'.repeat(4000)}\n`.repeat(32));
    let t = 0;
    let reads = 0;
    const clock = () => {
      reads++;
      t += 1000;
      return t;
    };
    const result = await searchLogs(
      [source(dir)],
      { text: 'x{3}y', regex: true, limit: 10 },
      Date.now(),
      { timeMs: 5000, bytes: Infinity },
      clock,
    );
    expect(result.cut).toMatchObject({ reason: 'time', filesRead: 0 });
    // The clock was read a few times, not once per line of the block and then some.
    expect(reads).toBeLessThan(10);
  });

  it('says why a regex cannot be searched for, from the search itself (run in the worker)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log'), 'a\n');
    expect(await searchLogs([source(dir)], { text: '(?=a)', regex: true, limit: 1 }, Date.now())).toEqual({
      lines: [],
      files: 0,
      refused: [],
      problem: expect.stringMatching(/RE2 syntax: no lookaround/),
    });
  });

  it("tails a glob's newest file by when it was written, not by its name", () => {
    const dir = tempDir();
    writeFileSync(join(dir, '0.log'), 'planted\n');
    writeFileSync(join(dir, 'auth.log'), 'real\n');
    utimesSync(join(dir, '0.log'), new Date(2000, 0, 1), new Date(2000, 0, 1));
    const glob = { ...source(dir), path: join(dir, '*.log') };
    expect(listSourceFiles(glob)).toEqual([join(dir, 'auth.log'), join(dir, '0.log')]);
    expect(tailSource(glob, 1).lines).toEqual(['real']);
  });

  it('never reads a link a glob finds or a .1 rotation that is a link; the configured path may be one', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'logwarden.env'), 'SLACK_BOT_TOKEN=SECRET\n');
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs', 'app.log'), 'app line\n');
    symlinkSync('../logwarden.env', join(dir, 'logs', 'zz.log'));
    symlinkSync(join(dir, 'logwarden.env'), join(dir, 'logs', 'app.log.1'));
    const glob: FileSourceConfig = { ...source(dir), path: join(dir, 'logs', '*.log') };
    expect(listSourceFiles(glob)).toEqual([join(dir, 'logs', 'app.log')]);
    expect((await searchLogs([glob], { text: 'SECRET', regex: false, limit: 10 }, Date.now())).lines).toEqual([]);
    symlinkSync(join(dir, 'logs', 'app.log'), join(dir, 'linked.log'));
    const linked: FileSourceConfig = { ...source(dir), path: join(dir, 'linked.log') };
    expect((await searchLogs([linked], { text: 'app', regex: false, limit: 10 }, Date.now())).lines).toHaveLength(1);
  });

  it('refuses a FIFO and a device instead of hanging or spinning, and says so', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'auth.log')]);
    const fifo = await searchLogs([source(dir)], { text: 'x', regex: false, limit: 10 }, Date.now());
    expect(fifo.refused).toEqual([{ file: join(dir, 'auth.log'), reason: 'a FIFO (named pipe)' }]);
    expect(tailSource(source(dir), 5)).toEqual({ lines: [], refused: 'a FIFO (named pipe)' });
    const zero: FileSourceConfig = { ...source(dir), path: '/dev/zero' };
    expect((await searchLogs([zero], { text: 'x', regex: false, limit: 10 }, Date.now())).refused).toEqual([
      { file: '/dev/zero', reason: 'a device' },
    ]);
    expect(tailSource(zero, 5).refused).toBe('a device');
  });

  it('tails a long unterminated line and a sparse file reading only what it returns', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log'), `first\n${'x'.repeat(32 << 20)}`);
    const long = tailSource({ ...source(dir), maxLineBytes: 4096 }, 20);
    expect(long.lines).toHaveLength(1);
    expect(long.lines[0]).toMatch(/^x{2000}$/);
    const sparse = join(dir, 'sparse.log');
    writeFileSync(sparse, '');
    truncateSync(sparse, 64 << 30);
    appendFileSync(sparse, 'last line\n');
    const tail = tailSource({ ...source(dir), path: sparse, maxLineBytes: 4096 }, 2);
    // The line before it is 64 GiB long: only its end was read, and a line's end is not shown as a line.
    expect(tail.lines).toEqual(['last line']);
  });

  it('tails the last lines of a source', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.log'), '');
    for (let i = 0; i < 5000; i++) appendFileSync(join(dir, 'auth.log'), `line ${i} ${'x'.repeat(30)}\n`);
    expect(tailSource(source(dir), 3).lines.map((l) => l.slice(0, 9))).toEqual(['line 4997', 'line 4998', 'line 4999']);
  });
});
