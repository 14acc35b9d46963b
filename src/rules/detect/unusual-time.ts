// A login at an hour of the week the user almost never logs in: a stolen credential used while its owner sleeps. It
// keeps each user's logins per hour of the week, smoothed over neighbouring hours and alike days, and speaks once the
// user has a history: when the hours at most as usual as this one hold under 1% of the user's logins.
import { formatDuration } from '../../config/duration.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector } from './detector.js';
import { HOURS_OF_WEEK, hourOfWeek, hourOfWeekName, sparkline, weekdayTime } from './hours.js';
import { LOGIN_FIELDS, SESSION_PROGRAMS, SSH_LOGINS, SU_SESSIONS } from './logins.js';
import { learningLine } from './novelty.js';

const DAY = 24 * 60 * MINUTE;
/** Below this share of the user's logins, the hours at most as usual as this one are unusual. */
const RARE = 0.01;
/** The shortest span of hours of the day holding this share of logins is the user's usual hours. */
const USUAL = 0.8;

export const unusualTime: Detector = {
  description: 'a login (sshd, or su by a named user) at an hour of the week the user almost never logs in',
  explain: (_t, learn) =>
    `auth.success at an hour of the week (${learn.timezone}) holding under ${RARE * 100}% of the user's logins, after ${learn.history} logins and ${formatDuration(learn.period)} of learning`,
  after: [],
  event: 'auth.success',
  programs: SESSION_PROGRAMS,
  patterns: [...SSH_LOGINS, ...SU_SESSIONS],
  fields: { ...LOGIN_FIELDS, target: 'user' },
  adds: { when: 'text', usual: 'text', logins: 'int', hours: 'text' },
  severity: 'medium',
  // One incident per user at a time; later odd logins fold in.
  threshold: { count: 1, within: DAY, by: ['user'] },
  title: '{user} logged in ({method}) at {when}, an hour they almost never log in (usually {usual})',
  learns: { period: 7 * DAY },
  // A count per hour of the week, 10,000 users, kept a year.
  memory: { subjects: 10_000, values: HOURS_OF_WEEK, keep: 365 * DAY },
  teach({ fields: { user }, firstSeen, learn }, memory) {
    if (!user) return undefined;
    const how = hourOfWeek(firstSeen, learn.timezone);
    memory.see(user, String(how), firstSeen);
    return `${hourOfWeekName(how)} is an hour ${user} logs in`;
  },
  describe(user, memory, learn, now) {
    const counts = new Array<number>(HOURS_OF_WEEK).fill(0);
    for (const f of memory.facts(user)) counts[Number(f.value)] = f.count;
    const logins = counts.reduce((a, b) => a + b, 0);
    if (logins === 0) return [];
    return [
      `${user}'s ${logins} logins by hour (${learn.timezone}): ${sparkline(hoursOfDay(counts))} (00–23h), usually ${usualHours(counts)}`,
      ...(logins < learn.history ? [`learning: it speaks after ${learn.history} logins`] : []),
      ...learningLine(memory.since, learn.period, now),
    ];
  },
  judge({ fields: { user }, at, learn }, memory) {
    if (user === undefined) return undefined;
    const counts = new Array<number>(HOURS_OF_WEEK).fill(0);
    for (const f of memory.facts(user)) counts[Number(f.value)] = f.count;
    const how = hourOfWeek(at, learn.timezone);
    const logins = counts.reduce((a, b) => a + b, 0);
    const learning = logins < learn.history || at - memory.since < learn.period;
    const smooth = smoothed(counts);
    const total = smooth.reduce((a, b) => a + b, 0);
    const here = smooth[how]!;
    const rarer = smooth.reduce((sum, s) => (s <= here ? sum + s : sum), 0);
    // A login it speaks of is not learned as usual: an intruder's nights do not become the user's hours.
    if (learning || rarer / total >= RARE) {
      memory.see(user, String(how), at);
      return undefined;
    }
    const byHour = hoursOfDay(counts);
    return {
      fields: {
        when: weekdayTime(at, learn.timezone),
        usual: usualHours(counts),
        logins: String(logins),
        hours: `${sparkline(byHour)} (00–23h)`,
      },
    };
  },
};

/** Each hour of the week with its neighbours (±1 hour) and the same hours of alike days (weekdays, weekend). */
export function smoothed(counts: readonly number[]): number[] {
  const out = new Array<number>(HOURS_OF_WEEK).fill(0);
  for (let b = 0; b < HOURS_OF_WEEK; b++) {
    const day = Math.floor(b / 24);
    const hour = b % 24;
    let s = 0;
    for (let d = 0; d < 7; d++) {
      const weight = d === day ? 1 : d >= 5 === day >= 5 ? 0.25 : 0.05;
      for (const delta of [-1, 0, 1]) {
        const c = counts[d * 24 + ((hour + delta + 24) % 24)]!;
        s += c * weight * (delta === 0 ? 1 : 0.5);
      }
    }
    out[b] = s;
  }
  return out;
}

function hoursOfDay(counts: readonly number[]): number[] {
  const out = new Array<number>(24).fill(0);
  counts.forEach((c, b) => {
    out[b % 24]! += c;
  });
  return out;
}

/** "08:00–18:00, Mon–Fri": the shortest span of hours holding most logins, and the days when the weekend has few. */
export function usualHours(counts: readonly number[]): string {
  const byHour = hoursOfDay(counts);
  const total = byHour.reduce((a, b) => a + b, 0);
  let best = { start: 0, length: 24 };
  for (let start = 0; start < 24; start++) {
    let sum = 0;
    for (let length = 1; length <= 24; length++) {
      sum += byHour[(start + length - 1) % 24]!;
      if (sum >= USUAL * total) {
        if (length < best.length) best = { start, length };
        break;
      }
    }
  }
  const weekend = counts.slice(5 * 24).reduce((a, b) => a + b, 0);
  const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
  const span = best.length >= 24 ? 'at any hour' : `${hh(best.start)}–${hh(best.start + best.length)}`;
  return `${span}${weekend < 0.05 * total ? ', Mon–Fri' : ''}`;
}
