import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/generate-weeks.mjs';
import { addressFamily, unmapIPv4 } from '../../src/core/address-family.js';

const TOKENS = [
  '0',
  '1',
  '00',
  '7f',
  'ffff',
  'FFFF',
  'abcde',
  '12345',
  'g',
  ':',
  '::',
  ':::',
  '.',
  '1.2.3.4',
  '255.255.255.255',
  '256.1.1.1',
  '01.2.3.4',
  '1.2.3',
  '%',
  '%eth0',
  '%en-0.1:2',
  '%$',
  ' ',
  '-',
  '\n',
  '::ffff:',
];

/** Addresses built group by group (gaps, dotted quads, zones placed at random), and token soup around them. */
function corpus(count: number): string[] {
  const next = mulberry32(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    if (next() < 0.5) {
      const groups = Math.floor(next() * 10);
      const parts = Array.from({ length: groups }, () =>
        pick(['0', '1', 'a', 'db8', 'ffff', 'FfFf', '0000', '12345', '']),
      );
      if (next() < 0.3) parts.push(pick(['1.2.3.4', '0.0.0.0', '256.0.0.1', '1.02.3.4']));
      let text = parts.join(':');
      if (next() < 0.5) {
        const at = Math.floor(next() * (text.length + 1));
        text = `${text.slice(0, at)}${pick(['::', ':', ':::'])}${text.slice(at)}`;
      }
      if (next() < 0.1) text += pick(['%eth0', '%', '%a b', '%1']);
      out.push(text);
    } else {
      out.push(Array.from({ length: 1 + Math.floor(next() * 8) }, () => pick(TOKENS)).join(''));
    }
  }
  return out;
}

describe('addressFamily', () => {
  it.each([
    ['192.0.2.1', 4],
    ['0.0.0.0', 4],
    ['01.2.3.4', 0],
    ['256.1.1.1', 0],
    ['::', 6],
    ['::1', 6],
    ['2001:db8::1', 6],
    ['1:2:3:4:5:6:7:8', 6],
    ['1:2:3:4:5:6:7::', 6],
    ['::2:3:4:5:6:7:8', 6],
    ['1::2:3:4:5:6:7:8', 0],
    ['::ffff:192.0.2.1', 6],
    ['1:2:3:4:5:6:1.2.3.4', 6],
    ['1:2:3:4:5:6:7:1.2.3.4', 0],
    ['fe80::1%eth0', 6],
    ['fe80::1%', 0],
    ['1::2::3', 0],
    [':1::', 0],
    ['12345::', 0],
    ['', 0],
  ])('%j is family %i', (text, family) => {
    expect(addressFamily(text)).toBe(family);
    expect(isIP(text)).toBe(family);
  });

  it('reads 40,000 generated strings as node:net isIP does', () => {
    const strings = corpus(40_000);
    const valid = strings.filter((s) => isIP(s) === 6).length;
    // The corpus must hold both answers in numbers, or agreeing would prove little.
    expect(valid).toBeGreaterThan(1_000);
    expect(strings.length - valid).toBeGreaterThan(10_000);
    const disagree = strings.filter((s) => addressFamily(s) !== isIP(s)).map((s) => [s, addressFamily(s), isIP(s)]);
    expect(disagree.slice(0, 10)).toEqual([]);
  });

  it.each([
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:192.0.2.1', '192.0.2.1'],
    ['0:0:0:0:0:ffff:192.0.2.1', '192.0.2.1'],
    ['::ffff:c000:201', '::ffff:c000:201'],
    ['::ffff:192.0.2.256', '::ffff:192.0.2.256'],
    ['2001:db8::ffff:192.0.2.1', '2001:db8::ffff:192.0.2.1'],
    ['192.0.2.1', '192.0.2.1'],
  ])('unmapIPv4(%j) is %j', (text, plain) => {
    expect(unmapIPv4(text)).toBe(plain);
  });
});
