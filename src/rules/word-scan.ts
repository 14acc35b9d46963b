// Finding many words in a block of log in one pass: Wu and Manber's skip search ("A fast algorithm for multi-pattern
// searching", 1994). Every word is aligned on a slice of `span` bytes; a table indexed by the two bytes under the end
// of the slice says how far no word can start, so the scan jumps up to span − 1 bytes at a time, and its cost barely
// grows with the number of words (Buffer#indexOf makes a pass per word). Pure.

/** Slices longer than this save little: the jump is bounded by the shortest word anyway. */
const MAX_SPAN = 8;
const PAIRS = 65_536;
/** Blocks shorter than this are scanned in one part. */
const SPLIT_MIN_BYTES = 4096;

export class WordScanner {
  /** The length of the slice each word is aligned on: the shortest word's, at most MAX_SPAN. */
  readonly span: number;
  private readonly words: Uint8Array[];
  /** Where in each word its slice starts. */
  private readonly offsets: number[];
  /** By the last two bytes under the slice: how far the scan may jump (0: some word's slice ends with them). */
  private readonly shift: Uint8Array;
  /** By the same two bytes: where in `endings` the words whose slice ends with them are listed (a typed array: a
   * sparse array of 65,536 holds its elements in a dictionary, and took milliseconds to build). */
  private readonly endingAt: Uint32Array;
  private readonly endings: number[][] = [[]];

  /**
   * `pairs`, how often each byte pair occurs in a piece of the text to be searched (countPairs), chooses each word's
   * slice: the one whose byte pairs are rarest there, so the scan seldom stops short of its longest jump.
   */
  constructor(words: readonly Uint8Array[], pairs?: Uint32Array) {
    if (words.length === 0 || words.some((w) => w.length < 2)) throw new RangeError('words of two bytes or more');
    this.words = [...words];
    this.span = Math.min(MAX_SPAN, ...words.map((w) => w.length));
    this.offsets = this.words.map((word) => (pairs ? rarestSlice(word, this.span, pairs).at : 0));
    this.shift = new Uint8Array(PAIRS).fill(this.span - 1);
    this.endingAt = new Uint32Array(PAIRS);
    this.words.forEach((word, w) => {
      const at = this.offsets[w]!;
      for (let j = 1; j < this.span; j++) {
        const pair = word[at + j - 1]! | (word[at + j]! << 8);
        const jump = this.span - 1 - j;
        if (jump < this.shift[pair]!) this.shift[pair] = jump;
        if (jump === 0) {
          if (this.endingAt[pair] === 0) {
            this.endingAt[pair] = this.endings.length;
            this.endings.push([]);
          }
          this.endings[this.endingAt[pair]!]!.push(w);
        }
      }
    });
  }

  /** Lines found by the last scan: start, end (excluding the "\n"), and where in `found` their words are listed. */
  readonly lineStarts: number[] = [];
  readonly lineEnds: number[] = [];
  readonly foundFrom: number[] = [];
  /** The words each line holds, line after line (line k's from foundFrom[k] to foundFrom[k + 1]). */
  readonly found: number[] = [];

  /**
   * Finds the lines of data holding one of the words, in order, into lineStarts, lineEnds, foundFrom and found
   * (replaced at the next scan); returns how many. No callback: the loop stays monomorphic for the compiler.
   */
  scan(data: Uint8Array): number {
    this.lineStarts.length = 0;
    this.lineEnds.length = 0;
    this.foundFrom.length = 0;
    this.found.length = 0;
    this.lineEnd = -1;
    this.skim(data);
    this.foundFrom.push(this.found.length);
    return this.lineStarts.length;
  }

  // Each step of the scan waits for the table entry its two bytes name before it knows where the next step is: the
  // thirds of a block (cut at line starts: no word holds "\n") are scanned side by side, three chains of loads the
  // processor overlaps (two scan 30% faster than one, three 40%, a fourth adds nothing). Words found in the second and
  // third parts are recorded once the parts before them are done.
  private skim(data: Uint8Array): void {
    const { span, shift, inFirst, inSecond, inThird } = this;
    const length = data.length;
    // Both bytes in one load (little-endian: the first is the low byte, as the table is indexed).
    const view = new DataView(data.buffer, data.byteOffset, length);
    const second = this.lineStartAfter(data, Math.floor(length / 3));
    const third = this.lineStartAfter(data, Math.max(second, Math.floor((2 * length) / 3)));
    inFirst.length = 0;
    inSecond.length = 0;
    inThird.length = 0;
    let a = span - 1;
    let b = second + span - 1;
    let c = third + span - 1;
    while (a < second && b < third && c < length) {
      const ja = shift[view.getUint16(a - 1, true)]!;
      const jb = shift[view.getUint16(b - 1, true)]!;
      const jc = shift[view.getUint16(c - 1, true)]!;
      if (ja !== 0) a += ja;
      else this.check(data, view, a++, second, inFirst);
      if (jb !== 0) b += jb;
      else this.check(data, view, b++, third, inSecond);
      if (jc !== 0) c += jc;
      else this.check(data, view, c++, length, inThird);
    }
    this.skimPart(data, view, a, second, inFirst);
    this.skimPart(data, view, b, third, inSecond);
    this.skimPart(data, view, c, length, inThird);
    for (const found of [inFirst, inSecond, inThird]) {
      for (let f = 0; f < found.length; f += 2) this.record(data, found[f]!, found[f + 1]!);
    }
  }

  /** One part's scan from `at` on, alone (once the other parts are done). */
  private skimPart(data: Uint8Array, view: DataView, at: number, end: number, found: number[]): void {
    const shift = this.shift;
    let i = at;
    while (i < end) {
      const jump = shift[view.getUint16(i - 1, true)]!;
      if (jump !== 0) i += jump;
      else this.check(data, view, i++, end, found);
    }
  }

  /** Words found in each part, as start and word, recorded in order once the scan is done. */
  private readonly inFirst: number[] = [];
  private readonly inSecond: number[] = [];
  private readonly inThird: number[] = [];

  /** Where the scan's parts are cut: the line start after `at` (the end when the block is short or has none). */
  private lineStartAfter(data: Uint8Array, at: number): number {
    if (data.length < SPLIT_MIN_BYTES) return data.length;
    const newline = data.indexOf(10, at);
    return newline === -1 ? data.length : newline + 1;
  }

  /** The words whose slice may end at `at` (its pair's shift is 0), each compared in full; those found listed. */
  private check(data: Uint8Array, view: DataView, at: number, end: number, found: number[]): void {
    const aligned = at - this.span + 1;
    const ending = this.endings[this.endingAt[view.getUint16(at - 1, true)]!]!;
    for (let e = 0; e < ending.length; e++) {
      const w = ending[e]!;
      const word = this.words[w]!;
      const start = aligned - this.offsets[w]!;
      if (start >= 0 && start + word.length <= end && holds(data, start, word)) found.push(start, w);
    }
  }

  /** The end of the last line recorded. */
  private lineEnd = -1;

  // Out of the loop above: its rarely taken paths would otherwise leave the compiled loop without type feedback.
  private record(data: Uint8Array, start: number, w: number): void {
    const found = this.found;
    // Words hold no "\n": a word found past the current line starts the next line that holds one.
    if (start > this.lineEnd) {
      let end = data.indexOf(10, start);
      if (end === -1) end = data.length;
      this.lineEnd = end;
      this.lineStarts.push(data.lastIndexOf(10, start) + 1);
      this.lineEnds.push(end);
      this.foundFrom.push(found.length);
      found.push(w);
      return;
    }
    for (let f = this.foundFrom[this.foundFrom.length - 1]!; f < found.length; f++) if (found[f] === w) return;
    found.push(w);
  }
}

function holds(data: Uint8Array, at: number, word: Uint8Array): boolean {
  for (let j = 0; j < word.length; j++) if (data[at + j] !== word[j]) return false;
  return true;
}

/**
 * The word's slice of `span` bytes whose pairs cost the scan least in the sample: where it starts, and that cost (a
 * pair counts more the later it is in the slice, as the scan jumps less where the text holds it).
 */
export function rarestSlice(word: Uint8Array, span: number, pairs: Uint32Array): { at: number; cost: number } {
  let best = { at: 0, cost: Number.POSITIVE_INFINITY };
  for (let at = 0; at + span <= word.length; at++) {
    let cost = 0;
    for (let j = 1; j < span; j++) cost += (j / (span - 1)) * pairs[word[at + j - 1]! | (word[at + j]! << 8)]!;
    if (cost < best.cost) best = { at, cost };
  }
  return best;
}

/** How often each pair of adjacent bytes occurs in a sample, indexed by first | second << 8. */
export function countPairs(sample: Uint8Array): Uint32Array {
  const counts = new Uint32Array(PAIRS);
  for (let i = 1; i < sample.length; i++) counts[sample[i - 1]! | (sample[i]! << 8)]!++;
  return counts;
}
