// Hours of the week in a zone, and the small text sparklines incidents explain themselves with. Pure.
import { localParts } from '../../core/zoned-time.js';

export const HOURS_OF_WEEK = 168;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

// The last answer: a zone's offset is a whole number of quarter hours, so a quarter hour has one hour of the week.
const QUARTER = 15 * 60_000;
let last = { zone: '', quarter: Number.NaN, how: 0 };

/** Monday 00:00–00:59 is 0, Sunday 23:00–23:59 is 167, in the zone's wall-clock time. */
export function hourOfWeek(at: number, timeZone: string): number {
  const quarter = Math.floor(at / QUARTER);
  if (last.quarter === quarter && last.zone === timeZone) return last.how;
  const t = localParts(at, timeZone);
  last = { zone: timeZone, quarter, how: t.weekday * 24 + t.hour };
  return last.how;
}

/** "Tue 03:14", in the zone's wall-clock time. */
export function weekdayTime(at: number, timeZone: string): string {
  const t = localParts(at, timeZone);
  return `${DAYS[t.weekday]} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

/** "Tue 03:00" for an hour of the week. */
export function hourOfWeekName(how: number): string {
  return `${DAYS[Math.floor(how / 24) % 7]} ${String(how % 24).padStart(2, '0')}:00`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** Values as bars, the largest full height; all zero is all low. */
export function sparkline(values: readonly number[]): string {
  const top = Math.max(...values, 0);
  return values.map((v) => BARS[top > 0 ? Math.min(7, Math.floor((v / top) * 7.999)) : 0]).join('');
}
