// What a jail would have banned: maxretry failures of one address within findtime, on the log's times; the count
// starts again after a ban.
import { describe, expect, it } from 'vitest';
import { summariseBans } from '../../../src/rules/fail2ban/ban-summary.js';

const MIN = 60_000;
const at = (host: string, minutes: number) => ({ host, time: minutes * MIN });

describe('summariseBans', () => {
  it('bans an address at maxretry failures within findtime, and counts again after', () => {
    const failures = [
      at('a', 0),
      at('b', 1),
      at('a', 2),
      at('a', 4), // a: 3 within 10 minutes → ban
      at('a', 5),
      at('a', 30), // the window starts again after the ban; 5 and 30 are too far apart
      at('b', 20),
      at('b', 40), // b never has 3 within 10 minutes
      at('a', 31),
      at('a', 32), // a: 30, 31, 32 → second ban
    ];
    expect(summariseBans(failures, 3, 10 * MIN)).toEqual({ bans: 2, byHost: [['a', 2]] });
    expect(summariseBans(failures, 1, MIN)).toMatchObject({
      bans: 10,
      byHost: [
        ['a', 7],
        ['b', 3],
      ],
    });
  });
});
