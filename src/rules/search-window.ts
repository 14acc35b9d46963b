// What to search raw log blocks for before any line is decoded: the few words that screen a source's patterns (found
// in one pass, word-scan.ts), and for fail2ban filters, short windows Buffer#indexOf finds fastest. Pure.
import { countPairs, rarestSlice, WordScanner } from './word-scan.js';

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
const SPAN = 8;

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
  pairs: Uint32Array | undefined = sample && countPairs(sample),
): ScreenWord[] {
  // Patterns without anchor sets are screened by no word; `index` maps back to the caller's numbering.
  const index = patterns.flatMap((sets, p) => (sets.length > 0 ? [p] : []));
  const uncovered = index.map((p) => patterns[p]!);
  const words = new Set<string>();
  for (const anchor of uncovered.flat(2)) {
    // " : " would let in half the lines of a log: anchors of five characters or more, three of them letters ("PAM: ");
    // the sample prices the rest ("from " is in most lines).
    if (anchor.length >= SPAN && anchor.replace(/[^A-Za-z0-9_]/g, '').length >= 3) words.add(anchor);
    // Short words ("user", "from") are in too many lines to screen any out.
    for (const m of anchor.matchAll(/[A-Za-z0-9_]{8,}/g)) {
      words.add(m[0]);
      // "Authentication" and "authentication" share "uthentication".
      if (m[0].length > SPAN) words.add(m[0].slice(1));
    }
  }
  const list = [...words];
  // Which patterns each word settles, found once. Every pattern's literals in one text: where a word occurs there names
  // the only patterns it can settle, one search per word rather than a test per pattern (this runs before anything is
  // compiled, and packs hold hundreds of patterns).
  const starts: number[] = [];
  let literals = '';
  for (const sets of uncovered) {
    starts.push(literals.length);
    literals += `${sets.flat().join('\n')}\n\n`;
  }
  const settles = list.map((word) => {
    const settled: number[] = [];
    let at = literals.indexOf(word);
    while (at !== -1) {
      const p = lastAtOrBefore(starts, at);
      if (settledBy(uncovered[p]!, word)) settled.push(p);
      at = p + 1 < starts.length ? literals.indexOf(word, starts[p + 1]) : -1;
    }
    return settled;
  });
  // Only words that settle a pattern can be chosen: the others (two in three of the sshd and sudo packs') are not
  // priced, which saves scanning the sample for them.
  const prices = new Array<number>(list.length).fill(Number.POSITIVE_INFINITY);
  const priced = list.flatMap((_, w) => (settles[w]!.length > 0 ? [w] : []));
  const wordPrices = priceWords(
    priced.map((w) => list[w]!),
    sample,
    pairs,
  );
  priced.forEach((w, k) => {
    prices[w] = wordPrices[k]!;
  });
  // How many patterns not covered yet each word settles, kept up to date as patterns are covered (through the words
  // settling each pattern), so that each round of the greedy choice is one pass over the words.
  const open = settles.map((settled) => settled.length);
  const settlers: number[][] = uncovered.map(() => []);
  settles.forEach((settled, w) => {
    for (const p of settled) settlers[p]!.push(w);
  });
  const covered = new Array<boolean>(uncovered.length).fill(false);
  const cover = (p: number) => {
    covered[p] = true;
    for (const w of settlers[p]!) open[w]!--;
  };
  // Each chosen word with the patterns it screens for: those it settles, and the pattern whose literals it stands for.
  const chosen = new Map<string, Set<number>>();
  const choose = (word: string, screened: readonly number[]) => {
    const set = chosen.get(word) ?? new Set<number>();
    for (const p of screened) set.add(index[p]!);
    chosen.set(word, set);
  };
  const settlesOf = new Map(list.map((word, w) => [word, settles[w]!]));
  for (let left = uncovered.length; left > 0; left--) {
    let best = -1;
    let bestRatio = Number.POSITIVE_INFINITY;
    for (let w = 0; w < list.length; w++) {
      if (open[w]! > 0 && prices[w]! / open[w]! < bestRatio) {
        best = w;
        bestRatio = prices[w]! / open[w]!;
      }
    }
    if (best === -1) {
      // No word settles the pattern (its literals are short, or alternatives share no word): its first (best) set
      // is searched for as it is, each of its literals a word.
      const p = covered.indexOf(false);
      for (const literal of uncovered[p]![0]!) choose(literal, [p, ...(settlesOf.get(literal) ?? [])]);
      cover(p);
      continue;
    }
    choose(list[best]!, settles[best]!);
    const newly = settles[best]!.filter((p) => !covered[p]);
    for (const p of newly) cover(p);
    left -= newly.length - 1;
  }
  return [...chosen].map(([word, screened]) => ({ word, patterns: [...screened] }));
}

/** A word the screen searches for, and the patterns (by their index in chooseScreenWords' argument) it screens for. */
export interface ScreenWord {
  word: string;
  patterns: number[];
}

/** The index of the last of the ascending `values` at or before `at` (values[0] is 0). */
function lastAtOrBefore(values: readonly number[], at: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (values[mid]! <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Whether every literal of one of the pattern's anchor sets contains the word. */
function settledBy(sets: readonly (readonly string[])[], word: string): boolean {
  for (const set of sets) {
    let all = set.length > 0;
    for (let i = 0; all && i < set.length; i++) all = set[i]!.length >= word.length && set[i]!.includes(word);
    if (all) return true;
  }
  return false;
}

/** What each word costs as a screen word (see chooseScreenWords): without a sample, long words are cheap. */
function priceWords(
  words: readonly string[],
  sample: Uint8Array | undefined,
  pairs: Uint32Array | undefined,
): number[] {
  if (!sample || !pairs || sample.length === 0 || words.length === 0) return words.map((word) => 40_000 / word.length);
  const encoded = words.map((text) => Buffer.from(text));
  // The lines holding each word, all words in one pass (a Buffer#indexOf per word cost ~20 ms at start-up).
  const scanner = new WordScanner(encoded, pairs);
  scanner.scan(sample);
  const lines = new Array<number>(words.length).fill(0);
  for (const w of scanner.found) lines[w]!++;
  return encoded.map((word, w) => 1 + LINE_COST * lines[w]! + PAIR_COST * rarestSlice(word, SPAN, pairs).cost);
}
