// A source that stops being written: a log daemon that died, a disk that filled, a log wiped by an intruder, a
// forwarder cut off. The quietest sign of trouble, and detection's own health. It learns, per source and hour of the
// week, the longest gap between reads lately (decayed), and speaks once the silence lasts far longer than that. The
// same for the lines its rules match: a source still written whose rules no longer match (a program's new format, a
// config change) is blind as surely. And a source that cannot be read (permissions, journalctl gone) for `within`.
// Each sender of a network source (syslog, http) is heard as a source of its own: a host that stops sending.
import { formatDuration, formatRoughly } from '../../config/duration.js';
import { stripControls } from '../../core/text.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector, Judgement, Memory, MemoryView } from './detector.js';
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
/** The last read in which a rule matched a line, and whether a silence of matches was told. */
const MATCHED = 'matched';
/** Since when the source cannot be read, and whether it was told. */
const BROKEN = 'broken';
/** The hours of the week of gaps between matches are learned as `m<hour>`. */
const MATCH_GAP = 'm';
/** Matches are missed only where the source usually has them: at least this often at that hour. */
const MATCHES_AT_MOST_APART = 60 * MINUTE;

export const sourceQuiet: Detector = {
  description: 'a source silent for far longer than its usual gaps at that hour',
  explain: (t, learn) =>
    `no line for ${TIMES}× the longest usual gap at the hour of the week (${learn.timezone}), and at least ${formatDuration(t.within)}, after learning ${formatDuration(learn.period)}`,
  after: [],
  programs: [],
  patterns: [],
  fields: {},
  adds: { source: 'word', finding: 'text', kind: 'word', silent: 'text', usual: 'text', since: 'text' },
  severity: 'high',
  // `within`: the shortest silence it speaks of.
  threshold: { count: 1, within: 15 * MINUTE, by: ['source'] },
  title: '{source} {finding}, since {since}',
  learns: { period: 7 * DAY },
  hears: true,
  // Per source: the longest gap between reads and between matches by hour of the week, and three marks.
  memory: { subjects: 1000, values: 2 * HOURS_OF_WEEK + 3, keep: 365 * DAY },
  judge({ event, source, at, learn, fields }, memory) {
    if (event !== 'source.read') return undefined;
    const silenceTold = markOf(memory, source, LAST)?.told === true;
    learnGap(memory, source, LAST, '', at, learn.timezone);
    // After a silence told, the gap across it is no usual gap between matches, and matches are not awaited again until
    // one comes: the same outage is told once.
    if (Number(fields.matched) > 0) {
      if (silenceTold) memory.see(source, MATCHED, at, 1, `${at} 0`);
      else learnGap(memory, source, MATCHED, MATCH_GAP, at, learn.timezone);
    } else if (silenceTold && memory.get(source, MATCHED)) memory.see(source, MATCHED, at, 0, `${at} 1`);
    return undefined;
  },
  teach({ fields: { source, kind }, firstSeen, at, learn }, memory) {
    if (!source || kind === 'unreadable') return undefined;
    // The silence, from the last line (or match) before it to when it was told, is a usual gap at that hour.
    const how = hourOfWeek(firstSeen, learn.timezone);
    const gap = Math.max(0, at - firstSeen);
    memory.see(source, `${kind === 'unmatched' ? MATCH_GAP : ''}${how}`, at, 1, `${gap} ${at}`);
    if (kind === 'unmatched') {
      return `${formatDuration(Math.floor(gap / MINUTE) * MINUTE)} without a match is usual for ${source} at ${weekdayTime(firstSeen, learn.timezone).slice(0, 3)} ${String(how % 24).padStart(2, '0')}:00`;
    }
    return `a gap of ${formatDuration(Math.floor(gap / MINUTE) * MINUTE)} is usual for ${source} at ${weekdayTime(firstSeen, learn.timezone).slice(0, 3)} ${String(how % 24).padStart(2, '0')}:00`;
  },
  describe(source, memory, learn, now) {
    const last = memory.get(source, LAST);
    if (!last?.data) return [];
    const day = Math.floor(hourOfWeek(now, learn.timezone) / 24) * 24;
    const gaps = Array.from({ length: 24 }, (_, h) => longest(memory, source, String(day + h), now));
    const matchGaps = Array.from({ length: 24 }, (_, h) => longest(memory, source, `${MATCH_GAP}${day + h}`, now));
    const [at = now] = last.data.split(' ').map(Number);
    return [
      `${source}: last read ${formatRoughly(now - at)} ago; longest usual gap by hour today: ${sparkline(gaps)} (00–23h), at most ${formatDuration(Math.ceil(Math.max(...gaps, MINUTE) / MINUTE) * MINUTE)}`,
      ...(matchGaps.some((g) => g > 0)
        ? [
            `${source}: longest usual gap between lines its rules match, by hour today: ${sparkline(matchGaps)} (00–23h), at most ${formatDuration(Math.ceil(Math.max(...matchGaps, MINUTE) / MINUTE) * MINUTE)}`,
          ]
        : []),
      ...learningLine(memory.since, learn.period, now),
    ];
  },
  tick({ now, sources, problems, threshold, learn }, memory) {
    const found: Judgement[] = [];
    const minutes = (ms: number) => formatDuration(Math.floor(ms / MINUTE) * MINUTE);
    // A gap told: how long, against the usual longest, since when.
    const tell = (
      source: string,
      kind: string,
      since: number,
      gap: number,
      usual: number,
      say: (gap: string, usual: string) => string,
    ) => {
      const fields = {
        source,
        silent: minutes(gap),
        usual: formatDuration(Math.ceil(usual / MINUTE) * MINUTE),
        since: weekdayTime(since, learn.timezone),
      };
      found.push({ fields: { ...fields, kind, finding: say(fields.silent, fields.usual) }, since });
    };
    // The sources, and the senders of network sources heard as sources of their own (`fleet 10.0.0.5`).
    const known = [...memory.subjects()];
    const heard = [...sources, ...known.filter((s) => sources.some((source) => s.startsWith(`${source} `)))];
    for (const source of heard) {
      // Unreadable: told once it lasts `within`, learning or not (nothing is learned of it).
      const problem = problems.get(source);
      const broken = markOf(memory, source, BROKEN);
      if (problem === undefined) {
        if (broken) memory.forget(source, BROKEN);
      } else if (!broken) {
        memory.see(source, BROKEN, now, 0, `${now} 0`);
      } else if (!broken.told && now - broken.at >= threshold.within) {
        const brokenSince = broken.at;
        memory.see(source, BROKEN, now, 0, `${brokenSince} 1`);
        const since = weekdayTime(brokenSince, learn.timezone);
        found.push({
          fields: {
            source,
            kind: 'unreadable',
            finding: `cannot be read (${stripControls(problem).slice(0, 200)}) for ${minutes(now - brokenSince)}`,
            silent: minutes(now - brokenSince),
            usual: '-',
            since,
          },
          since: brokenSince,
        });
      }
      if (now - memory.since < learn.period) continue;
      const read = markOf(memory, source, LAST);
      if (!read) continue;
      const last = read.at;
      if (!read.told) {
        const how = hourOfWeek(last, learn.timezone);
        const usual = Math.max(pooled(memory, source, '', how, now), MINUTE);
        const silent = now - last;
        if (silent >= Math.max(threshold.within, TIMES * usual)) {
          memory.see(source, LAST, last, 0, `${last} 1`);
          tell(
            source,
            'silent',
            last,
            silent,
            usual,
            (gap, most) => `has been silent for ${gap} (usually under ${most})`,
          );
          continue;
        }
      }
      // Read, yet matched by no rule for far longer than usual where it usually matches often: blind.
      const match = markOf(memory, source, MATCHED);
      if (!match || match.told || last <= match.at) continue;
      const matched = match.at;
      const how = hourOfWeek(matched, learn.timezone);
      const usual = pooled(memory, source, MATCH_GAP, how, now);
      if (usual <= 0 || usual > MATCHES_AT_MOST_APART) continue;
      // Only where matches are usual now too: a workday's last match at 17:50 is no format change at 18:30.
      const nowUsual = longest(memory, source, `${MATCH_GAP}${hourOfWeek(last, learn.timezone)}`, now);
      if (nowUsual <= 0 || nowUsual > MATCHES_AT_MOST_APART) continue;
      const unmatched = last - matched;
      if (unmatched < Math.max(threshold.within, TIMES * Math.max(usual, MINUTE))) continue;
      memory.see(source, MATCHED, matched, 0, `${matched} 1`);
      tell(
        source,
        'unmatched',
        matched,
        unmatched,
        usual,
        (gap, most) =>
          `is written, but no rule has matched its lines for ${gap} (usually under ${most}): has its format or the config changed?`,
      );
    }
    return found;
  },
};

/**
 * Learns the gap since the mark (the last read, the last match) when it is longer than the usual one at the mark's
 * hour of the week (values `<prefix><hour>`), and moves the mark to `at`.
 */
function learnGap(memory: Memory, source: string, mark: string, prefix: string, at: number, timeZone: string): void {
  const last = markOf(memory, source, mark);
  if (last && at > last.at && !last.told) {
    const gap = at - last.at;
    const how = hourOfWeek(last.at, timeZone);
    const usual = longest(memory, source, `${prefix}${how}`, at);
    if (gap <= LONGEST_USUAL && gap > usual) memory.see(source, `${prefix}${how}`, at, 1, `${gap} ${at}`);
  }
  if (!last || at >= last.at) memory.see(source, mark, at, 1, `${at} 0`);
}

/** A mark (`<at> <told>`): when, and whether what followed it was told. */
function markOf(memory: MemoryView, source: string, mark: string): { at: number; told: boolean } | undefined {
  const data = memory.get(source, mark)?.data;
  if (!data) return undefined;
  const [at, told] = data.split(' ').map(Number);
  return Number.isFinite(at) ? { at: at!, told: told === 1 } : undefined;
}

/** The longest usual gap starting in this hour of the week (`value`: `<prefix><hour>`), decayed to `at`. */
function longest(memory: MemoryView, source: string, value: string, at: number): number {
  const [gap = 0, seen = at] = (memory.get(source, value)?.data ?? '').split(' ').map(Number);
  return gap * 0.5 ** (Math.max(0, at - seen) / HALF_LIFE);
}

/** The longest usual gap of the hour and its neighbours. */
function pooled(memory: Memory, source: string, prefix: string, how: number, at: number): number {
  return Math.max(
    ...[-1, 0, 1].map((d) => longest(memory, source, `${prefix}${(how + d + HOURS_OF_WEEK) % HOURS_OF_WEEK}`, at)),
  );
}
