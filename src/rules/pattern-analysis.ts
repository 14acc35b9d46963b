// A small reader of JavaScript regex syntax, enough to see three things the engine needs before it runs a pattern:
// its named captures, the literal text every match must contain (so a chunk of log can be skipped without running
// the regex), and constructs that backtrack catastrophically on hostile lines.

type Node =
  | { t: 'char'; c: string; min: number; max: number }
  /** broad: `.`, which matches the separators that keep other repeats apart. */
  | { t: 'set'; broad: boolean; min: number; max: number }
  /** fold: a modifier group `(?i:…)`, whose letters match either case (its text is no literal to search for). */
  | { t: 'group'; alts: Node[][]; capture?: string; look: boolean; fold?: boolean; min: number; max: number }
  | { t: 'assert'; min: number; max: number }
  | { t: 'backref'; min: number; max: number };

export interface PatternAnalysis {
  captures: string[];
  /** Literals of which every match contains at least one; empty when none could be found. */
  anchors: string[];
  /** Every such set the pattern has (each of them holds for every match), for a screen to choose from. */
  anchorSets: string[][];
  /** Why the pattern can backtrack exponentially, when it can. */
  catastrophic?: string;
  /** Constructs that are slow (polynomial) on long hostile lines, worth a warning. */
  warnings: string[];
}

const MIN_ANCHOR = 3;

class Reader {
  i = 0;
  readonly s: string;
  constructor(source: string) {
    this.s = source;
  }

  alternatives(): Node[][] {
    const alts: Node[][] = [[]];
    while (this.i < this.s.length && this.s[this.i] !== ')') {
      if (this.s[this.i] === '|') {
        this.i++;
        alts.push([]);
        continue;
      }
      const node = this.atom();
      this.quantifier(node);
      alts[alts.length - 1]!.push(node);
    }
    return alts;
  }

  atom(): Node {
    const s = this.s;
    const c = s[this.i++]!;
    if (c === '(') {
      let capture: string | undefined;
      let look = false;
      let fold = false;
      if (s[this.i] === '?') {
        const rest = s.slice(this.i, this.i + 3);
        if (rest.startsWith('?:')) this.i += 2;
        else if (rest.startsWith('?=') || rest.startsWith('?!')) {
          this.i += 2;
          look = true;
        } else if (rest === '?<=' || rest === '?<!') {
          this.i += 3;
          look = true;
        } else if (rest.startsWith('?<')) {
          const end = s.indexOf('>', this.i);
          capture = s.slice(this.i + 2, end);
          this.i = end + 1;
        } else {
          // Modifier groups like (?i:...) (Node 23+): a plain group, whose text is no literal when it ignores case.
          const colon = s.indexOf(':', this.i);
          fold = s
            .slice(this.i + 1, colon)
            .split('-')[0]!
            .includes('i');
          this.i = colon + 1;
        }
      }
      const alts = this.alternatives();
      this.i++; // ')'
      const group: Node = { t: 'group', alts, look, min: 1, max: 1 };
      if (capture !== undefined) group.capture = capture;
      if (fold) group.fold = true;
      return group;
    }
    if (c === '[') {
      while (this.i < s.length && s[this.i] !== ']') this.i += s[this.i] === '\\' ? 2 : 1;
      this.i++;
      return { t: 'set', broad: false, min: 1, max: 1 };
    }
    if (c === '.') return { t: 'set', broad: true, min: 1, max: 1 };
    if (c === '^' || c === '$') return { t: 'assert', min: 1, max: 1 };
    if (c === '\\') return this.escape();
    return { t: 'char', c, min: 1, max: 1 };
  }

  escape(): Node {
    const s = this.s;
    const e = s[this.i++]!;
    if ('dDwWsS'.includes(e)) return { t: 'set', broad: false, min: 1, max: 1 };
    if (e === 'b' || e === 'B') return { t: 'assert', min: 1, max: 1 };
    if (/[1-9]/.test(e)) {
      while (/\d/.test(s[this.i] ?? '')) this.i++;
      return { t: 'backref', min: 1, max: 1 };
    }
    // Without the u flag `\\k` and `\\p` may stand alone (`\\path` is "path"): what they are is not guessed, nothing
    // after them is skipped unless its delimiters are there.
    if (e === 'k') {
      const close = s.indexOf('>', this.i);
      if (s[this.i] === '<' && close !== -1) this.i = close + 1;
      return { t: 'backref', min: 1, max: 1 };
    }
    if (e === 'p' || e === 'P' || (e === 'u' && s[this.i] === '{')) {
      const close = s.indexOf('}', this.i);
      if (s[this.i] === '{' && close !== -1) this.i = close + 1;
      return { t: 'set', broad: false, min: 1, max: 1 };
    }
    if (e === 'u' || e === 'x') {
      const width = e === 'u' ? 4 : 2;
      const digits = s.slice(this.i, this.i + width);
      // Without the u flag a malformed escape (`\xZZ`, `\u12zz`) is the letter itself: read as no literal at all,
      // rather than risk a wrong one (a wrong literal screens out lines that match).
      if (!new RegExp(`^[0-9A-Fa-f]{${width}}$`).test(digits)) return { t: 'set', broad: false, min: 1, max: 1 };
      this.i += width;
      return { t: 'char', c: String.fromCharCode(Number.parseInt(digits, 16)), min: 1, max: 1 };
    }
    // `\0` before a digit is an octal escape (`\01` is character 1): no literal is guessed for it.
    if (e === '0' && /[0-9]/.test(s[this.i] ?? '')) {
      while (/[0-7]/.test(s[this.i] ?? '')) this.i++;
      return { t: 'set', broad: false, min: 1, max: 1 };
    }
    if (e === 'c') {
      this.i++;
      return { t: 'set', broad: false, min: 1, max: 1 };
    }
    const controls: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' };
    return { t: 'char', c: controls[e] ?? e, min: 1, max: 1 };
  }

  quantifier(node: Node): void {
    const s = this.s;
    const c = s[this.i];
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      node.min = c === '+' ? 1 : 0;
      node.max = c === '?' ? 1 : Number.POSITIVE_INFINITY;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) return;
      this.i += m[0].length;
      node.min = Number(m[1]);
      node.max = m[2] === undefined ? node.min : m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY;
    } else return;
    if (s[this.i] === '?') this.i++;
  }
}

/** Reads a pattern that already compiled as a RegExp. */
export function analyzePattern(source: string, caseInsensitive = false): PatternAnalysis {
  const tree = new Reader(source).alternatives();
  const captures: string[] = [];
  collectCaptures(tree, captures);
  const warnings: string[] = [];
  const broad = countBroadRepeats(tree);
  const catastrophic =
    findCatastrophic(tree) ??
    (broad > MAX_BROAD_REPEATS
      ? `has ${broad} unbounded wildcards (.* or .+) in a row, like a.*b.*c.*d, which takes time growing as the line's length to the power ${broad} on a long hostile line; use classes that stop at separators (\\S+, [^"]*) or bounded repeats like .{0,256}`
      : undefined);
  if (broad === MAX_BROAD_REPEATS) {
    warnings.push(
      `has ${broad} unbounded wildcards (.* or .+): a long hostile line can make it slow (quadratic or worse); prefer classes like \\S+ or [^"]* and bounded repeats like .{0,256}`,
    );
  }
  const anchorSets = caseInsensitive ? [] : allAnchors(tree);
  const anchors = caseInsensitive ? [] : (bestAnchors(tree) ?? []);
  return catastrophic === undefined
    ? { captures, anchors, anchorSets, warnings }
    : { captures, anchors, anchorSets, catastrophic, warnings };
}

function collectCaptures(alts: Node[][], out: string[]): void {
  for (const seq of alts)
    for (const node of seq)
      if (node.t === 'group') {
        if (node.capture) out.push(node.capture);
        collectCaptures(node.alts, out);
      }
}

/**
 * A repeat that can backtrack exponentially when what it repeats is ambiguous: unbounded, or bounded above ten, as
 * (a|a){1,60} tries 2^60 ways on a line of a's that does not match.
 */
function repeatsMany(node: Node): boolean {
  return node.max > MANY_REPEATS;
}

const MANY_REPEATS = 10;
/** Unbounded wildcards in one sequence from which a pattern is refused: `a.*b.*c.*d` is O(n^3) on a hostile line. */
const MAX_BROAD_REPEATS = 2;

function containsUnbounded(alts: Node[][]): boolean {
  return alts.some((seq) =>
    seq.some((n) => (repeatsMany(n) && n.t !== 'assert') || (n.t === 'group' && !n.look && containsUnbounded(n.alts))),
  );
}

// Alternatives that each start with a different literal character cannot both match at one position.
function alternativesAreExclusive(alts: Node[][]): boolean {
  const firsts = new Set<string>();
  for (const seq of alts) {
    const first = seq[0];
    if (first?.t !== 'char' || first.min === 0 || firsts.has(first.c)) return false;
    firsts.add(first.c);
  }
  return true;
}

function findCatastrophic(alts: Node[][]): string | undefined {
  for (const seq of alts)
    for (const node of seq) {
      // A lookaround's body backtracks like any other part: (?=(a+)+$) is as slow as (a+)+$.
      if (node.t !== 'group') continue;
      if (!node.look && repeatsMany(node)) {
        if (containsUnbounded(node.alts))
          return 'nests a repeated part inside another repetition, like (a+)+, which backtracks exponentially on a hostile line; repeat only the inner part, e.g. (a+)+ → a+';
        if (node.alts.length > 1 && !alternativesAreExclusive(node.alts))
          return 'repeats alternatives that can match the same text, like (a|ab)*, which backtracks exponentially on a hostile line; make the alternatives start differently or drop the repetition';
      }
      const inner = findCatastrophic(node.alts);
      if (inner) return inner;
    }
  return undefined;
}

function countBroadRepeats(alts: Node[][]): number {
  let max = 0;
  for (const seq of alts) {
    let n = 0;
    for (const node of seq) {
      if (node.t === 'set' && node.broad && node.max === Number.POSITIVE_INFINITY) n++;
      else if (node.t === 'group' && !node.look) n += countBroadRepeats(node.alts);
    }
    max = Math.max(max, n);
  }
  return max;
}

// Every way of matching goes through one of the returned literals: the best such set for a prefilter.
function bestAnchors(alts: Node[][]): string[] | undefined {
  const candidates = anchorCandidates(alts);
  if (!candidates || candidates.length === 0) return undefined;
  return candidates.reduce((best, c) => (scoreAnchors(c) > scoreAnchors(best) ? c : best));
}

// All the sets bestAnchors chooses among, at the top level of the pattern.
function allAnchors(alts: Node[][]): string[][] {
  return anchorCandidates(alts) ?? [];
}

function anchorCandidates(alts: Node[][]): string[][] | undefined {
  if (alts.length > 1) {
    const sets: string[] = [];
    for (const seq of alts) {
      const a = bestAnchors([seq]);
      if (!a) return undefined;
      sets.push(...a);
    }
    return [[...new Set(sets)]];
  }
  const candidates: string[][] = [];
  let run = '';
  const flush = () => {
    if (run.length >= MIN_ANCHOR && !run.includes('\n')) candidates.push([run]);
    run = '';
  };
  const walk = (seq: Node[]) => {
    for (const node of seq) {
      if (node.t === 'group' && node.fold) flush();
      else if (node.t === 'char') {
        if (node.min === 0) flush();
        else if (node.min === 1 && node.max === 1) run += node.c;
        else {
          run += node.c;
          flush();
        }
      } else if (node.t === 'group' && !node.look && node.min >= 1 && node.max === 1 && node.alts.length === 1) {
        walk(node.alts[0]!);
      } else if (node.t === 'group' && !node.look && node.min >= 1) {
        // The text just before alternatives that are plain words ("Failed " then password|none|…) goes with each of
        // them: "Failed password", "Failed none"… are longer, rarer literals, one of which every match holds.
        const words = node.max === 1 ? plainAlternatives(node.alts) : undefined;
        if (run.length > 0 && words) {
          const joined = words.map((w) => run + w);
          if (joined.every((w) => w.length >= MIN_ANCHOR && !w.includes('\n'))) candidates.push(joined);
        }
        flush();
        const inner = bestAnchors(node.alts);
        if (inner) candidates.push(inner);
      } else if (node.t === 'assert' && node.min >= 1) {
        // Zero-width: the text around it is still contiguous only for ^ and $ at the ends, so break the run.
        flush();
      } else flush();
    }
  };
  walk(alts[0] ?? []);
  flush();
  return candidates;
}

/** The alternatives as strings when each is plain characters, one of each (no repetition, class or group). */
function plainAlternatives(alts: Node[][]): string[] | undefined {
  const words: string[] = [];
  for (const seq of alts) {
    let word = '';
    for (const node of seq) {
      if (node.t !== 'char' || node.min !== 1 || node.max !== 1) return undefined;
      word += node.c;
    }
    if (word === '') return undefined;
    words.push(word);
  }
  return words;
}

// Letters and digits make a literal rare in logs; punctuation and spaces much less so. Many alternatives cost a little.
function scoreAnchors(set: string[]): number {
  const weight = (s: string) => s.replace(/[^A-Za-z0-9]/g, '').length + 0.5 * s.replace(/[A-Za-z0-9]/g, '').length;
  return Math.min(...set.map(weight)) - 0.25 * Math.log2(set.length);
}
