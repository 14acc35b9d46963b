// Where a log line's timestamp is, as fail2ban finds it: its default date templates (syslog, ISO 8601, Apache,
// epoch, TAI64N …) or a filter's `datepattern` (strftime-like %Y-%m-%d with fail2ban's %Ex… and {^LN-BEG}, {DATE},
// EPOCH, TAI64N). The date is cut out of the line before the regexes see it, as fail2ban does, and gives the time
// that maxretry/findtime windows count in. Pure (the clock is passed in for year-less dates).

export interface FoundDate {
  /** Epoch ms. */
  time: number;
  /** The line without the date (what fail2ban's regexes are matched against). */
  rest: string;
}

export interface DateDetector {
  find(line: string, now: number): FoundDate | undefined;
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

interface Template {
  regex: RegExp;
  /** Group numbers by name (the regex's groups are unnamed: matching builds no groups object). */
  names: [name: string, index: number][];
  /** The number of the group holding the date to cut out. */
  date: number;
}

// Named groups to numbered ones, \k<name> to \N: returns the source and each name's number.
function unname(source: string): { source: string; names: [string, number][] } {
  const names: [string, number][] = [];
  let out = '';
  let count = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const k = /^\\k<(\w+)>/.exec(source.slice(i));
      if (k && !inClass) {
        const index = names.find(([n]) => n === k[1])?.[1];
        out += `(?:\\${index})`;
        i += k[0].length - 1;
        continue;
      }
      out += source.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') inClass = true;
    if (ch === '(') {
      const named = /^\(\?<(\w+)>/.exec(source.slice(i));
      if (named) {
        names.push([named[1]!, ++count]);
        out += '(';
        i += named[0].length - 1;
        continue;
      }
      if (source[i + 1] !== '?') count++;
    }
    out += ch;
  }
  return { source: out, names };
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
  const { source, names } = unname(templateSource(pattern, anchored));
  const date = names.find(([n]) => n === 'date')?.[1] ?? 0;
  return [{ regex: new RegExp(source, /%[aAbBp]/.test(pattern) ? 'i' : ''), names, date }];
}

// The local time zone's start of an hour, remembered: turning local dates into instants is the slow part of reading
// dates, and log lines come hour after hour (offsets change on whole hours in all but a few zones).
const hourStarts = new Map<string, number>();
function localHourStart(y: number, month: number, day: number, hour: number): number {
  const key = `${y}-${month}-${day}-${hour}`;
  let start = hourStarts.get(key);
  if (start === undefined) {
    if (hourStarts.size > 10_000) hourStarts.clear();
    start = new Date(y, month, day, hour).getTime();
    hourStarts.set(key, start);
  }
  return start;
}

function timeOf(g: Record<string, string | undefined>, now: number): number | undefined {
  if (g.epoch) return Number(g.epoch) * 1000 + (g.frac ? Number(`0.${g.frac}`) * 1000 : 0);
  if (g.tai) return Number(BigInt(`0x${g.tai.slice(0, 16)}`) - 0x400000000000000an) * 1000;
  const nowDate = new Date(now);
  const month = g.m
    ? Number(g.m) - 1
    : g.b
      ? MONTHS.indexOf(g.b.toLowerCase().slice(0, 3))
      : g.B
        ? MONTH_NAMES.indexOf(g.B.toLowerCase())
        : nowDate.getMonth();
  const day = g.d ? Number(g.d.trim()) : nowDate.getDate();
  let hour = Number((g.H ?? g.I ?? '0').trim());
  if (g.I && g.p) hour = (hour % 12) + (g.p.toLowerCase() === 'pm' ? 12 : 0);
  const minute = Number(g.M ?? 0);
  const second = Number(g.S ?? 0);
  const ms = g.f ? Math.floor(Number(`0.${g.f}`) * 1000) : 0;
  const explicitYear = g.Y ? Number(g.Y) : g.y ? 2000 + Number(g.y) : undefined;
  let year = explicitYear ?? nowDate.getFullYear();
  const build = (y: number) => {
    if (g.z && g.z !== 'Z' && g.z !== 'UTC' && g.z !== 'GMT') {
      const z = /([+-])(\d\d):?(\d\d)?$/.exec(g.z);
      const offset = z ? (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0)) : 0;
      return Date.UTC(y, month, day, hour, minute, second, ms) - offset * 60_000;
    }
    if (g.z) return Date.UTC(y, month, day, hour, minute, second, ms);
    return localHourStart(y, month, day, hour) + minute * 60_000 + second * 1000 + ms;
  };
  let t = build(year);
  // A year-less date later than tomorrow is from last year (a December line read in January).
  if (explicitYear === undefined && t > now + 86_400_000) t = build(--year);
  return Number.isFinite(t) ? t : undefined;
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
  // Log lines come in runs with the same second: the last date text and its time are kept.
  let lastDate = '';
  let lastTime = 0;
  const attempt = (template: Template, line: string, now: number): FoundDate | undefined => {
    const m = template.regex.exec(line);
    if (!m) return undefined;
    const date = m[template.date] ?? m[0];
    // An empty date (a continuation line's template, like ^WARNING:()**) keeps the time of the line before.
    if (date === '') return lastDate ? { time: lastTime, rest: line } : undefined;
    let time = lastTime;
    if (date !== lastDate) {
      const groups: Record<string, string> = {};
      for (const [name, index] of template.names) if (m[index] !== undefined) groups[name] = m[index];
      const t = timeOf(groups, now);
      if (t === undefined) return undefined;
      time = t;
    }
    last = template;
    lastDate = date;
    lastTime = time;
    // The date is usually the end of the match (what follows is a lookahead); else find it inside the match.
    const start = m[0].endsWith(date) ? m.index + m[0].length - date.length : m.index + m[0].indexOf(date);
    return { time, rest: line.slice(0, start) + line.slice(start + date.length) };
  };
  return {
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
