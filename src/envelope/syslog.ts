// The syslog envelopes: RFC 3164 (`Nov 23 10:15:01 web1 sshd[123]: …`), rsyslog's ISO 8601 form (also what the
// journald source renders), journalctl's short-full, RFC 5424 with its structured data, the program tag in its old
// and odd forms, Solaris message ids and rsyslog's `message repeated N times: [ … ]`. Hand-written scanning: it runs
// on every line a rule may match. Pure.
import { type Envelope, newEnvelope, type Stamp } from './envelope.js';

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
const WEEKDAYS = 'MonTueWedThuFriSatSun';
const SPACE = 32;
const COLON = 58;
const DASH = 45;
const PLUS = 43;

function isBlank(c: number): boolean {
  return c === SPACE || c === 9 /* tab */;
}

/** `message repeated N times` counts at most this many: rsyslog writes the number, a forged line could lie. */
export const MAX_REPEATED = 10_000;

export const isDigit = (c: number) => c >= 48 && c <= 57;

/** The number written in two digits at `at`, or -1. Loop-free: stamps are read on every line a rule may match. */
export function twoDigits(line: string, at: number): number {
  const a = line.charCodeAt(at) - 48;
  const b = line.charCodeAt(at + 1) - 48;
  // Past the end charCodeAt is NaN, and NaN >>> 0 is 0: a length check first.
  return at + 2 <= line.length && a >>> 0 < 10 && b >>> 0 < 10 ? a * 10 + b : -1;
}

/** The number written in four digits at `at`, or -1. */
export function fourDigits(line: string, at: number): number {
  const high = twoDigits(line, at);
  const low = twoDigits(line, at + 2);
  return high < 0 || low < 0 ? -1 : high * 100 + low;
}

/** The number written in exactly `n` digits from `at`, or -1. */
export function digits(line: string, at: number, n: number): number {
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(at + i);
    if (!isDigit(c)) return -1;
    value = value * 10 + c - 48;
  }
  return value;
}

/** Three letters at `at` as one number, for comparing names without cutting them out of the line. */
function threeLetters(line: string, at: number): number {
  return (line.charCodeAt(at) << 16) | (line.charCodeAt(at + 1) << 8) | line.charCodeAt(at + 2);
}

const MONTH_KEYS = Array.from({ length: 12 }, (_, i) => threeLetters(MONTHS, i * 3));
const WEEKDAY_KEYS = Array.from({ length: 7 }, (_, i) => threeLetters(WEEKDAYS, i * 3));

/** The month (0 for `Jan` … 11 for `Dec`) three letters at `at` name, or -1. */
export function monthAt(line: string, at: number): number {
  // Past the end, charCodeAt is NaN and the key 0: no month.
  return MONTH_KEYS.indexOf(threeLetters(line, at));
}

/** Whether three letters at `at` name a month (`Jan`…`Dec`). */
export function isMonthAt(line: string, at: number): boolean {
  return monthAt(line, at) >= 0;
}

function isWeekdayAt(line: string, at: number): boolean {
  return WEEKDAY_KEYS.includes(threeLetters(line, at));
}

/** `hh:mm:ss` at `at`: the index after it, or -1. */
function clockEnd(line: string, at: number): number {
  if (line.charCodeAt(at + 2) !== COLON || line.charCodeAt(at + 5) !== COLON) return -1;
  return twoDigits(line, at) < 0 || twoDigits(line, at + 3) < 0 || twoDigits(line, at + 6) < 0 ? -1 : at + 8;
}

/** Fractions of a second (`.123456` or `,123`) at `at`: the index after them (`at` when there are none). */
function fractionEnd(line: string, at: number): number {
  const c = line.charCodeAt(at);
  if (c !== 46 /* . */ && c !== 44 /* , */) return at;
  let i = at + 1;
  while (i < at + 10 && isDigit(line.charCodeAt(i))) i++;
  return i > at + 1 ? i : at;
}

/** `YYYY-MM-DD` then `T` (or a space when `space`) then `hh:mm:ss`: the index after the seconds, or -1. */
function isoDateTimeEnd(line: string, at: number, space: boolean): number {
  if (line.charCodeAt(at + 4) !== DASH || line.charCodeAt(at + 7) !== DASH) return -1;
  const sep = line.charCodeAt(at + 10);
  if (sep !== 84 /* T */ && !(space && sep === SPACE)) return -1;
  if (fourDigits(line, at) < 0 || twoDigits(line, at + 5) < 0 || twoDigits(line, at + 8) < 0) return -1;
  return clockEnd(line, at + 11);
}

/** An ISO 8601 time stamp with optional fractions and zone (`Z`, `+01:00`, `+0100`): its end, or -1. */
export function isoStampEnd(line: string, at: number, space = false): number {
  let i = isoDateTimeEnd(line, at, space);
  if (i < 0) return -1;
  i = fractionEnd(line, i);
  const c = line.charCodeAt(i);
  if (c === 90 /* Z */) return i + 1;
  if (c === PLUS || c === DASH) {
    if (twoDigits(line, i + 1) < 0) return -1;
    const colon = line.charCodeAt(i + 3) === COLON ? 1 : 0;
    return twoDigits(line, i + 3 + colon) < 0 ? -1 : i + 5 + colon;
  }
  return i;
}

/** `Nov 23 10:15:01`, `Nov  3 10:15:01`, with optional year (`Nov 23 2026 10:15:01`) and fractions: the end, or -1. */
export function syslogStampEnd(line: string, at: number): number {
  if (line.charCodeAt(at + 3) !== SPACE || !isMonthAt(line, at)) return -1;
  let i = at + 4;
  if (line.charCodeAt(i) === SPACE) i++;
  if (!isDigit(line.charCodeAt(i))) return -1;
  i += isDigit(line.charCodeAt(i + 1)) ? 2 : 1;
  if (line.charCodeAt(i) !== SPACE) return -1;
  i++;
  if (line.charCodeAt(i + 4) === SPACE && fourDigits(line, i) >= 0) i += 5;
  const end = clockEnd(line, i);
  return end < 0 ? -1 : fractionEnd(line, end);
}

const TAG = /^([^\s[\]():]{1,128})\]?(?:\(([A-Za-z0-9_.=-]{1,64})\))?(?:\[(\d{1,10})\])?\]?$/;
const MAX_PROGRAM = 128;

/** Whether a plain program name holds this character (anything else is left to the pattern). */
function isProgramChar(c: number): boolean {
  return (
    c > SPACE &&
    c < 127 &&
    c !== 91 /* [ */ &&
    c !== 93 /* ] */ &&
    c !== 40 /* ( */ &&
    c !== 41 /* ) */ &&
    c !== 58 /* : */
  );
}

/** What only a tag-shaped APP-NAME holds: an old PAM module's `(` or gdm's `]`. */
const TAG_MARK = /[(\]]/;

/** A whole tag without its pid: the program and an old-style PAM module, when it has that shape. */
function readTagName(app: string, env: Envelope): boolean {
  if (!TAG_MARK.test(app)) return false;
  const m = TAG.exec(app);
  if (!m) return false;
  env.program = m[1]!;
  if (m[2]) env.module = m[2];
  if (m[3]) env.pid ??= m[3];
  return true;
}

/**
 * Reads the program tag at [at, end) (the text before its colon) into the envelope: `sshd`, `sshd[123]`,
 * `sshd(pam_unix)[123]` (Linux-PAM before 0.99), and gdm's `gdm-password]` (its worker's argv[0] is
 * `gdm-session-worker [pam/gdm-password]`), `gdm-password][123]` once journald has added the pid. False when it is
 * no tag.
 */
function readTag(line: string, at: number, end: number, env: Envelope): boolean {
  // Nearly every tag is `prog[pid]` or `prog`: read in place; the pattern takes the other forms.
  let i = at;
  while (i < end && isProgramChar(line.charCodeAt(i))) i++;
  if (i > at && i - at <= MAX_PROGRAM) {
    if (i === end) {
      env.program = line.slice(at, end);
      return true;
    }
    const pid = end - i - 2;
    if (line.charCodeAt(i) === 91 && line.charCodeAt(end - 1) === 93 && pid > 0 && pid <= 10) {
      if (digits(line, i + 1, pid) >= 0) {
        env.program = line.slice(at, i);
        env.pid = line.slice(i + 1, end - 1);
        return true;
      }
    }
  }
  const m = TAG.exec(line.slice(at, end));
  if (!m) return false;
  env.program = m[1]!;
  if (m[3]) env.pid = m[3];
  if (m[2]) env.module = m[2];
  return true;
}

/** The token from `at` to the next space (or the end): its end. */
function tokenEnd(line: string, at: number): number {
  const space = line.indexOf(' ', at);
  return space === -1 ? line.length : space;
}

/**
 * Reads `[host] tag: message` from `at` into the envelope. A token ending in a colon is the tag; without one the host
 * is the first token and the message what follows it. `requireTag`: no tag, no envelope (returns false).
 */
export function readHostTagMessage(line: string, at: number, env: Envelope, requireTag: boolean): boolean {
  let i = at;
  for (let token = 0; token < 3 && i < line.length; token++) {
    const end = tokenEnd(line, i);
    if (line.charCodeAt(end - 1) === 58 /* : */ && end - 1 > i) {
      if (readTag(line, i, end - 1, env)) {
        setMessage(env, line, end + 1);
        return true;
      }
    }
    if (token > 0) {
      // BusyBox syslogd (Alpine's default) writes the facility and level between the host and the tag.
      if (token === 1 && FACILITY_LEVEL.test(line.slice(i, end))) {
        i = end + 1;
        continue;
      }
      break;
    }
    env.host = line.slice(i, end);
    i = end + 1;
  }
  if (requireTag) return false;
  setMessage(env, line, i);
  return true;
}

/**
 * The message from `at`, without its leading and trailing spaces, Solaris's `[ID n facility.level]` or rsyslog's
 * repeat wrapper. Trailing blanks are dropped because programs' own formats never end in one that matters, while
 * relays, copies and `%msg%` templates add them.
 */
export function setMessage(env: Envelope, line: string, at: number): void {
  let i = at;
  while (line.charCodeAt(i) === SPACE) i++;
  let stop = line.length;
  while (stop > i && isBlank(line.charCodeAt(stop - 1))) stop--;
  if (stop < line.length) line = line.slice(0, stop);
  if (line.startsWith('[ID ', i)) {
    const m = /^\[ID (\d{1,10}) [a-z0-9]{1,16}\.[a-z]{1,16}\] */.exec(line.slice(i, i + 64));
    if (m) {
      env.msgid = m[1]!;
      i += m[0].length;
    }
  }
  if (line.startsWith('message repeated ', i) && line.endsWith(']')) {
    const m = /^message repeated (\d{1,9}) times: \[ */.exec(line.slice(i, i + 64));
    if (m) {
      env.repeated = Math.min(Number(m[1]), MAX_REPEATED);
      let end = line.length - 1;
      while (end > i && isBlank(line.charCodeAt(end - 1))) end--;
      env.message = line.slice(i + m[0].length, end);
      return;
    }
  }
  env.message = i === 0 ? line : line.slice(i);
}

/** RFC 3164 from `at` (after any `<PRI>`). */
export function parseRfc3164(line: string, at: number): Envelope | undefined {
  const end = syslogStampEnd(line, at);
  if (end < 0 || line.charCodeAt(end) !== SPACE) return undefined;
  const env = newEnvelope('rfc3164', '', { kind: 'syslog', start: at, end });
  // BSD syslogd -v / -vv writes the priority after the time: `<4.6>` or `<auth.info>`.
  const priority =
    line.charCodeAt(end + 1) === 60 /* < */
      ? /^<(?:\d{1,3}\.\d{1,3}|[a-z0-9]{1,12}\.[a-z]{1,12})> /.exec(line.slice(end + 1, end + 32))
      : null;
  readHostTagMessage(line, end + 1 + (priority ? priority[0].length : 0), env, false);
  return env;
}

/** rsyslog's ISO 8601 form from `at`: `2026-11-23T10:15:01.123456+00:00 host tag: message`. */
export function parseIsoSyslog(line: string, at: number): Envelope | undefined {
  // Always with a `T`: `2026-11-23 10:15:01,123 WARN sshd[1]: …` is an application's line whose message (after the
  // level) may be anyone's text, never sshd's.
  const end = isoStampEnd(line, at);
  if (end < 0 || line.charCodeAt(end) !== SPACE) return undefined;
  const env = newEnvelope('iso', '', { kind: 'iso', start: at, end });
  // A syslog line only with its tag: applications write the same dates before their own messages.
  return readHostTagMessage(line, end + 1, env, true) ? env : undefined;
}

/** journalctl's short-full: `Mon 2026-11-23 10:15:01 UTC host tag: message`. */
export function parseJournalFull(line: string, at: number): Envelope | undefined {
  if (!isWeekdayAt(line, at) || line[at + 3] !== ' ') return undefined;
  let end = isoDateTimeEnd(line, at + 4, true);
  if (end < 0) return undefined;
  end = fractionEnd(line, end);
  if (line[end] !== ' ') return undefined;
  const zoneEnd = tokenEnd(line, end + 1);
  if (zoneEnd - end > 7) return undefined;
  const env = newEnvelope('journal-full', '', { kind: 'journal-full', start: at, end: zoneEnd });
  return readHostTagMessage(line, zoneEnd + 1, env, true) ? env : undefined;
}

/** journalctl -o short-unix: `1764412501.123456 host tag[pid]: msg` (ten digits of seconds, then microseconds). */
export function parseJournalUnix(line: string, at: number): Envelope | undefined {
  let i = at;
  while (i < at + 10 && isDigit(line.charCodeAt(i))) i++;
  if (i !== at + 10 || line[i] !== '.') return undefined;
  const end = fractionEnd(line, i);
  if (line[end] !== ' ') return undefined;
  const env = newEnvelope('journal-unix', '', { kind: 'unix', start: at, end });
  return readHostTagMessage(line, end + 1, env, true) ? env : undefined;
}

/** journalctl -o short-monotonic: `[ 1399.123456] host tag[pid]: msg`; the time since boot says no time of day. */
export function parseJournalMonotonic(line: string): Envelope | undefined {
  const m = /^\[ {0,12}\d{1,12}\.\d{6}\] /.exec(line.slice(0, 32));
  if (!m) return undefined;
  const env = newEnvelope('journal-monotonic', '');
  return readHostTagMessage(line, m[0].length, env, true) ? env : undefined;
}

/** `authpriv.notice`: BusyBox syslogd's `%s %.64s %s %s` puts it before the tag (syslogd.c timestamp_and_log()). */
const FACILITY_LEVEL =
  /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|ntp|security|console|local[0-7])\.(?:emerg|alert|crit|err|error|warn|warning|notice|info|debug|panic)$/;

/** `<PRI>` at the start: the index after it, or 0. */
export function priEnd(line: string): number {
  if (line.charCodeAt(0) !== 60 /* < */) return 0;
  for (let i = 1; i < 5; i++) {
    const c = line.charCodeAt(i);
    if (c === 62 /* > */) return i > 1 ? i + 1 : 0;
    if (!isDigit(c)) return 0;
  }
  return 0;
}

/** RFC 5424 after `<PRI>`: `1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]`, structured data skipped whole. */
export function parseRfc5424(line: string, at: number): Envelope | undefined {
  let i = at;
  while (isDigit(line.charCodeAt(i)) && i < at + 2) i++;
  if (i === at || line[i] !== ' ') return undefined;
  const fields: string[] = [];
  let stamp: Stamp | undefined;
  i++;
  for (let f = 0; f < 5; f++) {
    const end = tokenEnd(line, i);
    if (end === line.length || end === i) return undefined;
    const value = line.slice(i, end);
    if (f === 0 && value !== '-') {
      if (isoStampEnd(line, i) !== end) return undefined;
      stamp = { kind: 'iso', start: i, end };
    }
    fields.push(value);
    i = end + 1;
  }
  const sdEnd = structuredDataEnd(line, i);
  if (sdEnd < 0) return undefined;
  const [, host, app, procid] = fields as [string, string, string, string, string];
  const env = newEnvelope('rfc5424', '', stamp);
  if (host !== '-') env.host = host;
  if (procid !== '-') env.pid = procid;
  // An APP-NAME taken from an old tag (`su(pam_unix)`, gdm's `gdm-password]`) is read as the tag would be.
  if (app !== '-' && !readTagName(app, env)) env.program = app;
  let m = sdEnd;
  if (line[m] === ' ') m++;
  if (line.charCodeAt(m) === 0xfeff) m++;
  setMessage(env, line, m);
  return env;
}

/** The end of RFC 5424 structured data at `at` (`-` or `[id k="v" …]…`, with `\"`, `\\` and `\]` in values), or -1. */
export function structuredDataEnd(line: string, at: number): number {
  if (line[at] === '-') return at + 1;
  let i = at;
  if (line[i] !== '[') return -1;
  while (line[i] === '[') {
    i++;
    let quoted = false;
    for (;;) {
      if (i >= line.length) return -1;
      const c = line[i];
      if (quoted && c === '\\') i += 2;
      else if (c === '"') {
        quoted = !quoted;
        i++;
      } else if (c === ']' && !quoted) {
        i++;
        break;
      } else i++;
    }
  }
  return i;
}
