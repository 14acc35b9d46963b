// The hot path. A chunk of log is searched as raw bytes for the literals the rules need; only lines containing one
// are decoded as UTF-8 and run through the regexes.
import type { FieldType } from '../core/types.js';
import type { CompiledRule } from './compile.js';
import { isValidField } from './field-types.js';

export type RuleVerdict =
  | { outcome: 'matched'; rule: CompiledRule; fields: Record<string, string> }
  | { outcome: 'ignored'; rule: CompiledRule }
  | { outcome: 'rejected'; rule: CompiledRule; field: string; type: FieldType; value: string };

/** What one rule says of one line; undefined when no pattern matched. */
export function matchRule(rule: CompiledRule, line: string): RuleVerdict | undefined {
  for (const pattern of rule.patterns) {
    if (pattern.anchors.length > 0 && !pattern.anchors.some((a) => line.includes(a))) continue;
    const m = pattern.regex.exec(line);
    if (!m) continue;
    if (rule.ignore.some((r) => r.test(line))) return { outcome: 'ignored', rule };
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(m.groups ?? {})) {
      if (value === undefined) continue;
      const type = rule.fields[name] ?? 'text';
      if (!isValidField(type, value)) return { outcome: 'rejected', rule, field: name, type, value };
      fields[name] = value;
    }
    return { outcome: 'matched', rule, fields };
  }
  return undefined;
}

export interface DecodedLine {
  text: string;
  truncated: boolean;
}

const CR = 13;

/** The text of the line at [start, end) of data (end excludes "\n"), cut to maxLineBytes. */
export function decodeLine(data: Buffer, start: number, end: number, maxLineBytes: number): DecodedLine {
  let stop = end;
  if (stop > start && data[stop - 1] === CR) stop--;
  const truncated = stop - start > maxLineBytes;
  if (truncated) stop = start + maxLineBytes;
  return { text: data.toString('utf8', start, stop), truncated };
}

const WINDOW = 7;

// Searching a Buffer for fewer than 8 bytes runs at memchr speed on the first byte, several times faster than the
// Boyer-Moore path longer needles take, when that byte is rare: upper-case letters and "(" are, in logs. A line the
// window finds is still checked against the whole regex.
function searchWindow(literal: string): string {
  if (literal.length <= WINDOW) return literal;
  for (let i = 0; i + WINDOW <= literal.length; i++) {
    if (/[A-Z(]/.test(literal[i]!)) return literal.slice(i, i + WINDOW);
  }
  return literal;
}

/** The rules that read one source, ready to scan chunks of it. */
export class SourceMatcher {
  readonly rules: readonly CompiledRule[];
  readonly maxLineBytes: number;
  /** Literals as UTF-8 bytes, or null when some rule can match lines without any literal. */
  private readonly anchors: Buffer[] | null;

  constructor(rules: readonly CompiledRule[], maxLineBytes: number) {
    this.rules = rules;
    this.maxLineBytes = maxLineBytes;
    const patterns = rules.flatMap((r) => r.patterns);
    this.anchors = patterns.some((p) => p.anchors.length === 0)
      ? null
      : [...new Set(patterns.flatMap((p) => p.anchors).map(searchWindow))].map((a) => Buffer.from(a, 'utf8'));
  }

  /** Calls visit(start, end) for each line of data that may match, in order; end excludes the "\n". */
  scan(data: Buffer, visit: (start: number, end: number) => void): void {
    const length = data.length;
    if (this.rules.length === 0 || length === 0) return;
    if (this.anchors === null) {
      let start = 0;
      while (start < length) {
        let end = data.indexOf(10, start);
        if (end === -1) end = length;
        visit(start, end);
        start = end + 1;
      }
      return;
    }
    const starts: number[] = [];
    for (const anchor of this.anchors) {
      let at = data.indexOf(anchor);
      while (at !== -1) {
        starts.push(data.lastIndexOf(10, at) + 1);
        const end = data.indexOf(10, at);
        if (end === -1) break;
        at = data.indexOf(anchor, end + 1);
      }
    }
    if (starts.length === 0) return;
    starts.sort((a, b) => a - b);
    let previous = -1;
    for (const start of starts) {
      if (start === previous) continue;
      previous = start;
      let end = data.indexOf(10, start);
      if (end === -1) end = length;
      visit(start, end);
    }
  }

  /** The verdict of every rule on one line that matched, was ignored or rejected. */
  matchLine(line: string): RuleVerdict[] {
    const verdicts: RuleVerdict[] = [];
    for (const rule of this.rules) {
      const v = matchRule(rule, line);
      if (v) verdicts.push(v);
    }
    return verdicts;
  }
}

/** Builds one matcher per source id from the rules that read it. */
export function createSourceMatchers(
  rules: readonly CompiledRule[],
  sources: readonly { id: string; maxLineBytes: number }[],
): Map<string, SourceMatcher> {
  return new Map(
    sources.map((s) => [
      s.id,
      new SourceMatcher(
        rules.filter((r) => r.sources.includes(s.id)),
        s.maxLineBytes,
      ),
    ]),
  );
}

/** Runs a matcher over a chunk of complete lines, calling back with each line that produced verdicts. */
export function matchChunk(
  matcher: SourceMatcher,
  data: Buffer,
  onLine: (line: DecodedLine, verdicts: RuleVerdict[], start: number) => void,
): void {
  matcher.scan(data, (start, end) => {
    const line = decodeLine(data, start, end, matcher.maxLineBytes);
    const verdicts = matcher.matchLine(line.text);
    if (verdicts.length > 0) onLine(line, verdicts, start);
  });
}
