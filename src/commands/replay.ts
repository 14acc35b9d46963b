// `logwarden replay`: runs the rules over whole files, from the start, touching nothing — to try rules on real logs
// (like fail2ban-regex) and to measure matching speed.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { describeSystemError, ReplayInputUnreadableError } from '../core/errors.js';
import type { CompiledRule } from '../rules/compile.js';
import { matchChunk, SourceMatcher } from '../rules/match.js';
import { LineSplitter } from '../sources/line-splitter.js';

export interface ReplayOptions {
  rules: readonly CompiledRule[];
  maxLineBytes: number;
  json: boolean;
  write: (text: string) => void;
  /** Opens an input; '-' is standard input. */
  open?: (file: string) => Readable;
}

export interface ReplayReport {
  files: number;
  lines: number;
  bytes: number;
  seconds: number;
  counts: Map<string, { matched: number; ignored: number; rejected: number }>;
}

const BLOCK = 4 << 20;

function countLines(data: Buffer): number {
  let n = 0;
  let at = data.indexOf(10);
  while (at !== -1) {
    n++;
    at = data.indexOf(10, at + 1);
  }
  return n;
}

export async function replayFiles(files: readonly string[], options: ReplayOptions): Promise<ReplayReport> {
  const matcher = new SourceMatcher(options.rules, options.maxLineBytes);
  const counts = new Map(options.rules.map((r) => [r.id, { matched: 0, ignored: 0, rejected: 0 }]));
  const open = options.open ?? ((file: string) => createReadStream(file, { highWaterMark: BLOCK }));
  const started = performance.now();
  let lines = 0;
  let bytes = 0;
  for (const file of files) {
    const splitter = new LineSplitter(options.maxLineBytes);
    let out: string[] = [];
    const handle = (data: Buffer) => {
      let lineNumber = lines;
      let counted = 0;
      matchChunk(matcher, data, (line, verdicts, start) => {
        if (options.json) {
          // Line numbers are only needed for --json: count the newlines up to this line.
          lineNumber += countLines(data.subarray(counted, start));
          counted = start;
        }
        for (const v of verdicts) {
          counts.get(v.rule.id)![v.outcome]++;
          if (options.json && v.outcome === 'matched') {
            out.push(
              JSON.stringify({ file, line: lineNumber + 1, text: line.text, rule: v.rule.id, fields: v.fields }),
            );
          }
        }
      });
      lines += countLines(data);
      if (out.length > 0) {
        options.write(`${out.join('\n')}\n`);
        out = [];
      }
    };
    try {
      const input = file === '-' ? process.stdin : open(file);
      for await (const block of input) {
        bytes += (block as Buffer).length;
        const data = splitter.push(block as Buffer);
        if (data) handle(data);
      }
    } catch (error) {
      throw new ReplayInputUnreadableError(file, describeSystemError(error), { cause: error });
    }
    const last = splitter.flush();
    if (last) handle(last);
  }
  return { files: files.length, lines, bytes, seconds: (performance.now() - started) / 1000, counts };
}

export function renderReplayReport(report: ReplayReport): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const rate = report.seconds > 0 ? Math.round(report.lines / report.seconds) : 0;
  const width = Math.max(4, ...[...report.counts.keys()].map((k) => k.length));
  const rows = [...report.counts].map(
    ([id, c]) =>
      `${id.padEnd(width)}  ${n(c.matched).padStart(10)}  ${n(c.ignored).padStart(10)}  ${n(c.rejected).padStart(10)}`,
  );
  return [
    `Replayed ${n(report.lines)} lines (${(report.bytes / 1e6).toFixed(1)} MB) from ${report.files} ${report.files === 1 ? 'file' : 'files'} in ${report.seconds.toFixed(2)} s: ${n(rate)} lines/s`,
    '',
    `${'rule'.padEnd(width)}  ${'matched'.padStart(10)}  ${'ignored'.padStart(10)}  ${'rejected'.padStart(10)}`,
    ...rows,
    '',
  ].join('\n');
}
