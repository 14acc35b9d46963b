// `logwarden replay`: runs the rules over whole files, from the start, touching nothing — to try rules on real logs
// (like fail2ban-regex) and to measure matching speed.
import { statSync } from 'node:fs';
import { describeSystemError, ReplayInputUnreadableError } from '../core/errors.js';
import { formatCount } from '../core/format-count.js';
import { SourceMatcher } from '../rules/match.js';
import type { CompiledRule } from '../rules/rule.js';
import { readLineBlocks } from '../sources/read-line-blocks.js';
import { isGzip, readLogStream } from '../sources/read-log-stream.js';
import { splitAtLines, tallyChunk } from './replay-segment.js';
import { PARALLEL_MIN_BYTES, type ReplayThreads } from './replay-threads.js';

export interface ReplayOptions {
  rules: readonly CompiledRule[];
  maxLineBytes: number;
  json: boolean;
  write: (text: string) => void;
  /** Threads that read ranges of large files besides this one (startReplayThreads); the caller closes them. */
  threads?: ReplayThreads;
  /** The time now, for lines whose stamps have no year. */
  now: number;
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

export async function replayFiles(files: readonly string[], options: ReplayOptions): Promise<ReplayReport> {
  const { threads } = options;
  const matcher = new SourceMatcher(options.rules, options.maxLineBytes);
  const counts = new Map(options.rules.map((r) => [r.id, { matched: 0, ignored: 0, rejected: 0 }]));
  const started = performance.now();
  let lines = 0;
  let bytes = 0;
  let reported = started;
  for (const file of files) {
    let out: string[] = [];
    // --json numbers lines within their file, as an editor or grep -n would.
    let fileLines = 0;
    const onMatch = options.json
      ? (line: number, text: string, rule: string, fields: Record<string, string>) => {
          out.push(JSON.stringify({ file, line, text, rule, fields }));
        }
      : undefined;
    const progress = (fileBytes: number, fileSize: number) => {
      const now = performance.now();
      if (!options.onProgress || now - reported < PROGRESS_EVERY_MS) return;
      reported = now;
      options.onProgress({ file, lines, fileBytes, fileSize, seconds: (now - started) / 1000 });
    };
    const handle = (data: Buffer) => {
      const read = tallyChunk(matcher, data, counts, onMatch, fileLines, options.now);
      fileLines += read;
      lines += read;
      if (out.length > 0) {
        options.write(`${out.join('\n')}\n`);
        out = [];
      }
    };
    try {
      // Standard input and logrotate's .gz files are read as streams, on this thread.
      if (file === '-' || isGzip(file)) {
        bytes += await readLogStream(file, options.maxLineBytes, (data, read) => {
          handle(data);
          progress(read, file === '-' ? 0 : statSync(file).size);
        });
        continue;
      }
      const size = statSync(file).size;
      // Line numbers for --json come from reading in order, and fail2ban rules remember earlier lines of a
      // connection, so either reads on one thread.
      const serial = options.json || options.rules.some((r) => r.fail2ban);
      const available = serial || !threads ? 0 : threads.count;
      const jobs = Math.max(1, Math.min(available + 1, Math.floor(size / PARALLEL_MIN_BYTES)));
      const [mine, ...theirs] = jobs > 1 ? splitAtLines(file, size, jobs) : [{ start: 0, end: size }];
      const workers = theirs.map((range) =>
        threads!.run({ file, range, rules: [...options.rules], maxLineBytes: options.maxLineBytes, now: options.now }),
      );
      // This thread reads the first range meanwhile; its share of it stands for the whole file's progress.
      bytes += readLineBlocks(file, mine!, options.maxLineBytes, (data, read) => {
        handle(data);
        progress(Math.round((read / (mine!.end - mine!.start || 1)) * size), size);
      });
      for (const result of await Promise.all(workers)) {
        lines += result.lines;
        for (const [rule, c] of result.counts) {
          const total = counts.get(rule)!;
          total.matched += c.matched;
          total.ignored += c.ignored;
          total.rejected += c.rejected;
        }
      }
      bytes += theirs.reduce((sum, r) => sum + (r.end - r.start), 0);
    } catch (error) {
      throw new ReplayInputUnreadableError(file, describeSystemError(error), { cause: error });
    }
  }
  return { files: files.length, lines, bytes, seconds: (performance.now() - started) / 1000, counts };
}

/** The progress line a terminal shows (it overwrites itself). */
export function renderProgress(p: ReplayProgress): string {
  const share = p.fileSize ? ` ${Math.floor((100 * p.fileBytes) / p.fileSize)}%` : '';
  return `\r\x1b[Kreplaying ${p.file}${share}: ${formatCount(p.lines)} lines, ${formatCount(p.lines / p.seconds)} lines/s`;
}

export function renderReplayReport(report: ReplayReport): string {
  const n = formatCount;
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
