// Every pack against its table: each message wrapped in every envelope its program writes it in, each line with the
// rule and fields it must produce, and lines it must leave alone. The tables cite the format string of each row.
import { describe, expect, it } from 'vitest';
import type { SourceMatcher } from '../../../src/rules/match.js';
import type { PackName } from '../../../src/rules/packs/index.js';
import { BUSYBOX, type Envelope, JOURNAL_FULL, JOURNAL_UNIX, SOLARIS, SYSLOG_ENVELOPES } from './envelopes.js';
import { genericTable } from './generic-table.js';
import { loginTable } from './login-table.js';
import { matchesOf, packMatcher } from './matching.js';
import { pamGenericTable } from './pam-generic-table.js';
import { sshdAggressiveTable } from './sshd-aggressive-table.js';
import { sshdTable } from './sshd-table.js';
import { sudoTable } from './sudo-table.js';
import type { MatchRow, NoMatchRow, PackTable } from './table.js';
import {
  lighttpdMatch,
  lighttpdNoMatch,
  webAccessMatch,
  webAccessNoMatch,
  webErrorMatch,
  webErrorNoMatch,
} from './web-table.js';

const PIDS: Record<string, string> = { sshd: '4242', 'sshd-session': '4243', sudo: '812' };

interface Case {
  pack: PackName;
  line: string;
  row: MatchRow | NoMatchRow;
  rule?: string;
}

/** Every line a table's row stands for: a whole line as it is, a message in each envelope under each program. */
function expand(table: PackTable, envelopes: readonly Envelope[], rows: (MatchRow | NoMatchRow)[]): Case[] {
  return rows.flatMap((row) => {
    if (row.line) return [{ pack: table.pack, line: row.line, row }];
    const programs = row.program ? [row.program] : table.programs;
    return programs.flatMap((program) =>
      envelopes.map((env) => ({
        pack: table.pack,
        line: env.wrap(program, PIDS[program] ?? '1187', row.message!),
        row,
      })),
    );
  });
}

const tables: { table: PackTable; envelopes: readonly Envelope[] }[] = [
  { table: sshdTable, envelopes: [...SYSLOG_ENVELOPES, JOURNAL_FULL, JOURNAL_UNIX, SOLARIS, BUSYBOX] },
  { table: sshdAggressiveTable, envelopes: SYSLOG_ENVELOPES },
  { table: sudoTable, envelopes: sudoTable.envelopes! },
  { table: loginTable, envelopes: [...loginTable.envelopes!, BUSYBOX] },
  { table: genericTable, envelopes: SYSLOG_ENVELOPES },
  { table: pamGenericTable, envelopes: SYSLOG_ENVELOPES },
];

// Access-log rows are tried bare (web and apache packs) and inside nginx's syslog output (nginx pack).
const webCases = (rows: (MatchRow | NoMatchRow)[]): Case[] =>
  rows.flatMap((row) => {
    const rule = 'rule' in row && row.rule ? row.rule.replace(/^web-/, '') : undefined;
    return [
      { pack: 'web', line: row.line!, row, ...(rule ? { rule: `web-${rule}` } : {}) },
      { pack: 'apache', line: row.line!, row, ...(rule ? { rule: `apache-${rule}` } : {}) },
      {
        pack: 'nginx',
        line: `Nov 23 10:15:01 web1 nginx: ${row.line!}`,
        row,
        ...(rule ? { rule: `nginx-${rule}` } : {}),
      },
    ] as Case[];
  });
const errorCases = (rows: (MatchRow | NoMatchRow)[], server?: PackName): Case[] =>
  rows.flatMap((row) => {
    const pack = server ?? (row.line!.startsWith('[') || / apache2: /.test(row.line!) ? 'apache' : 'nginx');
    return [{ pack, line: row.line!, row }] as Case[];
  });

const matchCases = [
  ...tables.flatMap(({ table, envelopes }) => expand(table, envelopes, table.match)),
  ...webCases(webAccessMatch),
  ...errorCases(webErrorMatch),
  ...errorCases(lighttpdMatch, 'lighttpd'),
];
const noMatchCases = [
  ...tables.flatMap(({ table, envelopes }) => expand(table, envelopes, table.noMatch)),
  ...webCases(webAccessNoMatch),
  ...errorCases(webErrorNoMatch),
  ...errorCases(lighttpdNoMatch, 'lighttpd'),
];

const matchers = new Map<PackName, SourceMatcher>();
const matcherFor = (pack: PackName) => {
  let m = matchers.get(pack);
  if (!m) {
    m = packMatcher(pack);
    matchers.set(pack, m);
  }
  return m;
};

describe('the pack tables', () => {
  it('hold at least 300 lines to match and 300 to leave alone, each citing its source', () => {
    expect(matchCases.length).toBeGreaterThanOrEqual(300);
    expect(noMatchCases.length).toBeGreaterThanOrEqual(300);
    for (const c of [...matchCases, ...noMatchCases]) expect(c.row.from.length).toBeGreaterThan(5);
  });
});

describe.each([
  'sshd',
  'sshd-aggressive',
  'sudo',
  'login',
  'generic',
  'pam-generic',
  'web',
  'nginx',
  'apache',
  'lighttpd',
] as PackName[])('the %s pack', (pack) => {
  const mine = matchCases.filter((c) => c.pack === pack);
  const theirs = noMatchCases.filter((c) => c.pack === pack);

  it.each(mine.map((c) => ({ ...c, name: c.line.slice(0, 110) })))('matches $name', ({ line, row, rule }) => {
    const m = row as MatchRow;
    const found = matchesOf(matcherFor(pack), line);
    const expected = rule ?? m.rule ?? pack;
    const hit = found.find((f) => f.rule === expected);
    expect(hit, `${line}\n  (${m.from}) → ${JSON.stringify(found)}`).toBeDefined();
    expect(hit!.fields).toMatchObject(m.fields);
    for (const field of m.absent ?? []) expect(hit!.fields[field]).toBeUndefined();
  });

  if (theirs.length > 0) {
    it.each(theirs.map((c) => ({ ...c, name: c.line.slice(0, 110) })))('leaves alone $name', ({ line }) => {
      expect(matchesOf(matcherFor(pack), line)).toEqual([]);
    });
  }
});
