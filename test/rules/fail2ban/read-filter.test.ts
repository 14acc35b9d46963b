// Reading a filter.d file as fail2ban does: includes and .local files in order, [DEFAULT], [Init] and the jail's
// options, %(x)s and %(section/x)s interpolation, and <tag> substitution from the inside out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTextIfExists } from '../../../src/config/read-text.js';
import { Fail2banFilterInvalidError } from '../../../src/core/errors.js';
import { parseIni } from '../../../src/rules/fail2ban/parse-ini.js';
import { readFail2banFilter } from '../../../src/rules/fail2ban/read-filter.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir();

function filterDir(files: Record<string, string>) {
  const dir = join(tempDir(), 'filter.d');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('parseIni', () => {
  it('reads sections, continued values, and both kinds of comment', () => {
    const { ini, problems } = parseIni(
      '# a comment\n[DEFAULT]\nx = 1\n[Definition]\nfailregex = ^one$\n            ^two$ ; trailing comment\n; another\nempty =\nk: v\n',
    );
    expect(problems).toEqual([]);
    expect(ini.defaults.get('x')).toBe('1');
    expect(Object.fromEntries(ini.sections.get('Definition')!)).toEqual({
      failregex: '^one$\n^two$',
      empty: '',
      k: 'v',
    });
    expect(parseIni('orphan = 1\n').problems[0]).toEqual({ line: 1, message: 'comes before any [section]' });
  });
});

describe('readFail2banFilter', () => {
  const common = `[INCLUDES]
after = common.local
[DEFAULT]
_daemon = \\S*
__prefix = (?:<_daemon>\\[\\d+\\]:\\s+)?
logtype = file
[lt_file]
__pre = file-pre
[lt_journal]
__pre = journal-pre
`;

  it('follows includes, lets the filter and .local files override, and resolves tags innermost first', () => {
    const dir = filterDir({
      'common.conf': common,
      'common.local': '[DEFAULT]\n__extra = local\n',
      'app.conf': `[INCLUDES]
before = common.conf
[DEFAULT]
_daemon = app
[Definition]
_word = <mode>-word
failregex = ^%(__prefix)s<lt_<logtype>/__pre> login failed for <F-USER>\\S+</F-USER> from <HOST> <__extra>
            ^<normal-word> <aggressive-word>
normal-word = N
aggressive-word = A
mode = normal
ignoreregex = ^ignore me$
datepattern = {^LN-BEG}%%Y-%%m-%%d %%H:%%M:%%S
[Init]
maxlines = 1
`,
      'app.local': '[Definition]\nignoreregex = %(known/ignoreregex)s\n              ^and me$\n',
    });
    const filter = readFail2banFilter(join(dir, 'app.conf'), readTextIfExists);
    expect(filter.files.map((f) => f.split('/').pop())).toEqual([
      'common.conf',
      'common.local',
      'app.conf',
      'app.local',
    ]);
    expect(filter.failregex).toEqual([
      '^(?:app\\[\\d+\\]:\\s+)?file-pre login failed for <F-USER>\\S+</F-USER> from <HOST> local',
      '^N A',
    ]);
    expect(filter.ignoreregex).toEqual(['^ignore me$', '^and me$']);
    expect(filter.datepattern).toBe('{^LN-BEG}%Y-%m-%d %H:%M:%S');
    expect(filter.maxlines).toBe(1);

    const journal = readFail2banFilter(join(dir, 'app.conf'), readTextIfExists, {
      vars: { logtype: 'journal' },
      mode: 'aggressive',
    });
    expect(journal.failregex[0]).toContain('journal-pre login failed');
  });

  it('takes the options fail2ban reads from [DEFAULT] when [Definition] lacks them, and %(known/x)s too', () => {
    const dir = filterDir({
      'common.conf':
        '[DEFAULT]\nlogtype = file\ndatepattern = <lt_<logtype>/datepattern>\n__prefix_line = \\s*\n[lt_file]\ndatepattern = {^LN-BEG}\n',
      'mail.conf':
        '[INCLUDES]\nbefore = common.conf\n[Definition]\n__prefix_line = %(known/__prefix_line)s(?:\\w{14}: )?\nfailregex = ^%(__prefix_line)sAUTH failure from <HOST>$\n',
    });
    const filter = readFail2banFilter(join(dir, 'mail.conf'), readTextIfExists);
    expect(filter.datepattern).toBe('{^LN-BEG}');
    expect(filter.failregex).toEqual(['^\\s*(?:\\w{14}: )?AUTH failure from <HOST>$']);
  });

  it('uses the mode a jail gives, e.g. sshd[mode=aggressive]', () => {
    const dir = filterDir({
      'm.conf':
        '[Definition]\nfailregex = <re-<mode>>\nre-normal = ^normal <HOST>$\nre-aggressive = ^aggressive <HOST>$\nmode = normal\n',
    });
    expect(readFail2banFilter(join(dir, 'm.conf'), readTextIfExists).failregex).toEqual(['^normal <HOST>$']);
    expect(readFail2banFilter(join(dir, 'm.conf'), readTextIfExists, { mode: 'aggressive' }).failregex).toEqual([
      '^aggressive <HOST>$',
    ]);
  });

  it.each([
    ['missing.conf', {}, 'no such file'],
    ['dir.conf', { 'dir.conf/.keep': '' }, 'cannot be read: it is a directory (EISDIR)'],
    ['self.conf', { 'self.conf': '[Definition]\nfailregex = <failregex>\n' }, 'refers to itself'],
    ['loop.conf', { 'loop.conf': '[Definition]\na = <b>\nb = <a>\nfailregex = <a>\n' }, 'cannot be resolved'],
    ['pct.conf', { 'pct.conf': '[Definition]\nfailregex = 100% <HOST>\n' }, 'write %% for a percent sign'],
    ['name.conf', { 'name.conf': '[Definition]\nfailregex = %(nope)s\n' }, '%(nope)s in [Definition] names no option'],
    ['bad.conf', { 'bad.conf': '[Definition]\nthis line has no equals sign\n' }, 'line 2 is neither'],
  ])('explains a filter it cannot read: %s', (name, files, words) => {
    const dir = filterDir(files);
    expect(() => readFail2banFilter(join(dir, name), readTextIfExists)).toThrow(Fail2banFilterInvalidError);
    expect(() => readFail2banFilter(join(dir, name), readTextIfExists)).toThrow(words);
  });
});
