// A whole line's time and host, for callers that have only the text (/logs search, the incident message): its envelope
// is parsed and read. Lines in no known envelope may still carry an access-log time somewhere.
import { parseEnvelope } from '../envelope/parse-envelope.js';
import { readCommonLog, readStampTime } from '../envelope/read-stamp.js';

/**
 * Milliseconds since the epoch the line was written at, or undefined when its time cannot be read; a stamp without a
 * zone is read in `zone` (the source's), by default the host's.
 */
export function parseLogTimestamp(line: string, now: number, zone?: string): number | undefined {
  const env = parseEnvelope(line);
  if (env.stamp) return readStampTime(line, env.stamp, now, zone);
  const at = readCommonLog(line);
  return at === undefined || at > now + 60_000 ? undefined : at;
}

/** The host a syslog or journal line was written on, when it says. */
export function parseLogHost(line: string): string | undefined {
  return parseEnvelope(line).host;
}
