// /logs search and tail: reading the configured log files (and their rotations, .gz too) on demand, in a worker thread
// (query-pool.ts), within a time and a byte budget. A substring is found with Buffer.indexOf over whole blocks, as
// grep would; a regex runs on a linear-time engine (RE2), first narrowed by a literal it must contain.
import { closeSync, createReadStream, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import picomatch from 'picomatch';
import { RE2JS } from 're2js';
import type { FileSourceConfig } from '../config/schema.js';
import { parseLogTimestamp } from '../rules/log-timestamp.js';
import { decodeLine, scanLines } from '../rules/match.js';
import { analyzePattern } from '../rules/pattern-analysis.js';
import { LineSplitter } from '../sources/line-splitter.js';
import { isPlainFile, LogFileRefusedError, openLogFile } from '../sources/open-log-file.js';
import { readLineBlocks } from '../sources/read-line-blocks.js';

export interface FoundLine {
  source: string;
  file: string;
  text: string;
}

export interface SearchRequest {
  text: string;
  regex: boolean;
  since?: number;
  limit: number;
}

/** How long a query may run (ms, by the reader's own clock) and how many bytes it may read. */
export interface QueryBudget {
  timeMs: number;
  bytes: number;
}

/** Why a query stopped before reading everything, and how far it got. */
export interface QueryCut {
  reason: 'time' | 'bytes';
  bytesRead: number;
  filesRead: number;
}

export interface SearchResult {
  lines: FoundLine[];
  files: number;
  /** Files not read, and why (a link planted in a watched directory, a FIFO…). */
  refused: { file: string; reason: string }[];
  cut?: QueryCut;
  /** Why the search could not run (a regex RE2 does not take): found out in the worker, off the bot's thread. */
  problem?: string;
}

export interface TailResult {
  lines: string[];
  refused?: string;
}

/** Lines handed back are cut to this many characters: the answer shows far less, and results cross threads. */
const MAX_RESULT_CHARS = 2000;
/** Thrown from a block's lines to stop reading at once when the time is up (caught below). */
const OUT_OF_TIME = new Error('out of time');

/** Rotations searched at most per file: logrotate's `.1` and `.2.gz` … `.9.gz` (or uncompressed `.2` …). */
const MAX_ROTATIONS = 9;
/** A compressed rotation is inflated this much at a time: the budget and the deadline are checked between blocks. */
const INFLATE_BLOCK = 64 * 1024;

/**
 * The files of a source, newest first: each current file, then its rotations (`.1`, `.1.gz`, `.2.gz` … `.9`,
 * `.9.gz`). Only regular files: a glob's match or a rotation that is a link is never read (a link named `zz.log` or
 * `access.log.1` could point anywhere); the source's own configured path may be one.
 */
export function listSourceFiles(source: FileSourceConfig): string[] {
  const scan = picomatch.scan(source.path);
  let current: string[];
  if (scan.isGlob) {
    const dir = scan.base || '.';
    const isMatch = picomatch(source.path, { dot: true });
    try {
      // Newest first by when each was written to (a name sorting first, 0.log, does not make a file the newest).
      current = readdirSync(dir)
        .map((n) => join(dir, n))
        .filter((p) => isMatch(p) && isPlainFile(p))
        .map((p) => ({ p, at: modifiedAt(p) }))
        .sort((a, b) => b.at - a.at || (a.p < b.p ? -1 : 1))
        .map(({ p }) => p);
    } catch {
      current = [];
    }
  } else current = [source.path];
  const rotated = current.flatMap((f) =>
    Array.from({ length: MAX_ROTATIONS }, (_, i) => [`${f}.${i + 1}`, `${f}.${i + 1}.gz`])
      .flat()
      .filter((r) => !current.includes(r) && isPlainFile(r)),
  );
  return [...current, ...rotated];
}

function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Why a search cannot run, or undefined: a regex the linear-time engine does not take. */
export function validateSearch(request: SearchRequest): string | undefined {
  const compiled = compileSearch(request);
  return 'problem' in compiled ? compiled.problem : undefined;
}

/** The request's regex compiled once (none for a text search), or why it cannot be. */
function compileSearch(request: SearchRequest): { regex: RE2JS | undefined } | { problem: string } {
  if (!request.regex) return { regex: undefined };
  try {
    return { regex: RE2JS.compile(request.text) };
  } catch (error) {
    return {
      problem: `/${request.text}/ cannot be searched for: ${(error as Error).message} (searches use RE2 syntax: no lookaround or backreferences).`,
    };
  }
}

/**
 * The literals every line a query matches must hold, to search blocks for before decoding lines. The analysis reads
 * JavaScript syntax: a pattern it could read otherwise than RE2 (`\z`, `\Q…\E`, `\p{L}`, `(?i)`) gets none.
 */
function literalsOf(request: SearchRequest): Buffer[] {
  if (!request.regex) return [Buffer.from(request.text)];
  try {
    new RegExp(request.text, 'u');
  } catch {
    return [];
  }
  if (/\\[pP]/.test(request.text)) return [];
  const anchors = analyzePattern(request.text).anchors;
  return anchors.length <= 64 ? anchors.map((a) => Buffer.from(a)) : [];
}

/** Lines that match, newest first, at most `limit`; stops when the budget is spent and says how far it got. */
export async function searchLogs(
  sources: readonly FileSourceConfig[],
  request: SearchRequest,
  now: number,
  budget: QueryBudget = { timeMs: Number.POSITIVE_INFINITY, bytes: Number.POSITIVE_INFINITY },
  clock: () => number = performance.now.bind(performance),
): Promise<SearchResult> {
  // Compiling is the query's work too (a long pattern can take a tenth of a second): here, in the worker.
  const compiled = compileSearch(request);
  if ('problem' in compiled) return { lines: [], files: 0, refused: [], problem: compiled.problem };
  const { regex } = compiled;
  const literals = literalsOf(request);
  const oldest = request.since === undefined ? undefined : now - request.since;
  const deadline = clock() + budget.timeMs;
  const found: FoundLine[] = [];
  const refused: SearchResult['refused'] = [];
  let files = 0;
  let bytesRead = 0;
  let cut: QueryCut | undefined;
  for (const source of sources) {
    for (const file of listSourceFiles(source)) {
      if (cut) break;
      const hits: FoundLine[] = [];
      const keep = (text: string) => {
        // Checked at every line, not only between blocks: one long line can take a regex long to read.
        if (clock() >= deadline) {
          cut = { reason: 'time', bytesRead, filesRead: files - 1 };
          throw OUT_OF_TIME;
        }
        if (regex ? !regex.test(text) : !text.includes(request.text)) return;
        if (oldest !== undefined && (parseLogTimestamp(text, now, source.timezone) ?? now) < oldest) return;
        hits.push({ source: source.id, file, text: text.slice(0, MAX_RESULT_CHARS) });
        if (hits.length > request.limit) hits.shift();
      };
      let fd: number;
      try {
        fd = openLogFile(file, file === source.path).fd;
      } catch (error) {
        if (error instanceof LogFileRefusedError) refused.push({ file, reason: error.reason });
        // A file rotated away between listing and reading has nothing to say.
        continue;
      }
      files++;
      const before = bytesRead;
      try {
        if (file.endsWith('.gz')) {
          // Inflated as a stream, block by block, within what is left of the budget: a small file that inflates to
          // gigabytes is stopped at the budget, never held.
          const splitter = new LineSplitter(source.maxLineBytes);
          // The stream closes the file, once its last read is done.
          const raw = createReadStream('', { fd });
          fd = -1;
          try {
            const inflate = createGunzip({ chunkSize: INFLATE_BLOCK });
            // A read error (EIO) ends the inflating too: pipe() would leave it waiting for bytes that never come.
            raw.on('error', (error) => inflate.destroy(error));
            for await (const block of raw.pipe(inflate)) {
              bytesRead += (block as Buffer).length;
              const data = splitter.push(block as Buffer);
              if (data) forEachCandidate(data, literals, source.maxLineBytes, keep);
              if (bytesRead >= budget.bytes) cut = { reason: 'bytes', bytesRead, filesRead: files - 1 };
              else if (clock() >= deadline) cut = { reason: 'time', bytesRead, filesRead: files - 1 };
              if (cut) break;
            }
            const last = cut ? undefined : splitter.flush();
            if (last) forEachCandidate(last, literals, source.maxLineBytes, keep);
          } finally {
            if (!raw.closed) await new Promise<void>((closed) => raw.destroy().once('close', () => closed()));
          }
        } else {
          readLineBlocks(
            fd,
            { start: 0, end: Number.POSITIVE_INFINITY },
            source.maxLineBytes,
            (data) => forEachCandidate(data, literals, source.maxLineBytes, keep),
            (read) => {
              bytesRead = before + read;
              if (bytesRead >= budget.bytes) cut = { reason: 'bytes', bytesRead, filesRead: files - 1 };
              else if (clock() >= deadline) cut = { reason: 'time', bytesRead, filesRead: files - 1 };
              return cut === undefined;
            },
          );
        }
      } catch {
        // Out of time within a block, or unreadable midway (an I/O error): what was found stands.
      } finally {
        if (fd !== -1) closeSync(fd);
      }
      found.push(...hits.reverse());
    }
  }
  return { lines: found.slice(0, request.limit), files, refused, ...(cut ? { cut } : {}) };
}

// Lines that contain one of the literals (every line when there is none to look for), decoded.
function forEachCandidate(data: Buffer, literals: Buffer[], maxLineBytes: number, visit: (text: string) => void): void {
  scanLines(data, literals.length > 0 ? literals : null, (start, end) => {
    visit(decodeLine(data, start, end, maxLineBytes).text);
  });
}

const TAIL_STEP = 64 * 1024;

/**
 * The last count lines of a source's newest file, read backwards block by block: linear in what it returns, and at
 * most count full-length lines of bytes (a file without newlines, or a sparse one, is not read to its start).
 */
export function tailSource(source: FileSourceConfig, count: number): TailResult {
  const file = listSourceFiles(source)[0];
  if (!file) return { lines: [] };
  let opened: ReturnType<typeof openLogFile>;
  try {
    opened = openLogFile(file, file === source.path);
  } catch (error) {
    if (error instanceof LogFileRefusedError) return { lines: [], refused: error.reason };
    return { lines: [] };
  }
  const { fd, stats } = opened;
  try {
    const cap = Math.min(stats.size, count * (source.maxLineBytes + 1) + 1);
    const blocks: Buffer[] = [];
    let start = stats.size;
    let newlines = 0;
    // count lines need count + 1 newlines before the file's end (the last one ends the last line).
    while (start > stats.size - cap && newlines <= count) {
      const step = Math.min(TAIL_STEP, start - (stats.size - cap));
      start -= step;
      const block = Buffer.allocUnsafe(step);
      const n = readSync(fd, block, 0, step, start);
      const read = block.subarray(0, n);
      blocks.push(read);
      for (let at = read.indexOf(10); at !== -1; at = read.indexOf(10, at + 1)) newlines++;
      if (n < step) break;
    }
    const data = Buffer.concat(blocks.reverse());
    const lines = data.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    // The first piece is a line's end unless the reading reached the file's start (or it is all there is: one line
    // longer than the cap, shown cut).
    if (start > 0 && lines.length > 1) lines.shift();
    return {
      lines: lines.slice(-count).map((l) => (l.length > MAX_RESULT_CHARS ? l.slice(0, MAX_RESULT_CHARS) : l)),
    };
  } finally {
    closeSync(fd);
  }
}
