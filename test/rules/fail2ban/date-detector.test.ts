// fail2ban's date detection: the date is found (default templates or a datepattern), turned into a time, and cut
// out of the line the regexes then see.
import { describe, expect, it } from 'vitest';
import { createDateDetector } from '../../../src/rules/fail2ban/date-detector.js';

const NOW = new Date(2026, 10, 24, 12, 0, 0).getTime();
const local = (...parts: [number, number, number, number, number, number]) => new Date(...parts).getTime();

describe('createDateDetector', () => {
  it.each([
    ['Nov 23 10:00:01 web1 sshd[1]: x', local(2026, 10, 23, 10, 0, 1), ' web1 sshd[1]: x'],
    ['Dec 31 23:59:59 web1 x', local(2025, 11, 31, 23, 59, 59), ' web1 x'],
    ['2026-11-23 10:00:01 app: x', local(2026, 10, 23, 10, 0, 1), ' app: x'],
    ['2026-11-23T10:00:01.250Z app', Date.UTC(2026, 10, 23, 10, 0, 1, 250), ' app'],
    ['1.2.3.4 - - [23/Nov/2026:10:00:01 +0100] "GET /"', Date.UTC(2026, 10, 23, 9, 0, 1), '1.2.3.4 - - [] "GET /"'],
    ['1795000000 x', 1_795_000_000_000, ' x'],
  ])('finds the date in %j', (line, time, rest) => {
    expect(createDateDetector().find(line, NOW)).toEqual({ time, rest });
  });

  it('uses a filter datepattern, line by line, {^LN-BEG} standing for the defaults at the start', () => {
    const detector = createDateDetector('{^LN-BEG}%b-%d-%Exy %H:%M:%S\n{^LN-BEG}');
    expect(detector.find('Apr-27-13 02:33:06 [SSL-out] x', NOW)).toEqual({
      time: local(2013, 3, 27, 2, 33, 6),
      rest: ' [SSL-out] x',
    });
    expect(detector.find('Nov 23 10:00:01 x', NOW)?.rest).toBe(' x');
    expect(detector.find('x Nov 23 10:00:01', NOW)).toBeUndefined();
  });

  it('finds no date where there is none', () => {
    expect(createDateDetector().find('no date here', NOW)).toBeUndefined();
  });
});
