// A source's `timezone:`: stamps that name no zone (syslog's) read in the zone the logging machine was set to, not in
// this host's. Each expectation is an absolute instant, so the test means the same in every zone it runs in.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { zonedTime } from '../../src/envelope/read-stamp.js';
import { parseLogTimestamp } from '../../src/rules/log-timestamp.js';
import { createSourceMatchers, matchChunk } from '../../src/rules/match.js';

const now = Date.parse('2026-11-24T12:00:00Z');

describe('stamps read in a source zone', () => {
  it.each([
    { zone: 'UTC', at: '2026-11-23T10:15:01.000Z' },
    { zone: 'Europe/Berlin', at: '2026-11-23T09:15:01.000Z' },
    { zone: 'America/New_York', at: '2026-11-23T15:15:01.000Z' },
    { zone: 'Asia/Kathmandu', at: '2026-11-23T04:30:01.000Z' },
    // Lord Howe is on summer time (UTC+11) in November.
    { zone: 'Australia/Lord_Howe', at: '2026-11-22T23:15:01.000Z' },
  ])('Nov 23 10:15:01 in $zone is $at', ({ zone, at }) => {
    const line = 'Nov 23 10:15:01 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2';
    expect(new Date(parseLogTimestamp(line, now, zone)!).toISOString()).toBe(at);
  });

  it('follows the zone across its clock changes', () => {
    // Berlin: CET (UTC+1) until 29 March 2026, 02:00; CEST (UTC+2) after.
    expect(new Date(zonedTime('Europe/Berlin', 2026, 2, 29, 1, 0)).toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(new Date(zonedTime('Europe/Berlin', 2026, 2, 29, 3, 0)).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(new Date(zonedTime('Asia/Kathmandu', 2026, 0, 1, 0, 61_000)).toISOString()).toBe('2025-12-31T18:16:01.000Z');
  });

  it('leaves stamps that name their zone as they say', () => {
    const line = '2026-11-23T10:15:01+00:00 web1 sshd[1]: x';
    expect(new Date(parseLogTimestamp(line, now, 'America/New_York')!).toISOString()).toBe('2026-11-23T10:15:01.000Z');
  });

  it('is what the matcher gives a line of that source', () => {
    const loaded = parseConfig(
      'sources: [{ id: auth, path: /var/log/auth.log, timezone: America/New_York }]\nrules: [{ use: sshd, source: auth }]\n',
      'app.yml',
    );
    const matcher = createSourceMatchers(loaded.rules, loaded.config.sources).get('auth')!;
    const times: number[] = [];
    const data = Buffer.from('Nov 23 10:15:01 web1 sshd[7]: Failed password for root from 203.0.113.7 port 22 ssh2\n');
    matchChunk(matcher, data, (_line, _verdicts, _start, context) => times.push(context.time(now)!), now);
    expect(times.map((t) => new Date(t).toISOString())).toEqual(['2026-11-23T15:15:01.000Z']);
  });

  it('is refused when the zone is not one', () => {
    expect(() =>
      parseConfig(
        'sources: [{ id: auth, path: /a.log, timezone: Mars/Olympus }]\nrules: [{ use: sshd, source: auth }]\n',
        'app.yml',
      ),
    ).toThrow(
      /sources\[0\]\.timezone: "Mars\/Olympus" is not a time zone\. Write an IANA name like Europe\/Berlin or UTC/,
    );
  });
});
