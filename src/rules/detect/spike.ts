// Many more events than usual for the hour of the week: an attack, or a change that breaks logins. Per source and kind
// of event it counts every five minutes and keeps, per hour of the week, the decayed mean and spread of those counts
// (the quiet five minutes too); a count is a spike when it reaches the floor and lies far above both. A spike's own
// counts are not learned, so an attack does not teach it that attacks are usual, and other counts only an hour later.
import { formatDuration } from '../../config/duration.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector, Memory, MemoryView } from './detector.js';
import { HOURS_OF_WEEK, hourOfWeek, hourOfWeekName, sparkline, weekdayTime } from './hours.js';
import { learningLine } from './novelty.js';

const DAY = 24 * 60 * MINUTE;
export const BUCKET = 5 * MINUTE;
/** Weight left to a sample after 48 more of its hour (4 weeks of five-minute counts): half. */
const DECAY = 0.5 ** (1 / 48);
/** A spike is this many standard deviations above the mean, and this many times it. */
const SPREADS = 6;
const TIMES = 5;
/** A spike is also this many times the most seen in five minutes lately (outside spikes): bots' bursts are usual. */
const OVER_PEAK = 1.5;
/** That most halves every two weeks it is not reached again. */
const PEAK_HALF_LIFE = 14 * DAY;
/**
 * A busy five minutes is learned an hour late, so a flood that grows a little every five minutes cannot teach its
 * own hour's mean, spread and peak ahead of itself: it is held against what was usual an hour before.
 */
const SETTLES = 12;
/** Quiet buckets learned at most when events resume: a week of them. */
const MAX_GAP = (7 * DAY) / BUCKET;

interface Stats {
  n: number;
  sum: number;
  squares: number;
}

export const spike: Detector = {
  description: 'far more events of a kind on a source in five minutes than usual for the hour of the week',
  explain: (_t, learn) =>
    `auth.failure, privilege.denied, auth.lockout or web.attack per source in 5 min ≥ ${learn.floor}, ≥ ${TIMES}× and ${SPREADS} deviations above the usual for the hour of the week (${learn.timezone}), after learning ${formatDuration(learn.period)}`,
  after: ['auth.failure', 'privilege.denied', 'auth.lockout', 'web.attack'],
  programs: [],
  patterns: [],
  fields: {},
  adds: {
    source: 'word',
    event: 'word',
    observed: 'int',
    usual: 'text',
    ratio: 'text',
    when: 'text',
    day: 'text',
  },
  severity: 'high',
  threshold: { count: 1, within: BUCKET, by: ['source', 'event'] },
  title: '{event} on {source}: {observed} in 5 minutes at {when}, {ratio}× the usual ({usual})',
  learns: { period: 14 * DAY },
  // Per source and event: an hour of the week's stats each, the five minutes being counted, the peak, and the last
  // hour's counts not learned yet.
  memory: { subjects: 1000, values: HOURS_OF_WEEK + 3, keep: 365 * DAY },
  teach({ fields: { source, event, observed }, at }, memory) {
    const count = Number(observed);
    if (!source || !event || !Number.isFinite(count)) return undefined;
    // The most seen lately becomes this count: the next spike must be half as large again.
    const [peak = 0] = (memory.get(`${source} ${event}`, 'peak')?.data ?? '').split(' ').map(Number);
    memory.see(`${source} ${event}`, 'peak', at, 0, `${Math.max(peak, count)} ${at}`);
    return `${count} ${event} on ${source} in five minutes is usual`;
  },
  describe(source, memory, learn, now) {
    const lines: string[] = [];
    const how = hourOfWeek(now, learn.timezone);
    const day = Math.floor(how / 24) * 24;
    for (const event of spike.after) {
      const subject = `${source} ${event}`;
      if (memory.facts(subject).length === 0) continue;
      const means = Array.from({ length: 24 }, (_, h) => meanOf(read(memory.get(subject, String(day + h))?.data)));
      const [peak = 0] = (memory.get(subject, 'peak')?.data ?? '').split(' ').map(Number);
      const usual = baseline(memory, subject, how);
      lines.push(
        `${event} on ${source}, usual per 5 min by hour on ${hourOfWeekName(day).slice(0, 3)}: ${sparkline(means)} (00–23h); now ${(usual.n > 0 ? usual.sum / usual.n : 0).toFixed(1)}, lately at most ${Math.round(peak)}`,
      );
    }
    return lines.length > 0 ? [...lines, ...learningLine(memory.since, learn.period, now)] : [];
  },
  judge({ at, event, source, times, learn }, memory) {
    const subject = `${source} ${event}`;
    const bucket = Math.floor(at / BUCKET);
    const now = readNow(memory.get(subject, 'now')?.data) ?? { bucket, count: 0, fired: false };
    // A line older than the five minutes being counted (a late writer) is in no count.
    if (bucket < now.bucket) return undefined;
    if (bucket > now.bucket) {
      learnBuckets(memory, subject, now, bucket, at, learn.timezone, learn.floor);
      Object.assign(now, { bucket, count: 0, fired: false });
    }
    now.count += times;
    const learning = at - memory.since < learn.period;
    const how = hourOfWeek(bucket * BUCKET, learn.timezone);
    const usual = baseline(memory, subject, how);
    const mean = usual.n > 0 ? usual.sum / usual.n : 0;
    const spread = usual.n > 0 ? Math.sqrt(Math.max(0, usual.squares / usual.n - mean * mean)) : 0;
    const [peak = 0, peakAt = at] = (memory.get(subject, 'peak')?.data ?? '').split(' ').map(Number);
    const most = peak * 0.5 ** (Math.max(0, at - peakAt) / PEAK_HALF_LIFE);
    if (!learning && !now.fired) {
      now.fired = now.count >= Math.max(learn.floor, mean + SPREADS * spread, TIMES * mean, OVER_PEAK * most);
    }
    memory.see(subject, 'now', at, 0, `${now.bucket} ${now.count} ${now.fired ? 1 : 0}`);
    if (!now.fired) return undefined;
    const day = Math.floor(how / 24) * 24;
    const means = Array.from({ length: 24 }, (_, h) => meanOf(read(memory.get(subject, String(day + h))?.data)));
    return {
      fields: {
        source,
        event,
        observed: String(now.count),
        usual: `${mean.toFixed(1)} per 5 min at ${hourOfWeekName(how)}, spread ${spread.toFixed(1)}; lately at most ${Math.round(most)}`,
        ratio: mean > 0 ? String(Math.round(now.count / mean)) : '∞',
        when: weekdayTime(at, learn.timezone),
        day: `${sparkline(means)} (usual per hour, ${hourOfWeekName(day).slice(0, 3)} 00–23h)`,
      },
      count: now.count,
    };
  },
};

function readNow(data: string | undefined): { bucket: number; count: number; fired: boolean } | undefined {
  if (!data) return undefined;
  const [bucket, count, fired] = data.split(' ').map(Number);
  return { bucket: bucket!, count: count!, fired: fired === 1 };
}

function read(data: string | undefined): Stats {
  if (!data) return { n: 0, sum: 0, squares: 0 };
  const [n, sum, squares] = data.split(' ').map(Number);
  return { n: n!, sum: sum!, squares: squares! };
}

function meanOf(s: Stats): number {
  return s.n > 0 ? s.sum / s.n : 0;
}

/**
 * The hour's stats with its neighbours': three hours of samples, so one burst in one hour stands out less. An hour of
 * the week not seen yet (the first week) is judged by every hour's.
 */
function baseline(memory: MemoryView, subject: string, how: number): Stats {
  const sum = (hours: number[]) => {
    const out = { n: 0, sum: 0, squares: 0 };
    for (const h of hours) {
      const s = read(memory.get(subject, String(h))?.data);
      out.n += s.n;
      out.sum += s.sum;
      out.squares += s.squares;
    }
    return out;
  };
  const near = sum([-1, 0, 1].map((d) => (how + d + HOURS_OF_WEEK) % HOURS_OF_WEEK));
  // An hour's twelve five minutes.
  return near.n >= 12 ? near : sum(Array.from({ length: HOURS_OF_WEEK }, (_, h) => h));
}

/**
 * Learns the five minutes that ended (unless they were a spike) once an hour has passed, and the quiet ones since, up
 * to `bucket`. The five minutes not learned yet are kept as `pending`: `bucket:count …`.
 */
function learnBuckets(
  memory: Memory,
  subject: string,
  ended: { bucket: number; count: number; fired: boolean },
  bucket: number,
  at: number,
  timeZone: string,
  floor: number,
): void {
  const samples = new Map<number, number[]>();
  // An hour's twelve buckets share their hour of the week: one zone lookup each.
  const hours = new Map<number, number>();
  const add = (b: number, count: number) => {
    const hour = Math.floor((b * BUCKET) / (60 * MINUTE));
    const how = hours.get(hour) ?? hourOfWeek(b * BUCKET, timeZone);
    hours.set(hour, how);
    samples.set(how, [...(samples.get(how) ?? []), count]);
  };
  const pending = (memory.get(subject, 'pending')?.data ?? '')
    .split(' ')
    .filter(Boolean)
    .map((pair) => pair.split(':').map(Number) as [number, number]);
  if (!ended.fired && ended.count > 0) pending.push([ended.bucket, ended.count]);
  const settled = pending.filter(([b]) => b < bucket - SETTLES);
  const [peak = 0, peakAt = at, base = 0, baseAt = 0] = (memory.get(subject, 'peak')?.data ?? '')
    .split(' ')
    .map(Number);
  const most = peak * 0.5 ** (Math.max(0, at - peakAt) / PEAK_HALF_LIFE);
  // The peak at most doubles in a day (from the floor): a flood that grows by the hour cannot carry it along.
  const [dayBase, dayAt] = at - baseAt >= DAY ? [most, at] : [base, baseAt];
  const highest = Math.min(Math.max(0, ...settled.map(([, c]) => c)), Math.max(2 * dayBase, floor));
  if (highest > most || dayAt !== baseAt) {
    const kept = highest > most ? `${highest} ${at}` : `${peak} ${peakAt}`;
    memory.see(subject, 'peak', at, 0, `${kept} ${dayBase} ${dayAt}`);
  }
  // A count is learned at most TIMES the usual (or the floor): a flood's counts move the mean and spread no faster.
  for (const [b, c] of settled) {
    const usual = baseline(memory, subject, hourOfWeek(b * BUCKET, timeZone));
    add(b, Math.min(c, Math.max(TIMES * (usual.n > 0 ? usual.sum / usual.n : 0), floor)));
  }
  if (settled.length > 0 || pending.length > 0) {
    memory.see(
      subject,
      'pending',
      at,
      0,
      pending
        .filter(([b]) => b >= bucket - SETTLES)
        .map((p) => p.join(':'))
        .join(' '),
    );
  }
  for (let b = Math.max(ended.bucket + 1, bucket - MAX_GAP); b < bucket; b++) add(b, 0);
  for (const [how, counts] of samples) {
    const s = read(memory.get(subject, String(how))?.data);
    for (const c of counts) {
      s.n = s.n * DECAY + 1;
      s.sum = s.sum * DECAY + c;
      s.squares = s.squares * DECAY + c * c;
    }
    const f = (x: number) => Number(x.toPrecision(6));
    memory.see(subject, String(how), at, counts.length, `${f(s.n)} ${f(s.sum)} ${f(s.squares)}`);
  }
}
