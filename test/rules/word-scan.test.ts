import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/generate-weeks.mjs';
import { countPairs, WordScanner } from '../../src/rules/word-scan.js';

const WORDS = ['Failed password', 'Invalid user ', 'authentication failure', 'uthentication', 'Auth fail', 'ailed pa'];

/** Lines of filler from a small alphabet (so parts of words recur), with the words put in at random. */
function text(bytes: number, seed: number): Buffer {
  const next = mulberry32(seed);
  let out = '';
  while (out.length < bytes) {
    let line = '';
    const length = Math.floor(next() * 120);
    while (line.length < length) {
      line += next() < 0.04 ? WORDS[Math.floor(next() * WORDS.length)] : 'aeilnu dFAPf:'[Math.floor(next() * 13)];
    }
    out += `${line}\n`;
  }
  return Buffer.from(out.slice(0, bytes));
}

/** What the scanner should find: each line holding a word, in order, with the words it holds. */
function naive(data: Buffer, words: readonly string[]) {
  const lines: { start: number; end: number; words: number[] }[] = [];
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(10, start);
    if (end === -1) end = data.length;
    const line = data.toString('latin1', start, end);
    const held = words.flatMap((w, i) => (line.includes(w) ? [i] : []));
    if (held.length > 0) lines.push({ start, end, words: held });
    start = end + 1;
  }
  return lines;
}

function scanned(scanner: WordScanner, data: Buffer) {
  const n = scanner.scan(data);
  return Array.from({ length: n }, (_, k) => ({
    start: scanner.lineStarts[k]!,
    end: scanner.lineEnds[k]!,
    words: scanner.found.slice(scanner.foundFrom[k]!, scanner.foundFrom[k + 1]!).sort((a, b) => a - b),
  }));
}

describe('WordScanner', () => {
  it.each([0, 50, 4095, 4096, 4097, 10_000, 70_000, 262_144])(
    'finds the lines a plain search finds, in order, in %i bytes (in one part, or three from 4 KiB)',
    (bytes) => {
      for (const seed of [1, 2, 3]) {
        const data = text(bytes, seed * 1000 + bytes);
        const scanner = new WordScanner(
          WORDS.map((w) => Buffer.from(w)),
          countPairs(data.subarray(0, 4096)),
        );
        const expected = naive(data, WORDS);
        if (bytes >= 4096) expect(expected.length).toBeGreaterThan(10);
        expect(scanned(scanner, data)).toEqual(expected);
      }
    },
  );

  it('finds words at the start of the lines where the second and third parts start, and on a last line without "\\n"', () => {
    const data = Buffer.from(`${`${'x'.repeat(99)}\n`.repeat(90)}ends with Invalid user `);
    // The parts start at the line starts after a third and two thirds of the block, as the scanner cuts it.
    const second = data.indexOf(10, Math.floor(data.length / 3)) + 1;
    const third = data.indexOf(10, Math.floor((2 * data.length) / 3)) + 1;
    data.write('Auth fail', second);
    data.write('Failed password', third);
    data.write('authentication failure', third - 23);
    const scanner = new WordScanner(WORDS.map((w) => Buffer.from(w)));
    expect(scanned(scanner, data)).toEqual(naive(data, WORDS));
    expect(scanned(scanner, data).map((l) => l.start)).toEqual([
      second,
      third - 100,
      third,
      data.length - 'ends with Invalid user '.length,
    ]);
  });
});
