// `logwarden replay --fail2ban-filter`: a fail2ban filter over whole files, counted as fail2ban-regex counts —
// matched, ignored, missed, per failregex — so the two can be compared line for line. Like fail2ban-regex, empty
// lines and lines starting with # are not counted. Lines holding none of the literals the regexes need are missed
// without being decoded.
import { statSync } from 'node:fs';
import { formatDuration } from '../config/duration.js';
import { describeSystemError, ReplayInputUnreadableError } from '../core/errors.js';
import { formatCount } from '../core/format-count.js';
import { type BanSummary, summariseBans } from '../rules/fail2ban/ban-summary.js';
import { type CompiledFail2banFilter, classifyFail2banLine } from '../rules/fail2ban/fail2ban-filter.js';
import { FilterMemory } from '../rules/fail2ban/filter-memory.js';
import { createLiteralScreen } from '../rules/fail2ban/literal-screen.js';
import { decodeLine, scanLines } from '../rules/match.js';
import { countBytes, searchWindow } from '../rules/search-window.js';
import { LineSplitter } from '../sources/line-splitter.js';
import { readLineBlocks } from '../sources/read-line-blocks.js';

export interface Fail2banReplayOptions {
  compiled: CompiledFail2banFilter;
  /** The jail's settings, to say what it would have banned. */
  jail: { maxretry: number; findtime: number };
  maxLineBytes: number;
  json: boolean;
  write: (text: string) => void;
  clock?: () => number;
}

export interface Fail2banReplayReport {
  filter: string;
  lines: number;
  matched: number;
  ignored: number;
  missed: number;
  /** Lines each failregex matched, in the filter's order. */
  hits: number[];
  /** Matched lines fail2ban would find no date in (it then cannot apply findtime). */
  undated: number;
  jail: { maxretry: number; findtime: number } & BanSummary;
  bytes: number;
  seconds: number;
}

// How much of the first block read chooses the words and windows searched for.
const SAMPLE_BYTES = 64 << 10;
const HASH = 35;
const NL = 10;
const CR = 13;

// Lines fail2ban-regex counts in [start, end) of data: not empty, not starting with "#".
function countLines(data: Buffer, start: number, end: number): number {
  let lines = 0;
  for (let at = start; at < end; ) {
    let nl = data.indexOf(NL, at);
    if (nl === -1 || nl > end) nl = end;
    if (nl > at && data[at] !== HASH && !(nl === at + 1 && data[at] === CR)) lines++;
    at = nl + 1;
  }
  return lines;
}

function countNewlines(data: Buffer, start: number, end: number): number {
  let n = 0;
  for (let at = data.indexOf(NL, start); at !== -1 && at < end; at = data.indexOf(NL, at + 1)) n++;
  return n;
}

// The words the filter's lines hold (those rarest in the sample) and the short windows of them that scanLines
// searches a block for (one per distinct window, each starting at a byte rare in the sample), and from the windows
// a line holds, the failregexes worth trying on it.
function createWindowScreen(compiled: CompiledFail2banFilter, sample: Buffer) {
  const counts = countBytes(sample);
  const { literals, screen } = createLiteralScreen(compiled, sample, counts);
  if (literals === null) return { windows: null, tryOnly: () => undefined };
  const texts: string[] = [];
  const regexes: Set<number>[] = [];
  literals.forEach((literal, l) => {
    const text = searchWindow(literal, counts);
    let w = texts.indexOf(text);
    if (w === -1) w = texts.push(text) - 1;
    regexes[w] ??= new Set();
    for (const r of screen[l]!) regexes[w]!.add(r);
  });
  const byWindow = regexes.map((set) => [...set].sort((a, b) => a - b));
  // Lines holding several windows come in few combinations: each one's list is made once (keyed by a bit mask).
  const combined = new Map<number, number[]>();
  return {
    windows: texts.map((t) => Buffer.from(t, 'utf8')),
    tryOnly: (found: readonly number[]): readonly number[] => {
      if (found.length === 1) return byWindow[found[0]!]!;
      let mask = 0;
      for (const w of found) mask += 2 ** w;
      const exact = mask <= Number.MAX_SAFE_INTEGER;
      let list = exact ? combined.get(mask) : undefined;
      if (list === undefined) {
        list = [...new Set(found.flatMap((w) => byWindow[w]!))].sort((a, b) => a - b);
        if (exact) combined.set(mask, list);
      }
      return list;
    },
  };
}

export async function replayFail2banFilter(
  files: readonly string[],
  options: Fail2banReplayOptions,
): Promise<Fail2banReplayReport> {
  const { compiled } = options;
  const clock = options.clock ?? Date.now;
  const memory = new FilterMemory();
  // Chosen on the first block read.
  let screen: ReturnType<typeof createWindowScreen> | undefined;
  const report: Fail2banReplayReport = {
    filter: compiled.filter.file,
    lines: 0,
    matched: 0,
    ignored: 0,
    missed: 0,
    hits: compiled.failregex.map(() => 0),
    undated: 0,
    jail: { ...options.jail, bans: 0, byHost: [] },
    bytes: 0,
    seconds: 0,
  };
  const failures: { host: string; time: number }[] = [];
  const started = performance.now();
  for (const file of files) {
    let lineNo = 0;
    let out: string[] = [];
    const handle = (data: Buffer) => {
      report.lines += countLines(data, 0, data.length);
      // Line numbers (for --json) count every line of the file, as an editor does.
      let numbered = 0;
      screen ??= createWindowScreen(compiled, data.subarray(0, SAMPLE_BYTES));
      const { windows, tryOnly } = screen;
      scanLines(data, windows, (start, end, found) => {
        if (options.json) {
          lineNo += countNewlines(data, numbered, start);
          numbered = start;
        }
        if (end === start || data[start] === HASH) return;
        const line = decodeLine(data, start, end, options.maxLineBytes).text;
        const result = classifyFail2banLine(compiled, line, clock(), memory, tryOnly(found));
        report.matched += result.consumed ?? 0;
        if (result.outcome === 'missed') return;
        report[result.outcome]++;
        if (result.outcome !== 'matched') return;
        report.hits[result.regex!]!++;
        if (result.time === undefined) report.undated++;
        else if (result.host !== undefined) failures.push({ host: result.host, time: result.time });
        if (options.json) {
          out.push(
            JSON.stringify({
              file,
              line: lineNo + 1,
              text: line,
              time: result.time === undefined ? null : new Date(result.time).toISOString(),
              host: result.host ?? null,
              user: result.groups?.user ?? null,
              regex: result.regex! + 1,
            }),
          );
        }
      });
      if (options.json) lineNo += countNewlines(data, numbered, data.length);
      if (out.length) {
        options.write(`${out.join('\n')}\n`);
        out = [];
      }
    };
    try {
      if (file === '-') {
        const splitter = new LineSplitter(options.maxLineBytes);
        for await (const block of process.stdin) {
          report.bytes += (block as Buffer).length;
          const data = splitter.push(block as Buffer);
          if (data) handle(data);
        }
        const last = splitter.flush();
        if (last) handle(last);
        continue;
      }
      report.bytes += readLineBlocks(file, { start: 0, end: statSync(file).size }, options.maxLineBytes, handle);
    } catch (error) {
      throw new ReplayInputUnreadableError(file, describeSystemError(error), { cause: error });
    }
  }
  report.missed = report.lines - report.matched - report.ignored;
  report.jail = { ...options.jail, ...summariseBans(failures, options.jail.maxretry, options.jail.findtime) };
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

export function renderFail2banReport(report: Fail2banReplayReport, regexes: readonly string[]): string {
  const rate = report.seconds > 0 ? formatCount(report.lines / report.seconds) : '–';
  const rows = regexes.map((r, i) => `  ${String(i + 1).padStart(3)}) [${report.hits[i]}] ${r}`);
  return [
    `Filter: ${report.filter}`,
    '',
    'Failregex hits:',
    ...rows,
    '',
    `Lines: ${report.lines} lines, ${report.ignored} ignored, ${report.matched} matched, ${report.missed} missed`,
    ...(report.undated ? [`${report.undated} matched lines have no date fail2ban would find (see datepattern).`] : []),
    `With maxretry ${report.jail.maxretry} and findtime ${formatDuration(report.jail.findtime)}, on the log's own times: ${report.jail.bans} ${report.jail.bans === 1 ? 'ban' : 'bans'} of ${report.jail.byHost.length} ${report.jail.byHost.length === 1 ? 'address' : 'addresses'}${
      report.jail.byHost.length
        ? ` (most: ${report.jail.byHost
            .slice(0, 5)
            .map(([h, n]) => `${h} ${n}×`)
            .join(', ')})`
        : ''
    }.`,
    `[processed in ${report.seconds.toFixed(2)} s: ${rate} lines/s]`,
    '',
  ].join('\n');
}
