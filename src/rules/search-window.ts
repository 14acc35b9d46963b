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
  if (literal.length <= size) return literal;
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
