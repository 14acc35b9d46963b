// When a line says it happened: incidents count attempts by the time in the log, so catching up on a backlog after a
// restart does not squeeze hours of failures into one window. Only matched lines are parsed.

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

// 2026-11-23T10:15:01.123456+00:00, 2026-11-23 10:15:01, 2026-11-23T10:15:01Z, 2026/11/23 10:15:01 (nginx error log)
const ISO = /^(\d{4})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)?/;
// Nov 23 10:15:01 (classic syslog, local time, no year)
const SYSLOG = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)/;
// [23/Nov/2026:10:15:01 +0000] (combined access log)
const CLF = /\[(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\]/;

const DAY = 86_400_000;

/** Milliseconds since the epoch the line was written at, or undefined when its time cannot be read. */
export function parseLogTimestamp(line: string, now: number): number | undefined {
  const at = parseIso(line) ?? parseSyslog(line, now) ?? parseCommonLog(line);
  if (at === undefined || Number.isNaN(at)) return undefined;
  // A time in the future is a lie or a clock problem: count the line as arriving now.
  return at > now + 60_000 ? undefined : at;
}

function parseIso(line: string): number | undefined {
  const m = ISO.exec(line);
  if (!m) return undefined;
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const zone = m[8];
  const fields = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms] as const;
  if (zone === undefined) return new Date(...fields).getTime();
  const utc = Date.UTC(...fields);
  if (zone === 'Z') return utc;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

function parseSyslog(line: string, now: number): number | undefined {
  const m = SYSLOG.exec(line);
  const month = m ? MONTHS[m[1]!] : undefined;
  if (!m || month === undefined) return undefined;
  const year = new Date(now).getFullYear();
  const at = (y: number) => new Date(y, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])).getTime();
  // A December line read in early January belongs to last year.
  return at(year) > now + DAY ? at(year - 1) : at(year);
}

function parseCommonLog(line: string): number | undefined {
  const m = CLF.exec(line);
  const month = m ? MONTHS[m[2]!] : undefined;
  if (!m || month === undefined) return undefined;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
}

// The host name a syslog-style line names after its timestamp: `Nov 23 10:15:01 web1 sshd[1]: …`.
const SYSLOG_HOST =
  /^(?:[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\S{8,32}) ([A-Za-z0-9][A-Za-z0-9._-]{0,252}) \S{1,128}:/;

/** The host a syslog or journal line was written on, when it says. */
export function parseLogHost(line: string): string | undefined {
  return SYSLOG_HOST.exec(line)?.[1];
}
