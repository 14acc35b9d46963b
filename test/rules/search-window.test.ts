// The short windows the line scanner searches blocks for: starting at a byte rare in logs, or rare in the text
// itself when a sample of it was counted.
import { describe, expect, it } from 'vitest';
import { scanLines } from '../../src/rules/match.js';
import { countBytes, searchWindow } from '../../src/rules/search-window.js';

describe('searchWindow', () => {
  it('keeps short literals and starts long ones at a rare character', () => {
    expect(searchWindow('Failed')).toBe('Failed');
    expect(searchWindow(' not allowed because listed in DenyUsers')).toBe('DenyUse');
  });

  it('starts at the byte rarest in a sample of the text when one was counted', () => {
    const sample = Buffer.from('in invalid user from host; session opened; valid keys\n'.repeat(20));
    const counts = countBytes(sample);
    expect([counts['n'.charCodeAt(0)], counts['v'.charCodeAt(0)]]).toEqual([4 * 20, 2 * 20]);
    // "n" is common in the sample, "v" is not: "valid" instead of "nvalid", and "hentica" for "uthentication".
    expect(searchWindow('nvalid', counts)).toBe('valid');
    expect(searchWindow('uthentication ', countBytes(Buffer.from('user user uuu authentication')))).toBe('hentica');
  });

  it('finds every line holding a window, once, with the windows it holds', () => {
    const data = Buffer.from('a Invalid user x\nb nothing\nc valid and Invalid\nd invalid\n');
    const seen: [string, number[]][] = [];
    scanLines(data, [Buffer.from('valid'), Buffer.from('Inv')], (start, end, found) => {
      seen.push([data.toString('utf8', start, end), [...found]]);
    });
    expect(seen).toEqual([
      ['a Invalid user x', [0, 1]],
      ['c valid and Invalid', [0, 1]],
      ['d invalid', [0]],
    ]);
  });
});
