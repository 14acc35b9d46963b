// Local times in a zone whose clock changes by half an hour in the middle of an hour (Lord Howe Island): the time
// zone is set for this file alone, so the result does not depend on the machine's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogTimestamp } from '../../src/rules/log-timestamp.js';

describe('local stamps across a half-hour clock change', () => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Australia/Lord_Howe';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('reads 02:45 on the morning clocks go forward at 02:00 by half an hour as Date does', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    // Lord Howe moves from +10:30 to +11:00 at 02:00 on the first Sunday of October.
    const expected = new Date(2026, 9, 4, 2, 45).getTime();
    expect(new Date(expected).toISOString()).toBe('2026-10-03T15:45:00.000Z');
    expect(parseLogTimestamp('2026-10-04T02:15:00 h sshd[1]: x', now)).toBe(new Date(2026, 9, 4, 2, 15).getTime());
    expect(parseLogTimestamp('2026-10-04T02:45:00 h sshd[1]: x', now)).toBe(expected);
    expect(parseLogTimestamp('Oct  4 02:45:00 h sshd[1]: x', now)).toBe(expected);
  });
});
