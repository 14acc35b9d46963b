// Python regex syntax as fail2ban filters use it, translated to JavaScript with the same meaning.
import { describe, expect, it } from 'vitest';
import { translatePythonRegex, UnsupportedRegexError } from '../../../src/rules/fail2ban/python-regex.js';

// Whether any variant matches, and the groups of the leftmost match.
function run(pattern: string, text: string) {
  const { sources, flags, groups } = translatePythonRegex(pattern);
  const matches = sources
    .map((s) => new RegExp(s, flags).exec(text))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => a.index - b.index);
  const m = matches[0];
  return m ? Object.fromEntries(Object.entries(groups).map(([name, i]) => [name, m[i]])) : undefined;
}

describe('translatePythonRegex', () => {
  it.each([
    ['(?P<user>\\w+) from (?P<ip>\\S+)', 'root from 1.2.3.4', { user: 'root', ip: '1.2.3.4' }],
    ['^(?P<a>x+)-(?P=a)$', 'xx-xx', { a: 'xx' }],
    ['^ab\\Z', 'ab', {}],
    ['^a{,2}b$', 'aab', {}],
    ['^x{2,}$', 'xxx', {}],
    ['^[]a]+$', ']a]', {}],
    ['^[^]]+$', 'abc', {}],
    ['^\\w+$', 'Zürich_2', {}],
    ['^\\d+$', '123', {}],
    ['(?i)^failed LOGIN$', 'FAILED login', {}],
    ['^SASL ((?i)login|plain) failed$', 'SASL LOGIN failed', {}],
    ['^(?i:ab)C$', 'aBC', {}],
    ['^a(?#comment)b$', 'ab', {}],
    ['^a{x}$', 'a{x}', {}],
    ['^\\x41\\u00e9\\101$', 'AéA', {}],
    ['^foo\\b', 'foo bar', {}],
  ])('%s matches %j', (pattern, text, groups) => {
    expect(run(pattern, text)).toEqual(groups);
  });

  it.each([
    ['^\\w+$', 'a-b'],
    ['^(?i:ab)C$', 'abc'],
    ['^a.b$', 'a\nb'],
    ['^[]a]+$', 'b'],
    ['^ab\\Z', 'ab\n'],
    ['^foo\\b', 'foobar'],
    ['^\\d+$', '12a'],
  ])('%s does not match %j', (pattern, text) => {
    expect(run(pattern, text)).toBeUndefined();
  });

  it('turns a conditional into variants: each group takes part or not, as the condition asks', () => {
    // From sshd's filter: an invalid user's name may hold spaces, a valid user's may not.
    const pattern =
      '^Failed \\S+ for (?P<cond_inv>invalid user )?(?P<user>(?P<cond_user>\\S+)|(?(cond_inv)(?:(?! from ).)*?|[^:]+)) from (?P<ip>\\S+)(?(cond_user): |(?:(?:(?! from ).)*)$)';
    expect(translatePythonRegex(pattern).sources.length).toBeGreaterThan(1);
    expect(run(pattern, 'Failed password for root from 1.2.3.4 port 22 ssh2')).toMatchObject({
      user: 'root',
      ip: '1.2.3.4',
    });
    expect(run(pattern, 'Failed password for invalid user a b c from 1.2.3.4 port 22 ssh2')).toMatchObject({
      user: 'a b c',
      ip: '1.2.3.4',
    });
    // As Python does: a valid user's name falls to [^:]+ when \S+ cannot reach " from ".
    expect(run(pattern, 'Failed password for a b c from 1.2.3.4 port 22 ssh2')).toMatchObject({ user: 'a b c' });
    expect(run(pattern, 'Failed password for a: b from 1.2.3.4 port 22 ssh2')).toBeUndefined();
    expect(run('^(?P<x>a)?(?(x)b|c)$', 'ab')).toEqual({ x: 'a' });
    expect(run('^(?P<x>a)?(?(x)b|c)$', 'c')).toEqual({ x: undefined });
    expect(run('^(?P<x>a)?(?(x)b|c)$', 'ac')).toBeUndefined();
    expect(run('^(?P<x>a)?(?(x)b|c)$', 'b')).toBeUndefined();
  });

  it.each([
    ['a++', 'possessive'],
    ['(?>a)', 'atomic'],
    ['\\e', 'escape'],
    ['(?L)a', 'locale'],
    ['a(?i)b', 'not at the start'],
    ['(?(nope)a|b)', 'names no group'],
    ['(a', 'without its'],
    ['a)', 'unbalanced'],
  ])('refuses %s, saying what (%s)', (pattern, words) => {
    expect(() => translatePythonRegex(pattern)).toThrow(UnsupportedRegexError);
    expect(() => translatePythonRegex(pattern)).toThrow(words);
  });
  // What Python 3's re says \s matches in a str (every such code point; the rest of Unicode is not space).
  const PYTHON_SPACES = [
    0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
    0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
  ];
  it.each(['\\s', '[\\s]', '[x\\s]'])(
    '%s matches exactly the code points Python calls space, and \\S the rest',
    (pattern) => {
      const space = translatePythonRegex(`^${pattern}$`);
      const nonSpace = translatePythonRegex('^\\S$');
      const isSpace = new RegExp(space.sources[0]!, space.flags);
      const isNonSpace = new RegExp(nonSpace.sources[0]!, nonSpace.flags);
      const spaces: number[] = [];
      const nonSpaces: number[] = [];
      for (let c = 0; c < 0x110000; c++) {
        const ch = String.fromCodePoint(c);
        if (isSpace.test(ch) && ch !== 'x') spaces.push(c);
        if (!isNonSpace.test(ch)) nonSpaces.push(c);
      }
      expect(nonSpaces).toEqual(PYTHON_SPACES);
      expect(spaces).toEqual(PYTHON_SPACES);
    },
  );
});
