import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/sources/line-splitter.js';

const lines = (b: Buffer | undefined) => (b ? b.toString('latin1').split('\n').slice(0, -1) : []);

describe('LineSplitter.push', () => {
  it('holds a partial line back until its newline arrives', () => {
    const s = new LineSplitter(100);
    expect(lines(s.push(Buffer.from('one\ntw')))).toEqual(['one']);
    expect(s.heldBytes).toBe(2);
    expect(s.push(Buffer.from('o'))).toBeUndefined();
    expect(lines(s.push(Buffer.from('\nthree\nfour')))).toEqual(['two', 'three']);
    expect(s.heldBytes).toBe(4);
    expect(lines(s.flush())).toEqual(['four']);
    expect(s.heldBytes).toBe(0);
  });

  it('keeps a line that never ends to maxLineBytes + 1 bytes, counting the rest as consumed', () => {
    const s = new LineSplitter(10);
    expect(s.push(Buffer.alloc(50, 'a'))).toBeUndefined();
    expect(s.push(Buffer.alloc(50, 'a'))).toBeUndefined();
    expect(s.heldBytes).toBe(100);
    const out = s.push(Buffer.from('aaa\nnext\n'));
    expect(lines(out)).toEqual(['a'.repeat(11), 'next']);
    expect(s.heldBytes).toBe(0);
  });

  it('passes CR, NUL and invalid UTF-8 through untouched', () => {
    const s = new LineSplitter(100);
    const bytes = Buffer.from([0x61, 0x00, 0xff, 0x0d, 0x0a]);
    expect(s.push(bytes)).toEqual(bytes);
  });
});
