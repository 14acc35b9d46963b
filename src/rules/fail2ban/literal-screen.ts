// The words to search raw lines for before running a fail2ban filter (replay's screen and the rule engine's
// prefilter): every line a failregex can match holds one, though the regexes read the line with its date cut out.
// Pure.
import { countBytes, rarityRank, searchWindow } from '../search-window.js';

/** Words to search lines for before anything else runs, and what finding each means. */
export interface LiteralScreen {
  /** A line holding none of these is missed without running anything; null: every line is tried. */
  literals: string[] | null;
  /** For each of literals, the failregexes (indices, ascending) that can match a line holding it. */
  screen: number[][];
}

// Searching a block for more literals than this costs more than it saves (and scanLines takes at most 64).
const MAX_LITERALS = 64;
// Costs in stops of Buffer#indexOf at a byte like the window's first (measured on the bench's auth.log).
const PASS_COST = 1400;
const BYTES_PER_PASS_COST = 190;
const LINE_COST = 220;

// The regexes read the line without its date, and cutting the date out joins the text around it: "[" and "]" of
// "[27/Jun/2013:11:55:44]" become the "[]" a filter then writes. As the join comes in front of a non-word character
// (see DateDetector), a literal is only sure to be in the line as read within one of its words (3 or more long).
export function wordsOf(regexes: readonly { anchors: string[] }[]): string[][][] | null {
  const words = regexes.map((r) => r.anchors.map((a) => [...a.matchAll(/[A-Za-z0-9_]{3,}/g)].map((m) => m[0])));
  return words.some((w) => w.length === 0 || w.some((candidates) => candidates.length === 0)) ? null : words;
}

/**
 * Which words to search lines for, so that each literal of each regex has one of its words searched for: few, and
 * cheap to search. Each search costs a pass over the text (about as much as stopping at one byte in 190), plus a
 * stop at each byte like its window's first, plus each line it brings in (about 220 stops). With a sample of the
 * text to be read those are counted; without one, capitals count as rare. The cheapest word per
 * literal it settles goes first (a greedy set cover): " not allowed because …" six ways over is one search for
 * "because", not six.
 */
export function createLiteralScreen(
  compiled: { words: string[][][] | null; failregex: readonly { anchors: string[] }[] },
  sample?: Buffer,
  counts: Uint32Array | undefined = sample && countBytes(sample),
): LiteralScreen {
  if (compiled.words === null) return { literals: null, screen: [] };
  const cost = (word: string): number => {
    // Without a sample, short words stand for common ones.
    if (!sample || !counts) return PASS_COST + 100 * rarityRank(searchWindow(word)) + 20_000 / word.length;
    let lines = 0;
    for (let at = sample.indexOf(word); at !== -1; at = sample.indexOf(word, at + word.length)) lines++;
    return sample.length / BYTES_PER_PASS_COST + counts[searchWindow(word, counts).charCodeAt(0)]! + LINE_COST * lines;
  };
  let uncovered = [...new Map(compiled.words.flat().map((words) => [words.join(' '), words])).values()];
  const candidates = new Map([...new Set(uncovered.flat())].map((w) => [w, cost(w)]));
  const chosen: string[] = [];
  while (uncovered.length > 0) {
    let best = '';
    let bestRatio = Number.POSITIVE_INFINITY;
    for (const [word, price] of candidates) {
      const settles = uncovered.filter((words) => words.some((w) => w.includes(word))).length;
      if (settles > 0 && price / settles < bestRatio) {
        best = word;
        bestRatio = price / settles;
      }
    }
    chosen.push(best);
    uncovered = uncovered.filter((words) => !words.some((w) => w.includes(best)));
  }
  // A line holding "Connection" holds "Connect": searching for the shorter of nested words finds both.
  const literals = chosen.filter((l) => !chosen.some((other) => other !== l && l.includes(other)));
  if (literals.length > MAX_LITERALS) return { literals: null, screen: [] };
  return {
    literals,
    screen: literals.map((l) =>
      compiled.failregex.flatMap((r, i) => (r.anchors.some((a) => a.includes(l)) ? [i] : [])),
    ),
  };
}
