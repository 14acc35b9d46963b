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

/** Costs of screening, in the units fail2ban-filter.ts measured: a pass over a block, a byte of it, a line let in. */
const PASS_COST = 1400;
const BYTES_PER_PASS_COST = 190;
const LINE_COST = 220;

/**
 * Few literals that between them screen every pattern: a pattern is settled by a word that every literal of one of
 * its anchor sets contains, so a line with none of the chosen words cannot match. Each pass over a block costs about
 * as much as a regex on many lines, so a word shared by many patterns ("authentication" in six PAM and sshd messages)
 * beats one window per pattern, and of a pattern's required literals the one rare in the text is used ("Auth fail"
 * rather than "Received disconnect"). A greedy set cover: with a sample of the text to be read, a word costs the
 * stops its window's first byte makes in it and the lines it lets in; without one, rare first bytes and long words
 * are cheap. Returns each word with its window.
 */
export function chooseScreenWords(
  patterns: readonly (readonly (readonly string[])[])[],
  sample?: Buffer,
): { word: string; window: string }[] {
  const settledBy = (sets: readonly (readonly string[])[], word: string) =>
    sets.some((set) => set.length > 0 && set.every((anchor) => anchor.includes(word)));
  let uncovered = patterns.filter((sets) => sets.length > 0);
  const words = new Set<string>();
  for (const anchor of uncovered.flat(2)) {
    // " : " would let in half the lines of a log: anchors of five characters or more, three of them letters ("PAM: ");
    // the sample prices the rest ("from " is in most lines).
    if (anchor.length >= 5 && anchor.replace(/[^A-Za-z0-9_]/g, '').length >= 3) words.add(anchor);
    // Short words ("user", "from") are in too many lines to screen any out.
    for (const m of anchor.matchAll(/[A-Za-z0-9_]{5,}/g)) {
      words.add(m[0]);
      // "Authentication" and "authentication" share "uthentication".
      if (m[0].length > 5) words.add(m[0].slice(1));
    }
    // Capitals are rare in logs: "PAM" settles "PAM: …", "PAM service(sshd) …" and "PAM authentication error" at once.
    for (const m of anchor.matchAll(/[A-Z]{3,}/g)) words.add(m[0]);
  }
  const counts = sample && sample.length > 0 ? countBytes(sample) : undefined;
  // The window searched for is a slice of the word: the one whose first byte and hits cost least in the sample
  // ("refused connect from" is searched as "refused", never as "connect", which "disconnect" holds too).
  const windows = new Map<string, { window: string; price: number }>();
  const priceOf = (word: string) => {
    let known = windows.get(word);
    if (known) return known;
    if (!sample || !counts) {
      const window = searchWindow(word);
      known = { window, price: PASS_COST + 100 * rarityRank(window) + 40_000 / word.length };
    } else {
      known = { window: word, price: Number.POSITIVE_INFINITY };
      // Beyond ASCII the word is searched whole (see searchWindow).
      const size = BEYOND_ASCII.test(word) ? word.length : Math.min(WINDOW, word.length);
      // Only the slices starting at the three rarest bytes are worth counting in the sample.
      const starts = Array.from({ length: word.length - size + 1 }, (_, i) => i)
        .sort((a, b) => (counts[word.charCodeAt(a)] ?? 0) - (counts[word.charCodeAt(b)] ?? 0))
        .slice(0, 3);
      for (const i of starts) {
        const slice = word.slice(i, i + size);
        let lines = 0;
        for (let at = sample.indexOf(slice); at !== -1; at = sample.indexOf(slice, at + size)) lines++;
        const price = sample.length / BYTES_PER_PASS_COST + counts[Buffer.from(slice)[0]!]! + LINE_COST * lines;
        if (price < known.price) known = { window: slice, price };
      }
    }
    windows.set(word, known);
    return known;
  };
  const priced = [...words].map((word) => ({ word, price: priceOf(word).price }));
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
      // is searched for as it is, each of its literals a window.
      const [sets, ...rest] = uncovered;
      chosen.push(...sets![0]!);
      uncovered = rest;
      continue;
    }
    chosen.push(best);
    uncovered = uncovered.filter((sets) => !settledBy(sets, best));
  }
  return [...new Set(chosen)].map((word) => ({ word, window: priceOf(word).window }));
}
