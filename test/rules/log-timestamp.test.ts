import { describe, expect, it } from 'vitest';
import { parseLogHost, parseLogTimestamp } from '../../src/rules/log-timestamp.js';

// A day after the lines: local stamps are in the past in every zone (UTC−12 to UTC+14).
const now = Date.parse('2026-11-24T12:00:00Z');

describe('parseLogTimestamp', () => {
  it.each([
    { line: '2026-11-23T10:15:01.123456+00:00 web1 sshd[1]: x', at: '2026-11-23T10:15:01.123Z' },
    { line: '2026-11-23T11:15:01+01:00 web1 sshd[1]: x', at: '2026-11-23T10:15:01.000Z' },
    { line: '2026-11-23T10:15:01Z x', at: '2026-11-23T10:15:01.000Z' },
    { line: '2026-11-23T06:15:01.5-0400 web1 sshd[1]: x', at: '2026-11-23T10:15:01.500Z' },
    { line: '2026-11-23T10:15:01,25 UTC x', at: '2026-11-23T10:15:01.250Z' },
    { line: 'Mon 2026-11-23 10:15:01 UTC web1 sshd[1]: x', at: '2026-11-23T10:15:01.000Z' },
    { line: 'Mon 2026-11-23 10:15:01 CET web1 sshd[1]: x', at: new Date(2026, 10, 23, 10, 15, 1).toISOString() },
    { line: '2026/11/23 10:15:01 [error] 812#812: *5 x', at: new Date(2026, 10, 23, 10, 15, 1).toISOString() },
    { line: 'Nov  3 2026 10:15:01.123456 web1 su[5]: x', at: new Date(2026, 10, 3, 10, 15, 1, 123).toISOString() },
    { line: 'Nov 6 10:15:01 web1 sshd[1]: x', at: new Date(2026, 10, 6, 10, 15, 1).toISOString() },
    { line: 'Nov  16 10:15:01 web1 sshd[1]: x', at: new Date(2026, 10, 16, 10, 15, 1).toISOString() },
    { line: '1.2.3.4 - - [23/Nov/2026:10:15:01 -0200] "GET / HTTP/1.1" 200 1', at: '2026-11-23T12:15:01.000Z' },
  ])('reads $line', ({ line, at }) => {
    expect(new Date(parseLogTimestamp(line, now)!).toISOString()).toBe(at);
  });

  it('reads syslog time as local time of this year, or last year for a December line in January', () => {
    expect(parseLogTimestamp('Nov 23 10:15:01 web1 x', now)).toBe(new Date(2026, 10, 23, 10, 15, 1).getTime());
    const january = new Date(2027, 0, 2).getTime();
    expect(parseLogTimestamp('Dec 31 23:59:59 web1 x', january)).toBe(new Date(2026, 11, 31, 23, 59, 59).getTime());
  });

  it.each(['no time here', '2026-11-26T12:00:00Z in the future', 'Foo 23 10:15:01 web1'])('gives up on %s', (line) => {
    expect(parseLogTimestamp(line, now)).toBeUndefined();
  });
});

describe('parseLogHost', () => {
  it.each([
    { line: 'Nov 23 10:15:01 web1 sshd[1]: Failed password', host: 'web1' },
    { line: 'Nov  3 10:15:01 db-2.example.com sudo: alice : x', host: 'db-2.example.com' },
    { line: '2026-11-23T10:15:01.123456+00:00 bastion sshd-session[9]: Invalid user', host: 'bastion' },
    { line: '203.0.113.7 - - [23/Nov/2026:10:15:01 +0000] "GET / HTTP/1.1" 200 1', host: undefined },
  ])('reads $host from $line', ({ line, host }) => {
    expect(parseLogHost(line)).toBe(host);
  });
});

describe('parseLogTimestamp after a bad stamp', () => {
  it('reads a valid line right though an invalid day of the same hour came first', () => {
    const later = Date.parse('2026-06-01T00:00:00Z');
    // Jan 33 is Feb 2 to Date; it must not stand for the hour of Feb 1 afterwards.
    parseLogTimestamp('Jan 33 10:00:00 web1 sshd[1]: x', later);
    expect(parseLogTimestamp('Feb  1 10:20:00 web1 sshd[1]: x', later)).toBe(new Date(2026, 1, 1, 10, 20).getTime());
    parseLogTimestamp('2026-03-33T09:00:00 web1 sshd[1]: x', later);
    expect(parseLogTimestamp('2026-04-01T09:20:00 web1 sshd[1]: x', later)).toBe(new Date(2026, 3, 1, 9, 20).getTime());
  });
});
