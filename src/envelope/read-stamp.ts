// When a line says it happened, read from the stamp its envelope found: incidents count attempts by the time in the
// log, so catching up on a backlog after a restart does not squeeze hours of failures into one window. Pure.
import type { Stamp } from './envelope.js';

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};
const DAY = 86_400_000;

// 2026-11-23T10:15:01.123456+00:00, 2026-11-23 10:15:01, 2026-11-23T10:15:01Z, 2026/11/23 10:15:01 (nginx), and
// journalctl's `Mon 2026-11-23 10:15:01 UTC` once the weekday is cut.
const ISO = /^(\d{4})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))? ?(Z|[+-]\d\d:?\d\d|UTC|GMT)?/;
// Nov 23 10:15:01, Nov 23 2026 10:15:01.123 (local time)
const SYSLOG = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?/;
// [Mon Nov 23 10:15:01.123456 2026] (Apache's error log, local time)
const APACHE = /^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\d{4})\]/;
// 23/Nov/2026:10:15:01 +0000 (access logs)
const CLF = /(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)/;

const millis = (fraction: string | undefined) => Number((fraction ?? '0').padEnd(3, '0').slice(0, 3));

/** Milliseconds since the epoch the stamp says, or undefined when it cannot be read or lies in the future. */
export function readStampTime(line: string, stamp: Stamp, now: number): number | undefined {
  const text = line.slice(stamp.kind === 'journal-full' ? stamp.start + 4 : stamp.start, stamp.end);
  const at = readText(text, stamp.kind, now);
  if (at === undefined || Number.isNaN(at)) return undefined;
  // A time in the future is a lie or a clock problem: count the line as arriving now.
  return at > now + 60_000 ? undefined : at;
}

function readText(text: string, kind: Stamp['kind'], now: number): number | undefined {
  switch (kind) {
    case 'iso':
    case 'nginx':
    case 'journal-full':
      return readIso(text);
    case 'syslog':
      return readSyslog(text, now);
    case 'apache':
      return readApache(text);
    case 'clf':
      return readCommonLog(text);
  }
}

function readIso(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const fields = [
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    millis(m[7]),
  ] as const;
  const zone = m[8];
  if (zone === undefined) return new Date(...fields).getTime();
  const utc = Date.UTC(...fields);
  if (zone === 'Z' || zone === 'UTC' || zone === 'GMT') return utc;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

function readSyslog(text: string, now: number): number | undefined {
  const m = SYSLOG.exec(text);
  const month = m ? MONTHS[m[1]!] : undefined;
  if (!m || month === undefined) return undefined;
  const at = (y: number) =>
    new Date(y, month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), millis(m[7])).getTime();
  if (m[3]) return at(Number(m[3]));
  const year = new Date(now).getFullYear();
  // A December line read in early January belongs to last year.
  return at(year) > now + DAY ? at(year - 1) : at(year);
}

function readApache(text: string): number | undefined {
  const m = APACHE.exec(text);
  const month = m ? MONTHS[m[1]!] : undefined;
  if (!m || month === undefined) return undefined;
  return new Date(
    Number(m[7]),
    month,
    Number(m[2]!.trim()),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    millis(m[6]),
  ).getTime();
}

/** An access-log time anywhere in the text. */
export function readCommonLog(text: string): number | undefined {
  const m = CLF.exec(text);
  const month = m ? MONTHS[m[2]!] : undefined;
  if (!m || month === undefined) return undefined;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
}
