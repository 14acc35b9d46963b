// What each capture type accepts: the values a command may receive as one argv element.
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isValidField } from '../../src/rules/field-types.js';

describe('ip fields', () => {
  it.each([
    ['203.0.113.7', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['2001:db8::7', true],
    ['::ffff:203.0.113.7', true],
    ['256.1.1.1', false],
    ['01.2.3.4', false],
    ['1.2.3', false],
    ['1.2.3.4.', false],
    ['.1.2.3.4', false],
    ['1.2.3.4.5', false],
    ['1..2.3', false],
    ['99999999999.1.1.1', false],
    ['1.2.3.4 ', false],
    ['-1.2.3.4', false],
    ['', false],
  ])('%s → %s, as node:net says', (value, valid) => {
    expect(isValidField('ip', value)).toBe(valid);
    expect(isIP(value) !== 0).toBe(valid);
  });
});
