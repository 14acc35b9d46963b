import { describe, expect, it } from 'vitest';
import { PACKS } from '../../src/rules/packs/index.js';
import { analyzePattern } from '../../src/rules/pattern-analysis.js';

describe('analyzePattern', () => {
  it.each([
    { pattern: '^(a+)+$', reason: /nests a repeated part/ },
    { pattern: '(\\w+\\s?)*x', reason: /nests a repeated part/ },
    { pattern: '(?:x|x)+y', reason: /repeats alternatives/ },
    { pattern: '(a|ab)*c', reason: /repeats alternatives/ },
    { pattern: '((ab)*)+', reason: /nests a repeated part/ },
    // Bounded repeats backtrack as badly once the bound is more than a few: 2^60 ways on a line of a's.
    { pattern: '(a|a){1,60}$', reason: /repeats alternatives/ },
    { pattern: '(a{1,20}){1,20}$', reason: /nests a repeated part/ },
    // A lookaround's body is a pattern like any other.
    { pattern: '(?=(a+)+$)', reason: /nests a repeated part/ },
    { pattern: 'x(?!(a|a)*$)', reason: /repeats alternatives/ },
    // Chains of wildcards: O(n^4) on a long line full of the words.
    { pattern: 'Failed.*for.*from.*port.*ssh2', reason: /4 unbounded wildcards .* to the power 4/ },
  ])('rejects $pattern', ({ pattern, reason }) => {
    expect(analyzePattern(pattern).catastrophic).toMatch(reason);
  });

  it.each([
    '(\\d{1,3}\\.){3}\\d{1,3}',
    '(?:foo|bar)+',
    'Failed password for (?<user>\\S+) from (?<ip>\\S+)',
    '(?:[^ "/]{1,256}/){0,8}',
    '(?:foo|bar){1,10}',
    'Failed .* for .* from',
  ])('accepts %s', (pattern) => {
    expect(analyzePattern(pattern).catastrophic).toBeUndefined();
  });

  it.each([
    { pattern: 'sshd\\[(?<pid>\\d+)\\]: Failed password for', anchors: [']: Failed password for'] },
    { pattern: 'a(?:-session)?b', anchors: [] },
    { pattern: '(?:alpha|beta) gamma?', anchors: [' gamm'] },
    { pattern: 'x (?:alpha|beta)', anchors: ['x alpha', 'x beta'] },
    { pattern: 'Failed (?:none|password) for', anchors: ['Failed none', 'Failed password'] },
    // An alternative that is no plain word (a+) joins nothing, and holds no literal of its own.
    { pattern: 'x (?:a+|beta)', anchors: [] },
    { pattern: 'user=(?<u>\\S+) uid', anchors: ['user='] },
    { pattern: 'err(or)?: disk', anchors: [': disk'] },
    // A group that ignores case (Node 23+) holds no literal: "FAILED" matches it.
    { pattern: '(?i:Failed) password for', anchors: [' password for'] },
    { pattern: 'x(?i-m:abc)(?-i:defg)', anchors: ['defg'] },
    // Without the u flag `\p` and `\k` may stand alone: the text after them is still read.
    { pattern: '\\path to (?<f>\\S+) denied', anchors: [' denied'] },
    { pattern: 'a\\k\\path denied', anchors: ['ath denied'] },
  ])('finds the literals every match of $pattern contains', ({ pattern, anchors }) => {
    expect(analyzePattern(pattern).anchors).toEqual(anchors);
  });

  it('finds no literals for case-insensitive patterns', () => {
    expect(analyzePattern('Failed password', true).anchors).toEqual([]);
  });

  it('lists named captures', () => {
    expect(analyzePattern('(?<a>x)(?:(?<b>y)|z)(w)').captures).toEqual(['a', 'b']);
  });

  it('warns about several unbounded wildcards', () => {
    expect(analyzePattern('foo.*bar.*baz').warnings).toHaveLength(1);
    expect(analyzePattern('foo \\S+ bar \\S+').warnings).toEqual([]);
  });

  it('finds every built-in pattern safe, and able to skip lines by literal', () => {
    for (const rule of Object.values(PACKS).flat()) {
      if (rule.kind !== 'message') continue;
      for (const { re: pattern } of rule.patterns) {
        const analysis = analyzePattern(pattern);
        expect(analysis.catastrophic, pattern).toBeUndefined();
        expect(analysis.warnings, pattern).toEqual([]);
        // Without a literal of its own, a message pattern is screened by its programs' tags (compile.ts).
        if (analysis.anchors.length === 0) expect(rule.programs[0], pattern).not.toBe('*');
      }
    }
  });
});

describe('escapes that are not what they look like', () => {
  it.each([
    ['abc\\01def', 'abc\x01def'],
    ['Failed\\xZZpassword', 'FailedxZZpassword'],
    ['Failed\\u12zzpassword', 'Failedu12zzpassword'],
  ])('%s: every literal it screens with is in a line it matches', (source, line) => {
    expect(new RegExp(source).test(line)).toBe(true);
    for (const set of analyzePattern(source).anchorSets) expect(set.some((a) => line.includes(a))).toBe(true);
  });
});
