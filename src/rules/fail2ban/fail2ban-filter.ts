// A fail2ban filter compiled for logwarden, and what it makes of one line — in fail2ban-regex's terms: matched (a
// failure, with its host and user), ignored (an ignoreregex, or a failregex marking <F-NOFAIL>), or missed. The date
// is found and cut out first, prefregex narrows the line to its <F-CONTENT>, then every failregex is tried. Pure.
import { Fail2banFilterInvalidError } from '../../core/errors.js';
import { analyzePattern } from '../pattern-analysis.js';
import { createDateDetector, type DateDetector, type FoundDate } from './date-detector.js';
import { FilterMemory, type Groups, mergeFailure } from './filter-memory.js';
import { createLiteralScreen, wordsOf } from './literal-screen.js';
import { translatePythonRegex, UnsupportedRegexError } from './python-regex.js';
import type { Fail2banFilter } from './read-filter.js';
import { groupNameOfTag, resolveFail2banTags } from './resolve-tags.js';

/** One fail2ban regex as JavaScript: variants tried together, the leftmost match winning. */
interface CompiledRegex {
  source: string;
  variants: RegExp[];
  /** Literals one of which every match contains (empty: none known); a text without any cannot match. */
  anchors: string[];
  /** Its named groups and their numbers. */
  groups: [name: string, index: number][];
  /** Its <F-ALT_…> groups, which stand in for the group they name. */
  alternates: [alt: string, name: string][];
}

export interface CompiledFail2banFilter {
  filter: Fail2banFilter;
  prefregex?: CompiledRegex;
  /** The number of prefregex's <F-CONTENT> group; -1 when it has none. */
  contentGroup: number;
  failregex: CompiledRegex[];
  ignoreregex: CompiledRegex[];
  date: DateDetector;
  /**
   * For each regex a line must match to count (failregexes, and ignoreregexes when checked first), for each literal
   * one of which is in all it matches, the words of that literal that are sure to be in the line as read; null when
   * some regex has no such word (or the filter is multi-line): every line must then be tried.
   */
  words: string[][][] | null;
  /** The screen chosen without a sample of the text (what the rule engine's prefilter uses). */
  literals: string[] | null;
}

export type LineOutcome = 'matched' | 'ignored' | 'missed';

export interface LineResult {
  outcome: LineOutcome;
  /** Multi-line filters: earlier lines (counted missed when they came) that this line's match took in. */
  consumed?: number;
  /** For a matched line with a date fail2ban would find: that time. */
  time?: number;
  /** For a match: the failregex (index) and its groups (host, user, and the filter's own <F-…> names). */
  regex?: number;
  host?: string;
  groups?: Record<string, string>;
}

export interface CompileOptions {
  /**
   * What <HOST> matches: `no` (default), addresses only — logwarden never looks up a name an attacker wrote into a
   * log, like fail2ban's usedns=no; `raw`, host names too, kept as text (for trying filters, not for blocking).
   */
  useDns?: 'no' | 'raw';
}

function compileRegex(
  file: string,
  what: string,
  source: string,
  multiline: boolean,
  options: CompileOptions = {},
): CompiledRegex {
  const python = resolveFail2banTags(source, { useDns: options.useDns === 'raw' ? 'raw' : 'no' });
  try {
    const { sources, flags, groups } = translatePythonRegex(python, { multiline });
    const variants = sources.map((s) => new RegExp(s, flags));
    const analyses = variants.map((v) => analyzePattern(v.source, v.flags.includes('i')));
    const anchors =
      flags.includes('i') || analyses.some((a) => a.anchors.length === 0) ? [] : analyses.flatMap((a) => a.anchors);
    const alternates = Object.keys(groups)
      .sort()
      .flatMap((key): [string, string][] => {
        const alt = /^alt_(.*?)(?:_\d+)?$/.exec(key);
        return alt ? [[key, groupNameOfTag(alt[1]!)]] : [];
      });
    return { source, variants, anchors: [...new Set(anchors)], groups: Object.entries(groups), alternates };
  } catch (error) {
    const reason =
      error instanceof UnsupportedRegexError || error instanceof SyntaxError ? error.message : String(error);
    throw new Fail2banFilterInvalidError(file, `${what} is not supported: ${reason}`, { cause: error });
  }
}

export function compileFail2banFilter(filter: Fail2banFilter, options: CompileOptions = {}): CompiledFail2banFilter {
  const multiline = filter.maxlines > 1;
  if (filter.failregex.length === 0) {
    throw new Fail2banFilterInvalidError(
      filter.file,
      'it has no failregex (is it a filter.d file, and is mode right?)',
    );
  }
  const failregex = filter.failregex.map((r, i) =>
    compileRegex(filter.file, `failregex line ${i + 1}`, r, multiline, options),
  );
  const ignoreregex = filter.ignoreregex.map((r, i) =>
    compileRegex(filter.file, `ignoreregex line ${i + 1}`, r, multiline, options),
  );
  const screened = [...failregex, ...(ignoresFirst(ignoreregex.length, failregex.length) ? ignoreregex : [])];
  const date = createDateDetector(filter.datepattern);
  // A multi-line filter must see every line (each may become part of a later match): no prefilter; nor when a
  // date cut out of a line may join two words into one that a regex then reads.
  const words = multiline || !date.joinsBeforeNonWord ? null : wordsOf(screened);
  const prefregex = filter.prefregex
    ? compileRegex(filter.file, 'prefregex', filter.prefregex, multiline, options)
    : undefined;
  const compiled = {
    filter,
    ...(prefregex ? { prefregex } : {}),
    contentGroup: prefregex?.groups.find(([name]) => name === 'content')?.[1] ?? -1,
    failregex,
    ignoreregex,
    date,
    words,
  };
  return { ...compiled, literals: createLiteralScreen(compiled).literals };
}

// fail2ban checks ignoreregex before failregex when there are few of them compared to failregex.
const ignoresFirst = (ignores: number, fails: number) => ignores > 0 && ignores < fails - 2;

function search(regex: CompiledRegex, text: string): RegExpExecArray | undefined {
  const { anchors, variants } = regex;
  if (anchors.length > 0) {
    let found = false;
    for (let i = 0; i < anchors.length && !found; i++) found = text.includes(anchors[i]!);
    if (!found) return undefined;
  }
  if (variants.length === 1) return variants[0]!.exec(text) ?? undefined;
  let best: RegExpExecArray | undefined;
  for (const variant of variants) {
    const m = variant.exec(text);
    if (m && (!best || m.index < best.index)) best = m;
  }
  return best;
}

// The groups that took part, but for `except`; an <F-ALT_NAME> group stands in for an empty or missing <F-NAME>
// (alt_user for user).
function definedGroups(
  regex: CompiledRegex,
  m: RegExpExecArray,
  base: Record<string, string> = {},
  except?: string,
): Record<string, string> {
  const groups: Record<string, string> = {};
  for (const key in base) groups[key] = base[key]!;
  const names = regex.groups;
  for (let i = 0; i < names.length; i++) {
    const value = m[names[i]![1]];
    if (value !== undefined && names[i]![0] !== except) groups[names[i]![0]] = value;
  }
  for (const [alt, name] of regex.alternates) if (groups[alt] && !groups[name]) groups[name] = groups[alt];
  return groups;
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

function anyMatches(regexes: readonly CompiledRegex[], text: string): boolean {
  for (let i = 0; i < regexes.length; i++) if (search(regexes[i]!, text)) return true;
  return false;
}

const MISSED: LineResult = Object.freeze({ outcome: 'missed' });

const IGNORED: LineResult = Object.freeze({ outcome: 'ignored' });

/**
 * What one line of a single-line filter holds before anything remembered from earlier lines applies: its date, and
 * each failregex that matched with its groups (prefregex's joined) — or that an ignoreregex matched.
 */
interface LineFindings {
  ignored: boolean;
  date: FoundDate | undefined;
  fails: [regex: number, groups: Record<string, string>][];
}

// The first half of classifying a line (single-line filters): undefined when the line is missed. Pure, but for the
// date detector's memory of the last date.
function findFailures(
  compiled: CompiledFail2banFilter,
  line: string,
  now: number,
  tryOnly: readonly number[] | undefined,
): LineFindings | undefined {
  const { failregex, ignoreregex, prefregex } = compiled;
  const date = compiled.date.find(line, now);
  let buf = date === undefined ? line : date.rest;
  if (ignoresFirst(ignoreregex.length, failregex.length) && anyMatches(ignoreregex, buf)) {
    return { ignored: true, date, fails: [] };
  }
  let preMatch: RegExpExecArray | undefined;
  if (prefregex) {
    preMatch = search(prefregex, buf);
    if (!preMatch) return undefined;
    const content = preMatch[compiled.contentGroup];
    if (content) buf = content;
  }
  // prefregex's own groups (like mlfid) join a failregex's; they are read only once one matches.
  let pre: Record<string, string> | undefined;
  let fails: LineFindings['fails'] | undefined;
  // Every failregex is tried, as fail2ban-regex does: one marking <F-NOFAIL> makes the line ignored.
  const count = tryOnly ? tryOnly.length : failregex.length;
  for (let k = 0; k < count; k++) {
    const index = tryOnly ? tryOnly[k]! : k;
    const regex = failregex[index]!;
    const m = search(regex, buf);
    if (!m) continue;
    if (fails === undefined) {
      if (ignoreregex.length && anyMatches(ignoreregex, buf)) return { ignored: true, date, fails: [] };
      pre = prefregex && preMatch ? definedGroups(prefregex, preMatch, {}, 'content') : {};
      fails = [];
    }
    fails.push([index, definedGroups(regex, m, pre)]);
  }
  return fails && { ignored: false, date, fails };
}

// The second half: the findings of one line, in order, against what is remembered. Only a failure's date is read:
// working a date out is a good part of what a line costs.
function settleFailures(findings: LineFindings, memory: FilterMemory): LineResult {
  if (findings.ignored) return IGNORED;
  let nofail = false;
  let first: LineResult | undefined;
  for (const [index, groups] of findings.fails) {
    const settled = settleFailure(memory, groups);
    if (settled.nofail) nofail = true;
    else first ??= matchedResult(index, settled, findings.date?.time());
  }
  if (nofail) return IGNORED;
  return first ?? MISSED;
}

// One failregex match against what fail2ban remembers of its connection (mlfid): merged with it, and whether it is
// a failure (a <F-NOFAIL> or an accepted login is not).
function settleFailure(memory: FilterMemory, groups: Groups): { fail: Groups; host?: string; nofail: boolean } {
  let fail = groups;
  const mlfid = text(fail.mlfid);
  if (mlfid !== undefined) fail = mergeFailure(memory, mlfid, fail);
  const host = text(fail.ip4) ?? text(fail.ip6) ?? text(fail.dns) ?? text(fail.fid);
  if (host === undefined && mlfid !== undefined) fail.mlfpending = 1;
  const nofail = Boolean(fail.nofail || (mlfid === undefined && fail.mlfgained));
  return host === undefined ? { fail, nofail } : { fail, host, nofail };
}

function matchedResult(
  index: number,
  { fail, host }: { fail: Groups; host?: string },
  time: number | undefined,
): LineResult {
  const groups: Record<string, string> = {};
  for (const key in fail) if (typeof fail[key] === 'string') groups[key] = fail[key] as string;
  return {
    outcome: 'matched',
    ...(time === undefined ? {} : { time }),
    regex: index,
    ...(host ? { host } : {}),
    groups,
  };
}

// A multi-line filter sees the last maxlines lines, joined, each ending in "\n" (as fail2ban's buffer); a match
// takes the lines it spans out of it.
function classifyBufferedLine(compiled: CompiledFail2banFilter, line: string, now: number, memory: FilterMemory) {
  const { failregex, ignoreregex, prefregex } = compiled;
  const found = compiled.date.find(line, now);
  const time = () => found?.time();
  memory.lines.push(found === undefined ? line : found.rest);
  if (memory.lines.length > compiled.filter.maxlines) memory.lines.shift();
  let window = memory.lines.slice();
  let buf = `${window.join('\n')}\n`;
  if (ignoresFirst(ignoreregex.length, failregex.length) && anyMatches(ignoreregex, buf)) {
    return IGNORED;
  }
  let pre: Record<string, string> = {};
  if (prefregex) {
    const preMatch = search(prefregex, buf);
    if (!preMatch) return MISSED;
    pre = definedGroups(prefregex, preMatch, {}, 'content');
    const content = preMatch[compiled.contentGroup];
    if (content) {
      buf = `${content}\n`;
      window = memory.lines = [content];
    }
  }
  let nofail = false;
  let first: LineResult | undefined;
  for (let index = 0; index < failregex.length; index++) {
    const m = search(failregex[index]!, buf);
    if (!m) continue;
    if (ignoreregex.length && anyMatches(ignoreregex, buf)) return IGNORED;
    const groups: Groups = definedGroups(failregex[index]!, m, pre);
    // The lines the match spans leave the buffer (but for lines <SKIPLINES> passed over), so they match once.
    window = memory.lines = unmatchedLines(window, buf, m, groups);
    buf = window.length ? `${window.join('\n')}\n` : '';
    const settled = settleFailure(memory, groups);
    if (settled.nofail) nofail = true;
    else first ??= matchedResult(index, settled, time());
  }
  if (nofail) return IGNORED;
  return first ?? MISSED;
}

// The buffered lines a multi-line match leaves: those before and after the lines it spans, and any it passed over
// with <SKIPLINES> (fail2ban's unmatched lines).
function unmatchedLines(window: string[], buf: string, m: RegExpExecArray, groups: Groups): string[] {
  if (window.length <= 1) return [];
  const end = m.index + m[0].length;
  const lineStart = buf.lastIndexOf('\n', m.index) + 1;
  const newline = buf.indexOf('\n', Math.max(0, end - 1));
  const lineEnd = newline === -1 ? buf.length : newline + 1;
  const count = (to: number) => {
    let n = 0;
    for (let at = buf.indexOf('\n'); at !== -1 && at < to; at = buf.indexOf('\n', at + 1)) n++;
    return n;
  };
  const first = count(lineStart);
  const last = count(lineEnd);
  const matched = window.slice(first, last);
  const unmatched = window.slice(0, first);
  const skipped = Object.keys(groups)
    .filter((k) => /^skiplines\d+$/.test(k))
    .sort()
    .map((k) => String(groups[k]))
    .join('')
    .split('\n')
    .filter(Boolean);
  let from = 0;
  for (const line of skipped) {
    const at = matched.indexOf(line, from);
    if (at === -1) continue;
    unmatched.push(...matched.splice(at, 1));
    from = at;
  }
  return [...unmatched, ...window.slice(last)];
}

/**
 * What the filter makes of one line. tryOnly: the failregexes worth trying, ascending (those the literals a prefilter
 * found in the line can match, from a LiteralScreen); all of them when omitted.
 */
export function classifyFail2banLine(
  compiled: CompiledFail2banFilter,
  line: string,
  now: number,
  memory: FilterMemory = new FilterMemory(),
  tryOnly?: readonly number[],
): LineResult {
  const maxlines = compiled.filter.maxlines;
  if (maxlines <= 1) {
    const findings = findFailures(compiled, line, now, tryOnly);
    return findings ? settleFailures(findings, memory) : MISSED;
  }
  const previous = memory.lines.slice();
  const result = classifyBufferedLine(compiled, line, now, memory);
  // fail2ban-regex counts the earlier lines a match took out of the buffer as matched (they were missed before).
  let consumed = 0;
  for (const earlier of previous.slice(previous.length >= maxlines ? 1 : 0)) {
    if (!memory.lines.includes(earlier)) consumed++;
  }
  return consumed ? { ...result, consumed } : result;
}
