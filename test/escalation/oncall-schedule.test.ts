import { describe, expect, it } from 'vitest';
import type { OncallConfig } from '../../src/config/schema.js';
import { whoIsOnCall } from '../../src/escalation/oncall-schedule.js';

const person = (name: string) => ({ name, email: `${name.toLowerCase()}@example.com` });
const SCHEDULE: OncallConfig = {
  timezone: 'Europe/Berlin',
  handoff: { weekday: 'monday', time: '09:00' },
  start: '2026-11-02',
  rotation: [person('Alice'), person('Bob'), person('Carol')],
  overrides: [{ from: '2026-11-24', to: '2026-11-26T18:00', person: person('Dave') }],
};
const at = (iso: string) => Date.parse(iso);
const names = (iso: string, schedule = SCHEDULE) => {
  const who = whoIsOnCall(schedule, at(iso));
  return {
    primary: who.primary.name,
    secondary: who.secondary?.name,
    until: new Date(who.until).toISOString(),
    next: who.next.name,
  };
};

describe('whoIsOnCall', () => {
  it('hands over every week at the local time, and counts weeks back before the start', () => {
    expect(names('2026-11-02T08:00:00Z')).toEqual({
      primary: 'Alice',
      secondary: 'Bob',
      until: '2026-11-09T08:00:00.000Z',
      next: 'Bob',
    });
    expect(names('2026-11-02T07:59:00Z')).toMatchObject({ primary: 'Carol', next: 'Alice' });
    expect(names('2026-11-18T12:00:00Z')).toMatchObject({ primary: 'Carol', secondary: 'Alice' });
  });

  it('keeps the local handoff time across a DST change', () => {
    // 09:00 in Berlin is 08:00Z in winter and 07:00Z in summer; 21 weeks after the start, Alice again.
    expect(names('2027-03-29T06:59:00Z')).toMatchObject({ primary: 'Carol', until: '2027-03-29T07:00:00.000Z' });
    expect(names('2027-03-29T07:00:00Z')).toMatchObject({ primary: 'Alice' });
  });

  it('puts an override first, with the scheduled person as secondary, until it ends', () => {
    expect(names('2026-11-24T12:00:00Z')).toEqual({
      primary: 'Dave',
      secondary: 'Alice',
      until: '2026-11-26T17:00:00.000Z',
      next: 'Alice',
    });
    expect(names('2026-11-23T22:59:00Z')).toMatchObject({ primary: 'Alice', next: 'Dave' });
  });

  it('has no secondary with a rotation of one', () => {
    expect(whoIsOnCall({ ...SCHEDULE, rotation: [person('Solo')], overrides: [] }, at('2026-11-24T12:00:00Z'))).toEqual(
      {
        primary: person('Solo'),
        until: at('2026-11-30T08:00:00Z'),
        next: person('Solo'),
        override: false,
      },
    );
  });
});
