// The part of replay that one thread does: read a byte range of a file (or all of it) and run the rules over it.
// Used by replay itself and by its worker threads.
import { closeSync, openSync, readSync } from 'node:fs';
import type { RuleVerdict, SourceMatcher } from '../rules/match.js';
import { matchChunk } from '../rules/match.js';
import { countLines } from '../sources/line-splitter.js';

export type RuleCounts = Record<RuleVerdict['outcome'], number>;

/** Counts each verdict on a chunk of complete lines; calls onMatch with line numbers (counted from lineBase). */
export function tallyChunk(
  matcher: SourceMatcher,
  data: Buffer,
  counts: Map<string, RuleCounts>,
  onMatch?: (lineNumber: number, text: string, rule: string, fields: Record<string, string>) => void,
  lineBase = 0,
  now = 0,
): number {
  let lineNumber = lineBase;
  let counted = 0;
  matchChunk(
    matcher,
    data,
    (line, verdicts, start) => {
      if (onMatch) {
        // Line numbers are only needed for matches reported one by one: count the newlines up to this line.
        lineNumber += countLines(data.subarray(counted, start));
        counted = start;
      }
      for (const v of verdicts) {
        counts.get(v.rule.id)![v.outcome]++;
        if (onMatch && v.outcome === 'matched') onMatch(lineNumber + 1, line.text, v.rule.id, v.fields);
      }
    },
    now,
  );
  return countLines(data);
}

/** Line starts that cut a file into about `parts` ranges of whole lines. */
export function splitAtLines(file: string, size: number, parts: number): { start: number; end: number }[] {
  const fd = openSync(file, 'r');
  const probe = Buffer.allocUnsafe(64 * 1024);
  const starts = [0];
  try {
    for (let i = 1; i < parts; i++) {
      let at = Math.max(Math.floor((size * i) / parts), starts[starts.length - 1]!);
      // The first line start after the cut; a line longer than the probe just moves the cut further.
      for (;;) {
        const n = readSync(fd, probe, 0, probe.length, at);
        if (n === 0) {
          at = size;
          break;
        }
        const nl = probe.subarray(0, n).indexOf(10);
        if (nl !== -1) {
          at += nl + 1;
          break;
        }
        at += n;
      }
      if (at >= size) break;
      starts.push(at);
    }
  } finally {
    closeSync(fd);
  }
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? size }));
}
