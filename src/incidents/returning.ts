// Returning attackers: an incident about an address that was the subject of incidents before (or acted on, or is on
// a blocklist the operator keeps) says so, is raised a severity, and its timed actions last longer each time (as
// fail2ban's bantime.increment). Pure: the history is read from the store by the pipeline.
import { formatRoughly as ago, formatDuration } from '../config/duration.js';
import type { AddressHistory, Incident, Severity } from '../core/types.js';

const RAISED: Record<Severity, Severity> = {
  info: 'low',
  low: 'medium',
  medium: 'high',
  high: 'critical',
  critical: 'critical',
};
/** A timed action lasts 2^n times as long after n earlier incidents, up to 2^5 times. */
const MAX_DOUBLINGS = 5;

/** The fields only logwarden writes (a line's are dropped): `returning` lengthens timed actions. */
export const RETURNING_MARKS = ['returning', 'history'] as const;

/**
 * The address an incident is about: its key's ip (an IPv6 one by its prefix). Not a field of its latest line: the
 * line that tipped a user's incident (distributed-attack) names an address the attacker chose.
 */
export function addressOf(incident: Incident): string | undefined {
  return incident.key.ip;
}

/**
 * Marks an incident with its address's past: severity one higher, the title and a `history` field saying what came
 * before, and `returning` (how many earlier incidents, when there were) for timed actions. Returns whether it changed
 * anything.
 */
export function markReturning(
  incident: Incident,
  history: AddressHistory,
  listedIn: string | undefined,
  within: number,
  now: number,
): boolean {
  // What a line captured under these names is not ours to trust.
  const { returning: _r, history: _h, ...fields } = incident.fields;
  incident.fields = fields;
  const earlier = history.incidents.filter((h) => h.id !== incident.id);
  if (earlier.length === 0 && !listedIn) return false;
  incident.severity = RAISED[incident.severity];
  const parts: string[] = [];
  if (earlier.length > 0) {
    const rules = new Map<string, number>();
    for (const h of earlier) rules.set(h.rule, (rules.get(h.rule) ?? 0) + 1);
    const byRule = [...rules].map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule)).join(', ');
    const last = Math.max(...earlier.map((h) => h.firstSeen));
    parts.push(
      `${earlier.length} earlier ${earlier.length === 1 ? 'incident' : 'incidents'} in ${formatDuration(within)} (${byRule}), the last ${ago(now - last)} ago`,
    );
  }
  if (history.actions.length > 0) {
    const actions = new Map<string, number>();
    for (const a of history.actions) actions.set(a.action, (actions.get(a.action) ?? 0) + 1);
    const last = Math.max(...history.actions.map((a) => a.at));
    parts.push(
      `${[...actions].map(([a, n]) => (n > 1 ? `${a} ran ×${n}` : `${a} ran`)).join(', ')}, the last ${ago(now - last)} ago`,
    );
  }
  if (listedIn) parts.push(`listed in ${listedIn}`);
  // First among the fields: what a responder reads before the rest.
  incident.fields = {
    history: parts.join('; '),
    ...(earlier.length > 0 ? { returning: String(earlier.length) } : {}),
    ...incident.fields,
  };
  incident.title = `${incident.title} (returning: ${earlier.length > 0 ? `${earlier.length} earlier` : 'blocklisted'})`;
  return true;
}

/** How long a timed action lasts for an incident: doubled for each earlier incident of its address, 2^5 at most. */
export function incrementedTtl(ttl: number, incident: Incident): number {
  const earlier = Number(incident.fields.returning ?? 0);
  return Number.isInteger(earlier) && earlier > 0 ? ttl * 2 ** Math.min(earlier, MAX_DOUBLINGS) : ttl;
}
