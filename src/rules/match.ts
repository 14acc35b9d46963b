// The hot path. A chunk of log is searched as raw bytes for the literals the rules need; only lines containing one
// are decoded as UTF-8, split into their envelope when a rule asks, and run through the rules.
import { RULE_MATCHERS } from './kinds.js';
import { LineContext } from './line-context.js';
import { ProcessMemory } from './process-memory.js';
import type { CompiledRule, MatchState } from './rule.js';
import { chooseScreenWords } from './search-window.js';
import type { RuleVerdict } from './verdict.js';
import { countPairs, WordScanner } from './word-scan.js';

export type { RuleVerdict } from './verdict.js';

/** What one rule says of one line; undefined when it does not match. */
export function matchRule(rule: CompiledRule, line: LineContext, state: MatchState): RuleVerdict | undefined {
  return RULE_MATCHERS[rule.kind](rule, line, state);
}

export interface DecodedLine {
  text: string;
  truncated: boolean;
}

const CR = 13;
const MAX_LITERALS = 64;

/** The text of the line at [start, end) of data (end excludes "\n"), cut to maxLineBytes. */
const BREAKS = /[\r\u2028\u2029]/;
const ALL_BREAKS = /[\r\u2028\u2029]/g;

export function decodeLine(data: Buffer, start: number, end: number, maxLineBytes: number): DecodedLine {
  let stop = end;
  if (stop > start && data[stop - 1] === CR) stop--;
  const truncated = stop - start > maxLineBytes;
  if (truncated) stop = start + maxLineBytes;
  const text = data.toString('utf8', start, stop);
  // A pattern's `.` stops at CR, U+2028 and U+2029: inside a line (written by whoever wrote its text) they are
  // spaces, or a command or a user name holding one would hide from every pattern that reads past it.
  return BREAKS.test(text) ? { text: text.replace(ALL_BREAKS, ' '), truncated } : { text, truncated };
}

/** The part of the first block the screen's words are chosen on. */
const SAMPLE_BYTES = 64 * 1024;
const MAX_MASKED_RULES = 30;

/** The rules that read one source, ready to scan chunks of it. */
export class SourceMatcher {
  readonly rules: readonly CompiledRule[];
  readonly maxLineBytes: number;
  /** The zone of the source's stamps that name none (its `timezone:`), or undefined for the host's. */
  readonly zone: string | undefined;
  /** What earlier lines of a process said, for later lines of the same process (bounded). */
  readonly processes = new ProcessMemory();
  /** The words every matching line holds one of, or null when some rule can match lines without any. */
  private scanner: WordScanner | null | undefined;
  /** For each word, the bit mask of the rules that need it (all bits when there are too many rules to mask). */
  private wordRules: number[] = [];
  /** For each word, the patterns (numbered across rules) it screens for. */
  private wordPatterns: number[][] = [];
  /** Where each rule's patterns start in that numbering. */
  private readonly patternBase: number[];
  private readonly marks: Uint32Array;
  private stamp = 0;
  private readonly allRules: number;

  constructor(rules: readonly CompiledRule[], maxLineBytes: number, zone?: string) {
    this.rules = rules;
    this.maxLineBytes = maxLineBytes;
    this.zone = zone;
    this.allRules = rules.length > MAX_MASKED_RULES ? -1 : 2 ** rules.length - 1;
    let base = 0;
    this.patternBase = rules.map((r) => {
      const at = base;
      base += r.patterns.length;
      return at;
    });
    this.marks = new Uint32Array(base);
    this.screenState.marks = this.marks;
    // Web rules read every access-log line; a rule without literals can match any line.
    if (rules.some((r) => r.kind === 'web' || r.patterns.length === 0 || r.patterns.some((p) => !p.anchors.length))) {
      this.scanner = null;
    }
  }

  // The words to search for are chosen on the first block read, as a sample of what this source holds.
  private chooseWords(sample: Buffer): WordScanner {
    // Numbered across rules as the marks are: pattern k of the list is its rule's pattern k − patternBase.
    const patterns = this.rules.flatMap((rule) => rule.patterns.map((p) => p.anchorSets));
    const ruleOf = this.rules.flatMap((rule, i) => rule.patterns.map(() => i));
    // Counted once, for choosing the words and for aligning them.
    const pairs = countPairs(sample);
    const words = chooseScreenWords(patterns, sample, pairs);
    this.wordPatterns = words.map((w) => w.patterns);
    this.wordRules = words.map((w) =>
      this.allRules === -1 ? -1 : w.patterns.reduce((rules, p) => rules | (1 << ruleOf[p]!), 0),
    );
    return new WordScanner(
      words.map((w) => Buffer.from(w.word, 'utf8')),
      pairs,
    );
  }

  /**
   * Calls visit(start, end, rules) for each line of data that may match, in order; end excludes the "\n" and rules
   * is the bit mask of the rules worth running on it.
   */
  scan(data: Buffer, visit: (start: number, end: number, rules: number) => void): void {
    if (this.rules.length === 0) return;
    if (this.scanner === undefined) this.scanner = this.chooseWords(data.subarray(0, SAMPLE_BYTES));
    if (this.scanner === null) {
      scanLines(data, null, (start, end) => visit(start, end, this.allRules));
      return;
    }
    const scanner = this.scanner;
    const lines = scanner.scan(data);
    for (let k = 0; k < lines; k++) {
      // A new stamp per line: the patterns its words screen for are marked with it.
      this.stamp = (this.stamp + 1) >>> 0 || 1;
      let rules = 0;
      for (let f = scanner.foundFrom[k]!; f < scanner.foundFrom[k + 1]!; f++) {
        const w = scanner.found[f]!;
        rules |= this.wordRules[w]!;
        for (const p of this.wordPatterns[w]!) this.marks[p] = this.stamp;
      }
      visit(scanner.lineStarts[k]!, scanner.lineEnds[k]!, rules);
    }
  }

  /** The verdicts of the rules in the mask (default: all) on one line: matched, ignored or rejected. */
  matchLine(line: LineContext, rules = this.allRules, now = 0): RuleVerdict[] {
    const verdicts: RuleVerdict[] = [];
    // One state object for every line: this runs for every candidate line.
    const state = this.state;
    state.now = now;
    this.unscreened.now = now;
    const screen = this.scanner ? this.screenState : undefined;
    if (screen) screen.stamp = this.stamp;
    for (let i = 0; i < this.rules.length; i++) {
      if (rules !== -1 && (rules & (1 << i)) === 0) continue;
      if (screen) screen.base = this.patternBase[i]!;
      const v = matchRule(this.rules[i]!, line, screen ? state : this.unscreened);
      if (v) verdicts.push(v);
    }
    return verdicts;
  }

  private readonly screenState: NonNullable<MatchState['screen']> = { marks: new Uint32Array(0), stamp: 0, base: 0 };
  private readonly state: MatchState = { processes: this.processes, now: 0, screen: this.screenState };
  private readonly unscreened: MatchState = { processes: this.processes, now: 0 };
}

/**
 * Calls visit(start, end, found) for each line of data (end excludes the "\n"), in order: every line when literals is
 * null, else each line containing one of them, with the indices of those it contains.
 */
export function scanLines(
  data: Buffer,
  literals: readonly Buffer[] | null,
  visit: (start: number, end: number, found: readonly number[]) => void,
): void {
  const length = data.length;
  if (length === 0) return;
  if (literals === null) {
    let start = 0;
    while (start < length) {
      let end = data.indexOf(10, start);
      if (end === -1) end = length;
      visit(start, end, []);
      start = end + 1;
    }
    return;
  }
  // Each hit as one number, line start × 64 + literal, so one numeric sort orders lines and groups their literals.
  const hits: number[] = [];
  literals.forEach((literal, w) => {
    let at = data.indexOf(literal);
    while (at !== -1) {
      hits.push((data.lastIndexOf(10, at) + 1) * MAX_LITERALS + w);
      const end = data.indexOf(10, at);
      if (end === -1) break;
      at = data.indexOf(literal, end + 1);
    }
  });
  hits.sort((a, b) => a - b);
  let i = 0;
  while (i < hits.length) {
    const start = Math.floor(hits[i]! / MAX_LITERALS);
    const found: number[] = [];
    for (; i < hits.length && Math.floor(hits[i]! / MAX_LITERALS) === start; i++) found.push(hits[i]! % MAX_LITERALS);
    let end = data.indexOf(10, start);
    if (end === -1) end = length;
    visit(start, end, found);
  }
}

/** Builds one matcher per source id from the rules that read it. */
export function createSourceMatchers(
  rules: readonly CompiledRule[],
  sources: readonly { id: string; maxLineBytes: number; timezone?: string | undefined }[],
): Map<string, SourceMatcher> {
  return new Map(
    sources.map((s) => [
      s.id,
      new SourceMatcher(
        rules.filter((r) => r.sources.includes(s.id)),
        s.maxLineBytes,
        s.timezone,
      ),
    ]),
  );
}

/** Runs a matcher over a chunk of complete lines, calling back with each line that produced verdicts. */
export function matchChunk(
  matcher: SourceMatcher,
  data: Buffer,
  onLine: (line: DecodedLine, verdicts: RuleVerdict[], start: number, context: LineContext) => void,
  now = 0,
): void {
  matcher.scan(data, (start, end, rules) => {
    const line = decodeLine(data, start, end, matcher.maxLineBytes);
    const context = new LineContext(line.text, matcher.zone);
    const verdicts = matcher.matchLine(context, rules, now);
    if (verdicts.length > 0) onLine(line, verdicts, start, context);
  });
}
