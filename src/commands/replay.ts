// `logwarden replay`: runs the rules over whole files, from the start, touching nothing — to try rules on real logs
// (like fail2ban-regex) and to measure matching speed.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { describeSystemError, ReplayInputUnreadableError } from '../core/errors.js';
import type { CompiledRule } from '../rules/compile.js';
import { matchChunk, SourceMatcher } from '../rules/match.js';
import { LineSplitter } from '../sources/line-splitter.js';

export interface ReplayOptions {
  rules: readonly CompiledRule[];
  maxLineBytes: number;
  json: boolean;
  write: (text: string) => void;
  /** Called at most every quarter second on long replays, for a progress line. */
  onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayProgress {
  file: string;
  lines: number;
  /** Bytes of this file read so far, and its size (0 for standard input). */
  fileBytes: number;
  fileSize: number;
  seconds: number;
}

const PROGRESS_EVERY_MS = 250;

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

function statSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

// Reads a file in large blocks into one reused buffer and hands on views of its complete lines: no copies, no
// garbage, which is most of what replay costs besides matching. A line longer than the buffer is cut, as matching
// would cut it anyway. Returns the bytes read.
function readLineBlocks(
  file: string,
  maxLineBytes: number,
  handle: (lines: Buffer, readSoFar: number) => void,
): number {
  const buffer = Buffer.allocUnsafe(Math.max(BLOCK, 2 * maxLineBytes + 2));
  const fd = openSync(file, 'r');
  let filled = 0;
  let total = 0;
  let skipping = false;
  try {
    for (;;) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, null);
      total += n;
      const end = filled + n;
      if (n === 0) {
        if (filled > 0 && !skipping) {
          buffer[filled] = 10;
          handle(buffer.subarray(0, filled + 1), total);
        }
        return total;
      }
      let from = 0;
      if (skipping) {
        const nl = buffer.indexOf(10, filled);
        if (nl === -1 || nl >= end) {
          filled = 0;
          continue;
        }
        skipping = false;
        from = nl + 1;
      }
      const last = buffer.lastIndexOf(10, end - 1);
      if (last < from) {
        if (from > 0 || end < buffer.length) {
          buffer.copyWithin(0, from, end);
          filled = end - from;
          continue;
        }
        // No newline in a full buffer: pass the line on cut (with a newline), drop the rest of it.
        buffer[maxLineBytes + 1] = 10;
        handle(buffer.subarray(0, maxLineBytes + 2), total);
        skipping = true;
        filled = 0;
        continue;
      }
      handle(buffer.subarray(from, last + 1), total);
      buffer.copyWithin(0, last + 1, end);
      filled = end - last - 1;
    }
  } finally {
    closeSync(fd);
  }
}

export async function replayFiles(files: readonly string[], options: ReplayOptions): Promise<ReplayReport> {
  const matcher = new SourceMatcher(options.rules, options.maxLineBytes);
  const counts = new Map(options.rules.map((r) => [r.id, { matched: 0, ignored: 0, rejected: 0 }]));
  const started = performance.now();
  let lines = 0;
  let bytes = 0;
  let reported = started;
  for (const file of files) {
    const fileSize = file === '-' ? 0 : statSize(file);
    const fileStart = bytes;
    let out: string[] = [];
    const handle = (data: Buffer, readSoFar: number) => {
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
      const now = performance.now();
      if (options.onProgress && now - reported >= PROGRESS_EVERY_MS) {
        reported = now;
        options.onProgress({ file, lines, fileBytes: readSoFar, fileSize, seconds: (now - started) / 1000 });
      }
    };
    try {
      if (file === '-') {
        const splitter = new LineSplitter(options.maxLineBytes);
        for await (const block of process.stdin) {
          bytes += (block as Buffer).length;
          const data = splitter.push(block as Buffer);
          if (data) handle(data, bytes - fileStart);
        }
        const last = splitter.flush();
        if (last) handle(last, bytes - fileStart);
      } else {
        bytes += readLineBlocks(file, options.maxLineBytes, handle);
      }
    } catch (error) {
      throw new ReplayInputUnreadableError(file, describeSystemError(error), { cause: error });
    }
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
