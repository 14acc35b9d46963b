// fail2ban's date detection: the date is found (default templates or a datepattern), turned into a time, and cut
// out of the line the regexes then see.
import { describe, expect, it } from 'vitest';
import { createDateDetector, type FoundDate } from '../../../src/rules/fail2ban/date-detector.js';

const NOW = new Date(2026, 10, 24, 12, 0, 0).getTime();
// What a detector found, as plain values.
const read = (found: FoundDate | undefined) => found && { time: found.time(), rest: found.rest };
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
    expect(read(createDateDetector().find(line, NOW))).toEqual({ time, rest });
  });

  it('uses a filter datepattern, line by line, {^LN-BEG} standing for the defaults at the start', () => {
    const detector = createDateDetector('{^LN-BEG}%b-%d-%Exy %H:%M:%S\n{^LN-BEG}');
    expect(read(detector.find('Apr-27-13 02:33:06 [SSL-out] x', NOW))).toEqual({
      time: local(2013, 3, 27, 2, 33, 6),
      rest: ' [SSL-out] x',
    });
    expect(detector.find('Nov 23 10:00:01 x', NOW)?.rest).toBe(' x');
    expect(detector.find('x Nov 23 10:00:01', NOW)).toBeUndefined();
  });

  it('finds no date where there is none', () => {
    expect(createDateDetector().find('no date here', NOW)).toBeUndefined();
  });
  it("gives a continuation line (an empty date, as guacamole's ^WARNING:()**) the time of the line before", () => {
    const detector = createDateDetector('%b %d, %Y %I:%M:%S %p\n^WARNING:()**');
    expect(read(detector.find('WARNING: before any date', NOW))).toBeUndefined();
    expect(read(detector.find('Jul 03, 2026 11:02:03 AM org.x.Auth', NOW))).toEqual({
      time: local(2026, 6, 3, 11, 2, 3),
      rest: ' org.x.Auth',
    });
    expect(read(detector.find('WARNING: Authentication attempt from 10.0.0.1 failed.', NOW))).toEqual({
      time: local(2026, 6, 3, 11, 2, 3),
      rest: 'WARNING: Authentication attempt from 10.0.0.1 failed.',
    });
  });

  it('reads the same date text twice as the same time, and a new one anew', () => {
    const detector = createDateDetector();
    const first = detector.find('Nov 23 10:00:01 a', NOW);
    const second = detector.find('Nov 23 10:00:01 b', NOW);
    const third = detector.find('Nov 23 10:00:02 c', NOW);
    expect([first?.time(), second?.time(), third?.time()]).toEqual([
      local(2026, 10, 23, 10, 0, 1),
      local(2026, 10, 23, 10, 0, 1),
      local(2026, 10, 23, 10, 0, 2),
    ]);
  });
});
