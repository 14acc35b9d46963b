// A source that stops being written: a log daemon that died, a disk that filled, a log wiped by an intruder, a
// forwarder cut off. The quietest sign of trouble, and detection's own health. It learns, per source and hour of the
// week, the longest gap between reads lately (decayed), and speaks once the silence lasts far longer than that.
import { formatDuration, formatRoughly } from '../../config/duration.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector, Memory, MemoryView } from './detector.js';
import { HOURS_OF_WEEK, hourOfWeek, sparkline, weekdayTime } from './hours.js';
import { learningLine } from './novelty.js';

const DAY = 24 * 60 * MINUTE;
/** A silence is this many times the longest usual gap at its hour (and its neighbours). */
const TIMES = 3;
/** The longest usual gap halves every two weeks it is not seen again. */
const HALF_LIFE = 14 * DAY;
/** A gap longer than this is not learned as usual (a silence, or logwarden stopped). */
const LONGEST_USUAL = 6 * 60 * MINUTE;
const LAST = 'last';

export const sourceQuiet: Detector = {
  description: 'a source silent for far longer than its usual gaps at that hour',
  explain: (t, learn) =>
    `no line for ${TIMES}× the longest usual gap at the hour of the week (${learn.timezone}), and at least ${formatDuration(t.within)}, after learning ${formatDuration(learn.period)}`,
  after: [],
  programs: [],
  patterns: [],
  fields: {},
  adds: { source: 'word', silent: 'text', usual: 'text', since: 'text' },
  severity: 'high',
  // `within`: the shortest silence it speaks of.
  threshold: { count: 1, within: 15 * MINUTE, by: ['source'] },
  title: '{source} has been silent for {silent} (usually under {usual}), since {since}',
  learns: { period: 7 * DAY },
  hears: true,
  memory: { subjects: 1000, values: HOURS_OF_WEEK + 1, keep: 365 * DAY },
  judge({ event, source, at, learn }, memory) {
    if (event !== 'source.read') return undefined;
    const [last, fired] = (memory.get(source, LAST)?.data ?? '').split(' ').map(Number);
    if (last !== undefined && !Number.isNaN(last) && at > last && fired !== 1) {
      const gap = at - last;
      const how = String(hourOfWeek(last, learn.timezone));
      const usual = longest(memory, source, Number(how), at);
      if (gap <= LONGEST_USUAL && gap > usual) memory.see(source, how, at, 1, `${gap} ${at}`);
    }
    if (last === undefined || Number.isNaN(last) || at >= last) memory.see(source, LAST, at, 1, `${at} 0`);
    return undefined;
  },
  teach({ fields: { source }, firstSeen, at, learn }, memory) {
    if (!source) return undefined;
    // The silence, from the last line before it to when it was told, is a usual gap at that hour.
    const how = hourOfWeek(firstSeen, learn.timezone);
    const gap = Math.max(0, at - firstSeen);
    memory.see(source, String(how), at, 1, `${gap} ${at}`);
    return `a gap of ${formatDuration(Math.floor(gap / MINUTE) * MINUTE)} is usual for ${source} at ${weekdayTime(firstSeen, learn.timezone).slice(0, 3)} ${String(how % 24).padStart(2, '0')}:00`;
  },
  describe(source, memory, learn, now) {
    const last = memory.get(source, LAST);
    if (!last?.data) return [];
    const day = Math.floor(hourOfWeek(now, learn.timezone) / 24) * 24;
    const gaps = Array.from({ length: 24 }, (_, h) => longest(memory, source, day + h, now));
    const [at = now] = last.data.split(' ').map(Number);
    return [
      `${source}: last read ${formatRoughly(now - at)} ago; longest usual gap by hour today: ${sparkline(gaps)} (00–23h), at most ${formatDuration(Math.ceil(Math.max(...gaps, MINUTE) / MINUTE) * MINUTE)}`,
      ...learningLine(memory.since, learn.period, now),
    ];
  },
  tick({ now, sources, threshold, learn }, memory) {
    const found = [];
    for (const source of sources) {
      const fact = memory.get(source, LAST);
      if (!fact?.data || now - memory.since < learn.period) continue;
      const [last = now, fired] = fact.data.split(' ').map(Number);
      if (fired === 1) continue;
      const how = hourOfWeek(last, learn.timezone);
      const usual = Math.max(pooled(memory, source, how, now), MINUTE);
      const silent = now - last;
      if (silent < Math.max(threshold.within, TIMES * usual)) continue;
      memory.see(source, LAST, last, 0, `${last} 1`);
      found.push({
        fields: {
          source,
          silent: formatDuration(Math.floor(silent / MINUTE) * MINUTE),
          usual: formatDuration(Math.ceil(usual / MINUTE) * MINUTE),
          since: weekdayTime(last, learn.timezone),
        },
        since: last,
      });
    }
    return found;
  },
};

/** The longest usual gap starting in this hour of the week, decayed to `at`. */
function longest(memory: MemoryView, source: string, how: number, at: number): number {
  const [gap = 0, seen = at] = (memory.get(source, String(how))?.data ?? '').split(' ').map(Number);
  return gap * 0.5 ** (Math.max(0, at - seen) / HALF_LIFE);
}

/** The longest usual gap of the hour and its neighbours. */
function pooled(memory: Memory, source: string, how: number, at: number): number {
  return Math.max(...[-1, 0, 1].map((d) => longest(memory, source, (how + d + HOURS_OF_WEEK) % HOURS_OF_WEEK, at)));
}
