// /logs search and tail: reading the configured log files (and their .1 rotations) on demand. A substring is found
// with Buffer.indexOf over whole blocks, as grep would; a regex is first narrowed by a literal it must contain.
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import picomatch from 'picomatch';
import type { FileSourceConfig } from '../config/schema.js';
import { parseLogTimestamp } from '../rules/log-timestamp.js';
import { decodeLine, scanLines } from '../rules/match.js';
import { analyzePattern } from '../rules/pattern-analysis.js';
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

/** The files of a source, newest first: each current file, then its .1 rotation. */
export function listSourceFiles(source: FileSourceConfig): string[] {
  const scan = picomatch.scan(source.path);
  let current: string[];
  if (scan.isGlob) {
    const dir = scan.base || '.';
    const isMatch = picomatch(source.path, { dot: true });
    try {
      current = readdirSync(dir)
        .map((n) => join(dir, n))
        .filter((p) => isMatch(p))
        .sort();
    } catch {
      current = [];
    }
  } else current = existsSync(source.path) ? [source.path] : [];
  const rotated = current.map((f) => `${f}.1`).filter((f) => !current.includes(f) && existsSync(f));
  return [...current, ...rotated];
}

/** Why a search cannot run, or undefined: a regex that does not compile or could backtrack without end. */
export function validateSearch(request: SearchRequest): string | undefined {
  if (!request.regex) return undefined;
  try {
    new RegExp(request.text);
  } catch (error) {
    return `/${request.text}/ is not a valid regular expression: ${(error as Error).message}`;
  }
  const unsafe = analyzePattern(request.text).catastrophic;
  return unsafe ? `/${request.text}/ is refused: it ${unsafe}.` : undefined;
}

/** Lines that match, newest first, at most limit. */
export function searchLogs(
  sources: readonly FileSourceConfig[],
  request: SearchRequest,
  now: number,
): { lines: FoundLine[]; files: number } {
  const regex = request.regex ? new RegExp(request.text) : undefined;
  const literals = (regex ? analyzePattern(request.text).anchors : [request.text]).map((a) => Buffer.from(a));
  const oldest = request.since === undefined ? undefined : now - request.since;
  const found: FoundLine[] = [];
  let files = 0;
  for (const source of sources) {
    for (const file of listSourceFiles(source)) {
      files++;
      const hits: FoundLine[] = [];
      const keep = (text: string) => {
        if (regex ? !regex.test(text) : !text.includes(request.text)) return;
        if (oldest !== undefined && (parseLogTimestamp(text, now) ?? now) < oldest) return;
        hits.push({ source: source.id, file, text });
        if (hits.length > request.limit) hits.shift();
      };
      try {
        readLineBlocks(file, { start: 0, end: Number.POSITIVE_INFINITY }, source.maxLineBytes, (data) => {
          forEachCandidate(data, literals, source.maxLineBytes, keep);
        });
      } catch {
        // A file rotated away between listing and reading has nothing to say.
      }
      found.push(...hits.reverse());
    }
  }
  return { lines: found.slice(0, request.limit), files };
}

/** Searches of more than this many bytes run in a worker thread. */
const WORKER_MIN_BYTES = 16 << 20;

/** searchLogs, in a worker thread when the files are large, so tailing on this thread goes on meanwhile. */
export function searchLogsAsync(
  sources: readonly FileSourceConfig[],
  request: SearchRequest,
  now: number,
): Promise<{ lines: FoundLine[]; files: number }> {
  const bytes = sources
    .flatMap((s) => listSourceFiles(s))
    .reduce((sum, f) => {
      try {
        return sum + statSync(f).size;
      } catch {
        return sum;
      }
    }, 0);
  if (bytes < WORKER_MIN_BYTES) return Promise.resolve(searchLogs(sources, request, now));
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./search-worker.js', import.meta.url), {
      workerData: { sources, request, now },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

// Lines that contain one of the literals (every line when there is none to look for), decoded.
function forEachCandidate(data: Buffer, literals: Buffer[], maxLineBytes: number, visit: (text: string) => void): void {
  // scanLines tells apart at most 64 literals; with more, every line is a candidate.
  scanLines(data, literals.length > 0 && literals.length <= 64 ? literals : null, (start, end) => {
    visit(decodeLine(data, start, end, maxLineBytes).text);
  });
}

/** The last count lines of a source's newest file. */
export function tailSource(source: FileSourceConfig, count: number): string[] {
  const file = listSourceFiles(source)[0];
  if (!file) return [];
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    let start = size;
    let data = Buffer.alloc(0);
    // Read backwards in 64 KiB steps until count lines are in hand.
    while (start > 0) {
      const step = Math.min(start, 64 * 1024);
      start -= step;
      const block = Buffer.alloc(step);
      readSync(fd, block, 0, step, start);
      data = Buffer.concat([block, data]);
      if (data.toString('latin1').split('\n').length > count + 1) break;
    }
    const lines = data.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (start > 0) lines.shift();
    return lines.slice(-count);
  } finally {
    closeSync(fd);
  }
}
