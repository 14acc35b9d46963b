// Novelty, shared by the detectors that speak of a value new to its subject (a network new to a user, a command a
// user never ran): learned as it is judged, and told only once the rule has learned for a whole period.
import { formatRoughly } from '../../config/duration.js';
import type { LearnSettings, Memory, MemoryView } from './detector.js';

/** Values a "new" incident lists the subject as known with. */
const KNOWN_SHOWN = 5;

/**
 * Learns that the subject was seen with the value at `at`. When the value is new to it (unseen within `period`) and
 * the rule has learned for a whole period, says what was known of the subject: its values seen within the period,
 * the most recent first ("none" when there were none).
 */
export function judgeNovel(
  memory: Memory,
  subject: string,
  value: string,
  at: number,
  period: number,
): { known: string } | undefined {
  const recent = (lastSeen: number) => Math.abs(at - lastSeen) <= period;
  const lastSeen = memory.get(subject, value)?.lastSeen;
  const known = memory
    .facts(subject)
    .filter((f) => f.value !== value && recent(f.lastSeen))
    .map((f) => f.value)
    .reverse();
  memory.see(subject, value, at);
  if (at - memory.since < period || (lastSeen !== undefined && recent(lastSeen))) return undefined;
  const more = known.length > KNOWN_SHOWN ? ` and ${known.length - KNOWN_SHOWN} more` : '';
  return { known: `${known.slice(0, KNOWN_SHOWN).join(', ') || 'none'}${more}` };
}

/** "learning until …" while a rule has not learned for its period yet; nothing once it has. */
export function learningLine(since: number | undefined, period: number, now: number): string[] {
  if (since === undefined) return ['learning: nothing read yet'];
  return now - since < period
    ? [`learning: it speaks from ${new Date(since + period).toISOString().slice(0, 16)}Z`]
    : [];
}

/** What a novelty detector knows of a subject, for `/logs baseline`: "<label>: a (23×, last 2d ago), …" and its period. */
export function describeKnown(
  label: string,
  subject: string,
  memory: MemoryView,
  learn: LearnSettings,
  now: number,
): string[] {
  const known = [...memory.facts(subject)].reverse();
  if (known.length === 0) return [];
  const shown = known
    .slice(0, KNOWN_SHOWN * 2)
    .map((f) => `${f.value} (${f.count}×, last ${formatRoughly(now - f.lastSeen)} ago)`)
    .join(', ');
  const more = known.length > KNOWN_SHOWN * 2 ? ` and ${known.length - KNOWN_SHOWN * 2} more` : '';
  return [`${label}: ${shown}${more}`, ...learningLine(memory.since, learn.period, now)];
}
