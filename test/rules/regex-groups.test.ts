import { describe, expect, it } from 'vitest';
import { unnameGroups } from '../../src/rules/regex-groups.js';

describe('unnameGroups', () => {
  it.each([
    // source, numbered source, names
    [
      '(?<user>\\S+) from (?<ip>[0-9.]+)',
      '(\\S+) from ([0-9.]+)',
      [
        ['user', 1],
        ['ip', 2],
      ],
    ],
    ['(a)(?:b)(?<x>c)(?=d)(?<!e)(?<=f)', '(a)(?:b)(c)(?=d)(?<!e)(?<=f)', [['x', 2]]],
    ['\\((?<x>a)[(?<y>]', '\\((a)[(?<y>]', [['x', 1]]],
    ['[\\]](?<x>a)', '[\\]](a)', [['x', 1]]],
    [
      '(?<q>["\'])(?<v>.*?)\\k<q>',
      '(["\'])(.*?)(?:\\1)',
      [
        ['q', 1],
        ['v', 2],
      ],
    ],
    ['\\k<none>', '\\k<none>', []],
  ] as const)('%s', (source, numbered, names) => {
    const result = unnameGroups(source);
    expect(result.source).toBe(numbered);
    expect(result.names).toEqual(names);
  });

  it('matches what the named pattern matches, each name at its number', () => {
    const source = '^(?:Failed (?<method>password|none) for (?:invalid user )?(?<user>.+?) from (?<ip>\\S+))$';
    const line = 'Failed password for invalid user a(b) from 203.0.113.7';
    const named = new RegExp(source).exec(line)!;
    const { source: plain, names } = unnameGroups(source);
    const numbered = new RegExp(plain).exec(line)!;
    for (const [name, index] of names) expect(numbered[index]).toBe(named.groups![name]);
  });
});
