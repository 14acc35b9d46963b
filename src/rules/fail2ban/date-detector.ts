// Where a log line's timestamp is, as fail2ban finds it: its default date templates (syslog, ISO 8601, Apache,
// epoch, TAI64N …) or a filter's `datepattern` (strftime-like %Y-%m-%d with fail2ban's %Ex… and {^LN-BEG}, {DATE},
// EPOCH, TAI64N). The date is cut out of the line before the regexes see it, as fail2ban does, and gives the time
// that maxretry/findtime windows count in. Pure (the clock is passed in for year-less dates).

import { unnameGroups } from '../regex-groups.js';

export interface FoundDate {
  /** The line without the date (what fail2ban's regexes are matched against). */
  readonly rest: string;
  /** Epoch ms; worked out on the first call, as most lines match no regex and never need it. */
  time(): number | undefined;
}

export interface DateDetector {
  find(line: string, now: number): FoundDate | undefined;
  /**
   * Whether cutting a found date out can only join the text around it in front of a non-word character (or at the
   * line's start): true for fail2ban's default templates, whose dates end in a word character and a boundary. Text
   * the regexes see is then in the line as read, but for the joins: see fail2ban-filter's literal screen.
   */
  readonly joinsBeforeNonWord: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const DIRECTIVES: Record<string, string> = {
  Y: String.raw`(?<Y>\d{4})`,
  ExY: String.raw`(?<Y>(?:19[7-9]|20\d)\d)`,
  y: String.raw`(?<y>\d{2})`,
  Exy: String.raw`(?<y>\d{2})`,
  m: '(?<m>0?[1-9]|1[0-2])',
  Exm: '(?<m>0[1-9]|1[0-2])',
  d: String.raw`(?<d>[1-2]\d|[0 ]?[1-9]|3[0-1])`,
  Exd: String.raw`(?<d>[1-2]\d|0[1-9]|3[0-1])`,
  H: String.raw`(?<H>[0-1]?\d|2[0-3])`,
  ExH: String.raw`(?<H>[0-1]\d|2[0-3])`,
  k: String.raw` ?(?<H>[0-2]?\d)`,
  Exk: String.raw` ?(?<H>[0-1]?\d|2[0-3])`,
  I: '(?<I>1[0-2]|0?[1-9])',
  l: String.raw` ?(?<I>1?\d)`,
  Exl: String.raw` ?(?<I>1[0-2]|\d)`,
  M: String.raw`(?<M>[0-5]?\d)`,
  ExM: String.raw`(?<M>[0-5]\d)`,
  S: String.raw`(?<S>[0-5]?\d|6[0-1])`,
  ExS: String.raw`(?<S>[0-5]\d|6[0-1])`,
  f: String.raw`(?<f>\d{1,6})`,
  p: '(?<p>[AaPp][Mm])',
  b: `(?<b>${MONTHS.join('|')})`,
  B: `(?<B>${MONTH_NAMES.join('|')})`,
  a: `(?<a>${DAYS.join('|')})`,
  A: `(?<A>${DAY_NAMES.join('|')})`,
  j: String.raw`(?<j>36[0-6]|3[0-5]\d|[12]\d\d|0?[1-9]\d|0{0,2}[1-9])`,
  z: String.raw`(?<z>Z|UTC|GMT|[+-][01]\d(?::?\d{2})?)`,
  Z: '(?<Z>Z|[A-Z]{3,5})',
  Exz: String.raw`(?<z>(?:[A-Z](?:[A-Z]{2,4})?)?[+-][01]\d(?::?\d{2})?|[A-Z](?:[A-Z]{2,4})?)`,
  ExZ: '(?<Z>[A-Z](?:[A-Z]{2,4})?)',
  '%': '%',
};

const DEFAULT_TEMPLATES = [
  '%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?',
  '(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?',
  '(?:%a )?%b %d %ExY %k:%M:%S(?:\\.%f)?',
  '%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S',
  '%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\\.%f)?(?: %z)?',
  '%m/%d/%ExY:%H:%M:%S',
  '%m-%d-%ExY %k:%M:%S(?:\\.%f)?',
  'EPOCH',
  '{^LN-BEG}%H:%M:%S',
  '^<%m/%d/%Exy@%H:%M:%S>',
  '%Exy%Exm%Exd  ?%H:%M:%S',
  '%b %d, %ExY %I:%M:%S %p',
  '^%b-%d-%Exy %k:%M:%S',
  '%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\\s*%z)?',
  '(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?',
  '(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?',
  'TAI64N',
];

const EPOCH = String.raw`(?<epoch>\d{10,11})(?:\.(?<frac>\d{3,6}))?`;
const TAI64N = '@(?<tai>[0-9a-fA-F]{24})';

// The fields a date can have; a template's regex holds each in a numbered group (0: it has none).
const FIELDS = ['Y', 'y', 'm', 'b', 'B', 'd', 'H', 'I', 'p', 'M', 'S', 'f', 'z', 'epoch', 'frac', 'tai'] as const;
type Fields = Record<(typeof FIELDS)[number], number>;

interface Template {
  regex: RegExp;
  /** Group numbers by field (the regex's groups are unnamed: matching builds no groups object). */
  fields: Fields;
  /** The number of the group holding the date to cut out. */
  date: number;
  /** The last date this template found (log lines come in runs with the same second, formats interleaved). */
  last?: { text: string; found: DateMatch };
}

// A strftime-like pattern to a JS regex source whose group "date" is the part to cut out of the line.
function templateSource(pattern: string, anchored: boolean): string {
  let p = pattern.trim();
  let lineBegin = anchored;
  if (p.startsWith('{^LN-BEG}')) {
    p = p.slice('{^LN-BEG}'.length);
    lineBegin = true;
  }
  let unbound = false;
  if (p.startsWith('{UNB}')) {
    p = p.slice(5);
    unbound = true;
  }
  // ** at either end: no word boundary there.
  let noBegin = false;
  let noEnd = false;
  if (/^\(*(?:\(\?\w+\))?\(*\*\*/.test(p)) {
    p = p.replace('**', '');
    noBegin = true;
  }
  if (/(?<!\\)\*\*\)*$/.test(p)) {
    p = p.replace(/\*\*(\)*)$/, '$1');
    noEnd = true;
  }
  const upper = p.toUpperCase();
  let body: string;
  if (upper === 'EPOCH' || upper === '{EPOCH}' || upper === 'LEPOCH') body = EPOCH;
  else if (upper === 'TAI64N') body = TAI64N;
  else {
    body = p
      .replace(/\(\?P<(\w+)>/g, '(?<$1>')
      .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
      .replace(/%(Ex[A-Za-z]|[A-Za-z%])/g, (whole, key: string) => DIRECTIVES[key] ?? whole);
  }
  const explicitStart = /^(?:\(\?\w+\))?(?:\^|\((?:\?:)?\^(?!\|))/.test(body);
  const hasGroup = /(?<!\\)\((?!\?)/.test(body);
  if (!hasGroup) {
    const m = /^(\^?)(.*?)(\$?)$/s.exec(body)!;
    body = `${m[1]}(?<date>${m[2]})${m[3]}`;
  } else {
    // The first plain group is the date (fail2ban's convention); name it.
    body = body.replace(/(?<!\\)\((?!\?)/, '(?<date>');
  }
  if (unbound) return body;
  const begin = explicitStart || noBegin ? '' : lineBegin ? String.raw`^(?:\W{0,2})?` : String.raw`(?<=^|\b|\W)`;
  const end = noEnd || /(?<!\\)(?:\$\)?|\\b|\\s)$/.test(body) ? '' : String.raw`(?=\b|\W|$)`;
  return `${begin}${body}${end}`;
}

function compile(pattern: string, anchored: boolean): Template[] {
  if (pattern.includes('{DATE}')) {
    return DEFAULT_TEMPLATES.filter((t) => !/^(EPOCH|TAI64N|\^|\{)/.test(t)).flatMap((t) =>
      compile(pattern.replace('{DATE}', t), anchored),
    );
  }
  const { source, names } = unnameGroups(templateSource(pattern, anchored));
  const number = (name: string) => names.find(([n]) => n === name)?.[1] ?? 0;
  const fields = Object.fromEntries(FIELDS.map((f) => [f, number(f)])) as Fields;
  return [{ regex: new RegExp(source, /%[aAbBp]/.test(pattern) ? 'i' : ''), fields, date: number('date') }];
}

// The local time zone's start of an hour, remembered: turning local dates into instants is the slow part of reading
// dates, and log lines come hour after hour (offsets change on whole hours in all but a few zones).
const hourStarts = new Map<number, number>();
function localHourStart(y: number, month: number, day: number, hour: number): number {
  const key = ((y * 12 + month) * 32 + day) * 24 + hour;
  let start = hourStarts.get(key);
  if (start === undefined) {
    if (hourStarts.size > 10_000) hourStarts.clear();
    start = new Date(y, month, day, hour).getTime();
    hourStarts.set(key, start);
  }
  return start;
}

// "+02:00", "-0530", "+01" (after an optional zone name) to minutes east of UTC; Z, UTC, GMT and bare names are 0.
// A log's lines mostly share one offset: the last one read is remembered.
let lastZone = '';
let lastOffset = 0;
function offsetMinutes(z: string): number {
  if (z === lastZone) return lastOffset;
  lastZone = z;
  lastOffset = readOffset(z);
  return lastOffset;
}

function readOffset(z: string): number {
  const at = Math.max(z.lastIndexOf('+'), z.lastIndexOf('-'));
  if (at === -1) return 0;
  let hours = 0;
  let minutes = 0;
  let digits = 0;
  for (let i = at + 1; i < z.length; i++) {
    const c = z.charCodeAt(i) - 48;
    if (c < 0 || c > 9) continue;
    if (digits++ < 2) hours = hours * 10 + c;
    else minutes = minutes * 10 + c;
  }
  return (z[at] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

// A one- or two-digit field (possibly space-padded, as %k and %d allow) without allocating.
function small(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) n = n * 10 + c;
  }
  return n;
}

// Fractional seconds ("5", "054852") to whole milliseconds, exactly (no floating point).
function millis(frac: string): number {
  let ms = 0;
  for (let i = 0; i < 3; i++) ms = ms * 10 + (i < frac.length ? frac.charCodeAt(i) - 48 : 0);
  return ms;
}

// The local year at an instant, remembered with the instants it spans: year-less dates (syslog's) need it per line.
let year = { value: 0, from: 0, to: -1 };
function localYear(now: number): number {
  if (now < year.from || now >= year.to) {
    const value = new Date(now).getFullYear();
    year = { value, from: new Date(value, 0, 1).getTime(), to: new Date(value + 1, 0, 1).getTime() };
  }
  return year.value;
}

const pick = (m: RegExpExecArray, group: number): string | undefined => (group ? m[group] : undefined);

function timeOf(m: RegExpExecArray, f: Fields, now: number): number | undefined {
  const epoch = pick(m, f.epoch);
  if (epoch) {
    const frac = pick(m, f.frac);
    return Number(epoch) * 1000 + (frac ? Number(`0.${frac}`) * 1000 : 0);
  }
  const tai = pick(m, f.tai);
  if (tai) return Number(BigInt(`0x${tai.slice(0, 16)}`) - 0x400000000000000an) * 1000;
  const mm = pick(m, f.m);
  const b = pick(m, f.b);
  const B = pick(m, f.B);
  const month = mm
    ? small(mm) - 1
    : b
      ? MONTHS.indexOf(b.toLowerCase().slice(0, 3))
      : B
        ? MONTH_NAMES.indexOf(B.toLowerCase())
        : new Date(now).getMonth();
  const d = pick(m, f.d);
  const day = d ? small(d) : new Date(now).getDate();
  const H = pick(m, f.H);
  const I = pick(m, f.I);
  let hour = H ? small(H) : I ? small(I) : 0;
  const p = pick(m, f.p);
  if (I && p) hour = (hour % 12) + (p.toLowerCase() === 'pm' ? 12 : 0);
  const M = pick(m, f.M);
  const S = pick(m, f.S);
  const frac = pick(m, f.f);
  const withinHour = (M ? small(M) : 0) * 60_000 + (S ? small(S) : 0) * 1000 + (frac ? millis(frac) : 0);
  const Y = pick(m, f.Y);
  const y = pick(m, f.y);
  const explicitYear = Y ? Number(Y) : y ? 2000 + small(y) : undefined;
  let year = explicitYear ?? localYear(now);
  const z = pick(m, f.z);
  const offset = z ? offsetMinutes(z) * 60_000 : 0;
  const build = (y: number) =>
    (z ? Date.UTC(y, month, day, hour) - offset : localHourStart(y, month, day, hour)) + withinHour;
  let t = build(year);
  // A year-less date later than tomorrow is from last year (a December line read in January).
  if (explicitYear === undefined && t > now + 86_400_000) t = build(--year);
  return Number.isFinite(t) ? t : undefined;
}

// A date found by a template's regex; its time is read from the match when first asked for.
class DateMatch implements FoundDate {
  readonly rest: string;
  private readonly match: RegExpExecArray;
  private readonly fields: Fields;
  private readonly now: number;
  private value: number | undefined | null = null;
  constructor(rest: string, match: RegExpExecArray, fields: Fields, now: number) {
    this.rest = rest;
    this.match = match;
    this.fields = fields;
    this.now = now;
  }
  time(): number | undefined {
    if (this.value === null) this.value = timeOf(this.match, this.fields, this.now);
    return this.value;
  }
}

// A date with the same text as the one before (or none, on a continuation line): that one's time.
class SameDate implements FoundDate {
  readonly rest: string;
  private readonly same: FoundDate;
  constructor(rest: string, same: FoundDate) {
    this.rest = rest;
    this.same = same;
  }
  time(): number | undefined {
    return this.same.time();
  }
}

// A datepattern line whose date ends in a directive (a word character) with the usual boundary after it, or at the
// line's end; {^LN-BEG} and {DATE} stand for default templates. Anything else (**, {UNB}, a literal or \s at the
// end) may join words: no literal screen then.
function joinsBeforeNonWord(pattern: string): boolean {
  if (pattern === '{^LN-BEG}') return true;
  if (pattern.includes('{UNB}') || /\*\*\)*$/.test(pattern)) return false;
  return /(?:%(?:Ex)?[A-Za-z]|EPOCH|TAI64N|\{DATE\}|\$)\)*$/i.test(pattern);
}

export function createDateDetector(datepattern?: string): DateDetector {
  // Several patterns, one per line, are tried in turn; a line of just {^LN-BEG} stands for the default templates at
  // the start of the line. Without a datepattern, fail2ban prefers a date at the start, then anywhere.
  const patterns = (datepattern ?? '')
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
  const defaults = (anchored: boolean) => DEFAULT_TEMPLATES.flatMap((t) => compile(t, anchored));
  const templates = patterns.length
    ? patterns.flatMap((p) => (p === '{^LN-BEG}' ? defaults(true) : compile(p, false)))
    : [...defaults(true), ...defaults(false)];
  let last: Template | undefined;
  // A continuation line (see below) takes the last date found.
  let lastFound: DateMatch | undefined;
  const attempt = (template: Template, line: string, now: number): FoundDate | undefined => {
    const m = template.regex.exec(line);
    if (!m) return undefined;
    const date = m[template.date] ?? m[0];
    // An empty date (a continuation line's template, like ^WARNING:()**) keeps the time of the line before.
    if (date === '') return lastFound ? new SameDate(line, lastFound) : undefined;
    // The date is usually the end of the match (what follows is a lookahead); else find it inside the match.
    const start = m[0].endsWith(date) ? m.index + m[0].length - date.length : m.index + m[0].indexOf(date);
    // Most dates begin the line: a slice of it, not a joined copy, is what the regexes then read.
    const rest = start === 0 ? line.slice(date.length) : line.slice(0, start) + line.slice(start + date.length);
    last = template;
    if (template.last?.text === date) {
      lastFound = template.last.found;
      return new SameDate(rest, lastFound);
    }
    lastFound = new DateMatch(rest, m, template.fields, now);
    template.last = { text: date, found: lastFound };
    return lastFound;
  };
  return {
    joinsBeforeNonWord: patterns.every(joinsBeforeNonWord),
    find(line, now) {
      // The template that found the last date usually finds the next one.
      const hit = last && attempt(last, line, now);
      if (hit) return hit;
      for (const template of templates) {
        const found = template === last ? undefined : attempt(template, line, now);
        if (found) return found;
      }
      return undefined;
    },
  };
}
