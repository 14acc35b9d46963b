// Which short piece of a literal to search raw log blocks for: Buffer#indexOf is fastest when the needle is short
// and its first byte rare in the text. Pure.

const WINDOW = 7;
const MIN_WINDOW = 5;
/** Characters by how rarely they start a word in logs, rarest first; anything not listed counts as common. */
const RARITY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ(!#$%&*+?@^`|~{}zqjxkvbwygpfmucdlhrsniotae';

/** How rare a text's first character is at the start of words in logs: 0 rarest, RARITY.length for common ones. */
export function rarityRank(text: string): number {
  const rank = RARITY.indexOf(text[0] ?? '');
  return rank === -1 ? RARITY.length : rank;
}

// Searching a Buffer for fewer than 8 bytes runs at memchr speed on the first byte, several times faster than the
// Boyer-Moore path longer needles take, when that byte is rare in the text (upper-case letters, "(", "x"). A line
// the window finds is still checked against the whole regex. byteCounts, when given, says how often each byte
// occurs in (a sample of) the very text to be searched: rarer there is better than rarer in logs in general.
export function searchWindow(literal: string, byteCounts?: ArrayLike<number>): string {
  // Measured rarity is worth a slightly shorter window ("valid" for "nvalid"); a guess is not.
  const size = byteCounts && literal.length <= WINDOW ? Math.max(MIN_WINDOW, literal.length - 1) : WINDOW;
  // Slices count UTF-16 units: one of a literal beyond ASCII could cut a character in two and never be found.
  if (literal.length <= size || BEYOND_ASCII.test(literal)) return literal;
  let best = 0;
  let bestRank = Number.POSITIVE_INFINITY;
  for (let i = 0; i + size <= literal.length; i++) {
    const code = literal.charCodeAt(i);
    const rank = byteCounts ? (code < 128 ? byteCounts[code]! : 0) : RARITY.indexOf(literal[i]!);
    if (rank !== -1 && rank < bestRank) {
      best = i;
      bestRank = rank;
    }
  }
  return bestRank === Number.POSITIVE_INFINITY ? literal : literal.slice(best, best + size);
}

/** How often each byte occurs in a sample, for searchWindow. */
export function countBytes(sample: Uint8Array): Uint32Array {
  const counts = new Uint32Array(256);
  for (let i = 0; i < sample.length; i++) counts[sample[i]!]!++;
  return counts;
}

const BEYOND_ASCII = /[\u0080-\uffff]/;

/**
 * Costs of a screen searched in one pass (word-scan.ts), in units of about 10 ns: a line let in (decoded and run
 * through its rules), and an occurrence in the text of a byte pair a word's slice holds (the scan jumps less there).
 */
const LINE_COST = 220;
const PAIR_COST = 0.15;
/** The slice the scan aligns words on; a shorter word shortens every jump, so words are at least this long. */
const SPAN = 5;

/**
 * Few words that between them screen every pattern: a pattern is settled by a word that every literal of one of its
 * anchor sets contains, so a line with none of the chosen words cannot match. A word shared by many patterns
 * ("authentication" in six PAM and sshd messages) weighs on the scan once, and of a pattern's required literals the
 * one rare in the text is used ("Auth fail" rather than "Received disconnect"). A greedy set cover: with a sample of
 * the text to be read, a word costs the lines it lets in and how often its rarest slice's byte pairs occur there;
 * without one, long words are cheap.
 */
export function chooseScreenWords(
  patterns: readonly (readonly (readonly string[])[])[],
  sample?: Uint8Array,
): string[] {
  const settledBy = (sets: readonly (readonly string[])[], word: string) =>
    sets.some((set) => set.length > 0 && set.every((anchor) => anchor.includes(word)));
  let uncovered = patterns.filter((sets) => sets.length > 0);
  const words = new Set<string>();
  for (const anchor of uncovered.flat(2)) {
    // " : " would let in half the lines of a log: anchors of five characters or more, three of them letters ("PAM: ");
    // the sample prices the rest ("from " is in most lines).
    if (anchor.length >= SPAN && anchor.replace(/[^A-Za-z0-9_]/g, '').length >= 3) words.add(anchor);
    // Short words ("user", "from") are in too many lines to screen any out.
    for (const m of anchor.matchAll(/[A-Za-z0-9_]{5,}/g)) {
      words.add(m[0]);
      // "Authentication" and "authentication" share "uthentication".
      if (m[0].length > SPAN) words.add(m[0].slice(1));
    }
  }
  const text = sample && sample.length > 0 ? Buffer.from(sample.buffer, sample.byteOffset, sample.length) : undefined;
  const pairs = text ? countPairs(text) : undefined;
  const priceOf = (word: string): number => {
    if (!text || !pairs) return 40_000 / word.length;
    let lines = 0;
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) lines++;
    const bytes = Buffer.from(word);
    let slice = Number.POSITIVE_INFINITY;
    for (let at = 0; at + SPAN <= bytes.length; at++) {
      let cost = 0;
      // The later a pair in the slice, the shorter the jump where the text holds it.
      for (let j = 1; j < SPAN; j++) cost += (j / (SPAN - 1)) * pairs[bytes[at + j - 1]! | (bytes[at + j]! << 8)]!;
      slice = Math.min(slice, cost);
    }
    return 1 + LINE_COST * lines + PAIR_COST * slice;
  };
  const priced = [...words].map((word) => ({ word, price: priceOf(word) }));
  const chosen: string[] = [];
  while (uncovered.length > 0) {
    let best = '';
    let bestRatio = Number.POSITIVE_INFINITY;
    for (const { word, price } of priced) {
      let settles = 0;
      for (const sets of uncovered) if (settledBy(sets, word)) settles++;
      if (settles > 0 && price / settles < bestRatio) {
        best = word;
        bestRatio = price / settles;
      }
    }
    if (best === '') {
      // No word settles the pattern (its literals are short, or alternatives share no word): its first (best) set
      // is searched for as it is, each of its literals a word.
      const [sets, ...rest] = uncovered;
      chosen.push(...sets![0]!);
      uncovered = rest;
      continue;
    }
    chosen.push(best);
    uncovered = uncovered.filter((sets) => !settledBy(sets, best));
  }
  return [...new Set(chosen)];
}

/** How often each pair of adjacent bytes occurs in a sample, indexed by first | second << 8. */
export function countPairs(sample: Uint8Array): Uint32Array {
  const counts = new Uint32Array(65_536);
  for (let i = 1; i < sample.length; i++) counts[sample[i - 1]! | (sample[i]! << 8)]!++;
  return counts;
}
