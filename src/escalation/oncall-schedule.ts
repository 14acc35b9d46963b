// Who is on call at a given instant: a weekly rotation handing over on a weekday and local time in a time zone,
// with dated overrides. Shifts are counted on the local calendar, so a DST change moves no handoff. Pure.
import type { OncallConfig, Person } from '../config/schema.js';
import { localParts, localToInstant, WEEKDAY_INDEX } from '../core/zoned-time.js';

const DAY = 86_400_000;

export interface OnCall {
  primary: Person;
  /** The next person in the rotation, when there is another. */
  secondary?: Person;
  /** Until when this holds: the next handoff, or the end of an override. */
  until: number;
  /** Who is primary from `until`. */
  next: Person;
  /** The primary is there by an override. */
  override: boolean;
}

/** `2026-12-24` or `2026-12-24T18:00`, in the schedule's time zone. */
export function parseLocalDateTime(text: string, timeZone: string): number {
  const [date, time = '00:00'] = text.split('T');
  const [year, month, day] = date!.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return localToInstant({ year: year!, month: month!, day: day!, hour: hour!, minute: minute! }, timeZone);
}

const dayNumber = (t: { year: number; month: number; day: number }) => Date.UTC(t.year, t.month - 1, t.day) / DAY;

export function whoIsOnCall(schedule: OncallConfig, now: number): OnCall {
  const { timezone, handoff, rotation } = schedule;
  const [hour, minute] = handoff.time.split(':').map(Number) as [number, number];
  const local = localParts(now, timezone);
  // The local date of the latest handoff at or before now.
  let back = (local.weekday - WEEKDAY_INDEX[handoff.weekday]! + 7) % 7;
  const handoffOn = (daysBack: number) => {
    const d = new Date(Date.UTC(local.year, local.month - 1, local.day - daysBack));
    const date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    return { date, at: localToInstant({ ...date, hour, minute }, timezone) };
  };
  let last = handoffOn(back);
  if (last.at > now) {
    back += 7;
    last = handoffOn(back);
  }
  const nextHandoff = handoffOn(back - 7).at;
  const [startYear, startMonth, startDay] = schedule.start.slice(0, 10).split('-').map(Number);
  const shift = Math.floor(
    (dayNumber(last.date) - dayNumber({ year: startYear!, month: startMonth!, day: startDay! })) / 7,
  );
  const at = (n: number) => rotation[((n % rotation.length) + rotation.length) % rotation.length]!;
  const scheduled = at(shift);
  const override = schedule.overrides.find(
    (o) => parseLocalDateTime(o.from, timezone) <= now && now < parseLocalDateTime(o.to, timezone),
  );
  const primary = override?.person ?? scheduled;
  // This holds until the next handoff, the override's end, or the next override's start, whichever comes first.
  const starts = schedule.overrides.map((o) => parseLocalDateTime(o.from, timezone)).filter((t) => t > now);
  const until = Math.min(nextHandoff, ...starts, override ? parseLocalDateTime(override.to, timezone) : Infinity);
  const secondaryCandidate = override ? scheduled : at(shift + 1);
  const after = until === nextHandoff ? at(shift + 1) : scheduled;
  const nextOverride = schedule.overrides.find(
    (o) => parseLocalDateTime(o.from, timezone) <= until && until < parseLocalDateTime(o.to, timezone),
  );
  return {
    primary,
    ...(secondaryCandidate.email !== primary.email ? { secondary: secondaryCandidate } : {}),
    until,
    next: nextOverride?.person ?? after,
    override: override !== undefined,
  };
}
