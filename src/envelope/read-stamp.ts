// When a line says it happened, read from the stamp its envelope found: incidents count attempts by the time in the
// log, so catching up on a backlog after a restart does not squeeze hours of failures into one window. Pure.
import { localToInstant } from '../core/zoned-time.js';
import type { Stamp } from './envelope.js';
import { digits, fourDigits, monthAt, twoDigits } from './syslog.js';

const DAY = 86_400_000;

// [Mon Nov 23 10:15:01.123456 2026] (Apache's error log, local time)
const APACHE = /^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\d{4})\]/;
// 23/Nov/2026:10:15:01 +0000 (access logs)
const CLF = /(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)/;

const millis = (fraction: string | undefined) => Number((fraction ?? '0').padEnd(3, '0').slice(0, 3));

// Local time is slow to compute (the zone's rules are looked up every time) and a log's lines share their hours: the
// start of each local hour is kept (a few thousand at most), minutes and seconds are added to it.
const HOURS_KEPT = 4096;
const hourStarts = new Map<number, number>();

/**
 * The zone stamps without one are read in: undefined for the host's (the default), else an IANA name a source
 * configured (fail2ban's logtimezone), for logs written on a machine set to another zone. Set around each read.
 */
let readZone: string | undefined;

function localTime(year: number, month: number, day: number, hour: number, rest: number): number {
  if (readZone !== undefined) return zonedTime(readZone, year, month, day, hour, rest);
  // Out-of-range fields (a bad stamp's day 33) would share a key with real ones: computed, never kept.
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour < 0 || hour > 23) {
    return new Date(year, month, day, hour, 0, 0, rest).getTime();
  }
  const key = ((year * 12 + month) * 32 + day) * 24 + hour;
  let start = hourStarts.get(key);
  if (start === undefined) {
    if (hourStarts.size >= HOURS_KEPT) hourStarts.clear();
    start = new Date(year, month, day, hour).getTime();
    // An hour a clock change shortens or lengthens (Lord Howe's is half an hour) is computed in full every time.
    if (new Date(year, month, day, hour + 1).getTime() - start !== 3_600_000) start = Number.NaN;
    hourStarts.set(key, start);
  }
  return Number.isNaN(start) ? new Date(year, month, day, hour, 0, 0, rest).getTime() : start + rest;
}

let yearOfNow = { now: Number.NaN, year: 0 };

function currentYear(now: number): number {
  if (yearOfNow.now !== now) yearOfNow = { now, year: new Date(now).getFullYear() };
  return yearOfNow.year;
}

/**
 * Milliseconds since the epoch the stamp says, or undefined when it cannot be read or lies in the future. A stamp
 * without a zone is read in `zone` (an IANA name), by default the host's.
 */
export function readStampTime(line: string, stamp: Stamp, now: number, zone?: string): number | undefined {
  readZone = zone;
  let at: number | undefined;
  try {
    at = readAt(line, stamp, now);
  } finally {
    readZone = undefined;
  }
  if (at === undefined || Number.isNaN(at)) return undefined;
  // A time in the future is a lie or a clock problem: count the line as arriving now.
  return at > now + 60_000 ? undefined : at;
}

function readAt(line: string, stamp: Stamp, now: number): number | undefined {
  // The common stamps are read in place, in the line: this runs for every line a rule remembers.
  switch (stamp.kind) {
    case 'iso':
    case 'nginx':
      return readIso(line, stamp.start, stamp.end);
    case 'journal-full':
      return readIso(line, stamp.start + 4, stamp.end);
    case 'syslog':
      return readSyslog(line, stamp.start, stamp.end, now);
    case 'unix':
      // Seconds since the epoch are UTC: no zone applies.
      return Math.round(Number(line.slice(stamp.start, stamp.end)) * 1000);
    case 'apache':
      return readApache(line.slice(stamp.start, stamp.end));
    case 'clf':
      return readCommonLog(line.slice(stamp.start, stamp.end));
  }
}

/** Where the last clock read ended (clockAt returns its time alone, so that reading one allocates nothing). */
let clockEnd = 0;

/** `hh:mm:ss[.fff…]` at `at`: milliseconds since the start of the day, or -1; sets clockEnd. */
function clockAt(text: string, at: number): number {
  if (text.charCodeAt(at + 2) !== 58 /* : */ || text.charCodeAt(at + 5) !== 58) return -1;
  const hour = twoDigits(text, at);
  const minute = twoDigits(text, at + 3);
  const second = twoDigits(text, at + 6);
  if (hour < 0 || minute < 0 || second < 0) return -1;
  let end = at + 8;
  let ms = 0;
  const mark = text.charCodeAt(end);
  if (mark === 46 /* . */ || mark === 44 /* , */) {
    let i = end + 1;
    for (; i < end + 10 && digits(text, i, 1) >= 0; i++) if (i < end + 4) ms = ms * 10 + digits(text, i, 1);
    for (let d = Math.min(i, end + 4) - end - 1; d < 3; d++) ms *= 10;
    end = i;
  }
  clockEnd = end;
  return ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

const HOUR = 3_600_000;

/** The local time of a day's clock (ms since its start), through localTime's cache of hours. */
function localClock(year: number, month: number, day: number, clock: number): number {
  return localTime(year, month, day, Math.floor(clock / HOUR), clock % HOUR);
}

/** A zone journalctl names (CET, EST, UTC): letters alone. */
function isZoneName(text: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > 6) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c < 97 || c > 122) return false;
  }
  return true;
}

function readIso(text: string, start: number, end: number): number | undefined {
  // 2026-11-23T10:15:01.123456+00:00, 2026-11-23 10:15:01,123, 2026-11-23T10:15:01Z, 2026/11/23 10:15:01 (nginx), and
  // journalctl's `2026-11-23 10:15:01 UTC` once the weekday is cut: the envelope found the stamp's end.
  const dash = text.charCodeAt(start + 4);
  const sep = text.charCodeAt(start + 10);
  // - or /
  if ((dash !== 45 && dash !== 47) || text.charCodeAt(start + 7) !== dash) return undefined;
  if (sep !== 84 /* T */ && sep !== 32) return undefined;
  const year = fourDigits(text, start);
  const month = twoDigits(text, start + 5);
  const day = twoDigits(text, start + 8);
  if (year < 0 || month < 1 || day < 1) return undefined;
  const clock = end - start >= 19 ? clockAt(text, start + 11) : -1;
  if (clock < 0 || clockEnd > end) return undefined;
  let at = clockEnd;
  if (text.charCodeAt(at) === 32 && at < end) at++;
  if (at >= end) return localClock(year, month - 1, day, clock);
  const utc = Date.UTC(year, month - 1, day) + clock;
  const sign = text.charCodeAt(at);
  if (end - at === 1 && sign === 90 /* Z */) return utc;
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    // +01:00 or +0100
    const colon = text.charCodeAt(at + 3) === 58 ? 1 : 0;
    const hours = twoDigits(text, at + 1);
    const minutes = twoDigits(text, at + 3 + colon);
    if (hours < 0 || minutes < 0 || end !== at + 5 + colon) return undefined;
    return utc - (sign === 45 ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  if (end - at === 3 && (text.startsWith('UTC', at) || text.startsWith('GMT', at))) return utc;
  // journalctl names the local zone (CET, EST): the time is local.
  return isZoneName(text, at, end) ? localClock(year, month - 1, day, clock) : undefined;
}

function readSyslog(text: string, start: number, end: number, now: number): number | undefined {
  const month = monthAt(text, start);
  if (month < 0 || text.charCodeAt(start + 3) !== 32) return undefined;
  // `Nov 23 10:15:01`, `Nov  3 10:15:01`, `Nov 3 …`, `Nov  16 …`, `Nov 23 2026 10:15:01.123`
  let i = text.charCodeAt(start + 4) === 32 ? start + 5 : start + 4;
  let day = digits(text, i++, 1);
  if (day < 0) return undefined;
  if (digits(text, i, 1) >= 0) day = day * 10 + digits(text, i++, 1);
  if (text.charCodeAt(i++) !== 32) return undefined;
  let year = -1;
  if (text.charCodeAt(i + 2) !== 58 /* : */) {
    year = fourDigits(text, i);
    if (year < 0 || text.charCodeAt(i + 4) !== 32) return undefined;
    i += 5;
  }
  const clock = end - i >= 8 ? clockAt(text, i) : -1;
  if (clock < 0 || clockEnd > end) return undefined;
  if (year !== -1) return localClock(year, month, day, clock);
  const current = currentYear(now);
  const at = localClock(current, month, day, clock);
  // A December line read in early January belongs to last year.
  return at > now + DAY ? localClock(current - 1, month, day, clock) : at;
}

function readApache(text: string): number | undefined {
  const m = APACHE.exec(text);
  const month = m ? monthAt(m[1]!, 0) : -1;
  if (!m || month < 0) return undefined;
  const rest = (Number(m[4]) * 60 + Number(m[5])) * 1000 + millis(m[6]);
  return localTime(Number(m[7]), month, Number(m[2]!.trim()), Number(m[3]), rest);
}

const zonedHours = new Map<string, number>();

/** The instant a wall-clock time in `zone` names (the later one in a clock change's gap), cached by hour. */
export function zonedTime(zone: string, year: number, month: number, day: number, hour: number, rest: number): number {
  const key = `${zone}\0${year}-${month}-${day}-${hour}`;
  let start = zonedHours.get(key);
  if (start === undefined) {
    start = localToInstant({ year, month: month + 1, day, hour, minute: 0 }, zone);
    if (zonedHours.size >= HOURS_KEPT) zonedHours.clear();
    zonedHours.set(key, start);
  }
  return start + rest;
}

/** An access-log time anywhere in the text. */
export function readCommonLog(text: string): number | undefined {
  const m = CLF.exec(text);
  const month = m ? monthAt(m[2]!, 0) : -1;
  if (!m || month < 0) return undefined;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
}
