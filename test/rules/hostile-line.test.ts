import { describe, expect, it } from 'vitest';
import type { RuleEntry } from '../../src/config/schema.js';
import { compileRules } from '../../src/rules/compile.js';
import { decodeLine, matchChunk, SourceMatcher } from '../../src/rules/match.js';
import { PACK_NAMES } from '../../src/rules/packs/index.js';

const MAX = 64 * 1024;
const { rules } = compileRules(
  PACK_NAMES.filter((p) => p !== 'sshd-aggressive').map(
    (use) => ({ use, source: ['s'], ignore: [], actions: [] }) as RuleEntry,
  ),
  ['s'],
);
const matcher = new SourceMatcher(rules, MAX);

const access = (query: string) => `1.2.3.4 - - [23/Nov/2026:10:00:00 +0000] "GET /?a${query} HTTP/1.1" 404 0 "-" "-"`;
const fill = (prefix: string, unit: string, suffix = '') =>
  prefix + unit.repeat(Math.floor((MAX - prefix.length - suffix.length) / unit.length)) + suffix;

// Lines built to make backtracking regexes try every split: long runs of what a capture accepts, repeated prefixes,
// and no ending the pattern wants.
const hostile: { name: string; line: string; copies?: number }[] = [
  { name: 'a user name of 64 KiB', line: fill('Nov 23 10:00:00 h sshd[1]: Failed password for ', 'a') },
  { name: 'spaces after the prefix', line: fill('Nov 23 10:00:00 h sshd[1]: Failed password for ', ' ') },
  { name: '" from " repeated', line: fill('Nov 23 10:00:00 h sshd[1]: Invalid user x', ' from 1.2.3.4') },
  { name: 'the sshd prefix repeated', line: fill('', 'sshd[1]: Failed password for x from ') },
  { name: 'address characters only', line: fill('sshd[1]: Failed password for x from ', '1.:') },
  { name: 'a traversal path of 64 KiB', line: fill('1.2.3.4 - - [23/Nov/2026:10:00:00 +0000] "GET /', '../') },
  { name: 'scanner names without HTTP/', line: fill('1.2.3.4 - - [23/Nov/2026:10:00:00 +0000] "GET /', 'wp-admin/') },
  { name: 'nginx error with long quotes', line: fill('2026/11/23 10:00:00 [error] 1#1: *1 user "', 'a') },
  { name: 'sudo with a huge PWD', line: fill('sudo[1]: bob : user NOT in sudoers ; TTY=pts/0 ; PWD=', ' ; ') },
  { name: 'Unauthorized access attempt repeated', line: fill('', 'Unauthorized access attempt by user ') },
  // A "+" in a query decodes to a space: runs of it between two optional parts of a signature. The classifier reads
  // 8 KiB of a request (what servers accept), so 20 such requests make one block: a quadratic signature takes ~1 s.
  ...["'", "' or", '<', '${', '%{(', '="'].map((start) => ({
    name: `20 requests of ${JSON.stringify(start)} and 8 Ki "+"`,
    line: access(`${start}${'+'.repeat(8192)}`),
    copies: 20,
  })),
  { name: '20 requests of "=http://" repeated', line: access('=http://x'.repeat(1000)), copies: 20 },
];

describe('matching a 64 KiB hostile line', () => {
  it.each(hostile)('finishes $name far within budget', ({ line, copies = 1 }) => {
    const data = Buffer.from(`${line}\n`.repeat(copies));
    const started = performance.now();
    let lines = 0;
    matchChunk(matcher, data, () => {
      lines++;
    });
    const ms = performance.now() - started;
    // Normal lines take microseconds; a backtracking blow-up takes seconds to hours. 250 ms is far above normal and
    // far below a stall.
    expect(ms).toBeLessThan(250);
    expect(lines).toBeLessThanOrEqual(copies);
  });
});

describe('decodeLine', () => {
  it('cuts a line over maxLineBytes and flags it', () => {
    const data = Buffer.from(`${'x'.repeat(MAX * 4)}\n`);
    const line = decodeLine(data, 0, data.length - 1, MAX);
    expect(line.truncated).toBe(true);
    expect(line.text.length).toBe(MAX);
  });

  it('strips the CR of CRLF and replaces invalid UTF-8', () => {
    const data = Buffer.concat([Buffer.from('abc'), Buffer.from([0xff, 0x00, 0xc3]), Buffer.from('\r\n')]);
    const line = decodeLine(data, 0, data.length - 1, MAX);
    expect(line).toEqual({ text: 'abc\uFFFD\u0000\uFFFD', truncated: false });
  });
});
