// Decides what matches mean: counts them in sliding windows per (rule, key), opens an incident when a threshold is
// reached, folds later matches into it, and closes it after a quiet period. Pure: time is passed in, and every
// change is returned so the store can commit it in the same transaction as the offsets that caused it.

import type { Incident, IncidentEvent, Match } from '../core/types.js';
import type { CompiledRule } from '../rules/compile.js';

/** A match counted towards a threshold that has not been reached yet; persisted so restarts keep the count. */
export interface Hit {
  rule: string;
  keyHash: string;
  at: number;
  expiresAt: number;
}

export interface TrackerChanges {
  hits: Hit[];
  /** Windows whose hits became an incident and can be forgotten. */
  cleared: { rule: string; keyHash: string }[];
  /** Incidents to write, new ones with id 0 (the store assigns it). */
  incidents: Incident[];
  events: IncidentEvent[];
}

export interface TrackerOptions {
  reopenAfter: number;
  samples: number;
}

export interface TrackerState {
  open: { incident: Incident; lastActivityAt: number }[];
  hits: Hit[];
  /** Rule + key pairs whose matches open nothing, until a time (or null: until lifted). */
  silences?: { rule: string; keyHash: string; until: number | null }[];
}

/** Joins key values into one string for maps and the store. */
export function keyHashOf(values: readonly string[]): string {
  return JSON.stringify(values);
}

export function renderTitle(template: string, fields: Record<string, string>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => fields[name] ?? whole);
}

export class IncidentTracker {
  private readonly rules: Map<string, CompiledRule>;
  private readonly options: TrackerOptions;
  /** Hits not yet at the threshold, oldest first; text is kept for the incident's sample (not across restarts). */
  private readonly windows = new Map<string, { at: number; text?: string }[]>();
  private readonly open = new Map<string, { incident: Incident; lastActivityAt: number }>();
  private readonly lastCounted = new Map<string, number>();
  private readonly silences = new Map<string, number | null>();

  constructor(rules: readonly CompiledRule[], options: TrackerOptions, state: TrackerState = { open: [], hits: [] }) {
    this.rules = new Map(rules.map((r) => [r.id, r]));
    this.options = options;
    for (const o of state.open) {
      this.open.set(slot(o.incident.rule, keyHashOf(Object.values(o.incident.key))), { ...o });
    }
    for (const s of state.silences ?? []) this.silence(s.rule, s.keyHash, s.until);
    for (const h of [...state.hits].sort((a, b) => a.at - b.at)) {
      const s = slot(h.rule, h.keyHash);
      const w = this.windows.get(s) ?? [];
      w.push({ at: h.at });
      this.windows.set(s, w);
    }
  }

  /** Folds matches (with the time each happened) into windows and incidents; `now` is the arrival time. */
  record(matches: readonly { match: Match; at: number }[], now: number): TrackerChanges {
    const changes: TrackerChanges = { hits: [], cleared: [], incidents: [], events: [] };
    const touched = new Map<Incident, 'opened' | 'updated'>();
    for (const { match, at } of matches) {
      const rule = this.rules.get(match.ruleId);
      if (!rule || this.isDuplicate(rule, match, at)) continue;
      const keyValues = rule.threshold.by.map((f) => match.fields[f] ?? '');
      const keyHash = keyHashOf(keyValues);
      const s = slot(rule.id, keyHash);
      if (this.isSilenced(s, now)) continue;
      const open = this.open.get(s);
      if (open) {
        this.fold(open.incident, match, at);
        open.lastActivityAt = now;
        if (!touched.has(open.incident)) touched.set(open.incident, 'updated');
        continue;
      }
      const window = (this.windows.get(s) ?? []).filter((h) => h.at > at - rule.threshold.within);
      window.push({ at, text: match.event.text });
      if (window.length < rule.threshold.count) {
        this.windows.set(s, window);
        changes.hits.push({ rule: rule.id, keyHash, at, expiresAt: at + rule.threshold.within });
        continue;
      }
      this.windows.delete(s);
      changes.cleared.push({ rule: rule.id, keyHash });
      const key = Object.fromEntries(rule.threshold.by.map((f, i) => [f, keyValues[i]!]));
      const incident: Incident = {
        id: 0,
        rule: rule.id,
        severity: rule.severity,
        title: renderTitle(rule.title, match.fields),
        key,
        fields: { ...match.fields },
        count: window.length,
        firstSeen: Math.min(...window.map((h) => h.at)),
        lastSeen: at,
        source: match.event.sourceId,
        sample: window.flatMap((h) => (h.text === undefined ? [] : [h.text])).slice(-this.options.samples),
        status: 'open',
      };
      this.open.set(s, { incident, lastActivityAt: now });
      touched.set(incident, 'opened');
    }
    for (const [incident, event] of touched) {
      changes.incidents.push(incident);
      changes.events.push({ event, incident });
    }
    return changes;
  }

  /** Closes incidents quiet for reopenAfter and forgets expired windows. */
  sweep(now: number): TrackerChanges {
    const changes: TrackerChanges = { hits: [], cleared: [], incidents: [], events: [] };
    for (const [s, o] of this.open) {
      if (now - o.lastActivityAt < this.options.reopenAfter) continue;
      this.open.delete(s);
      o.incident.status = 'closed';
      changes.incidents.push(o.incident);
      changes.events.push({ event: 'closed', incident: o.incident });
    }
    for (const [s, w] of this.windows) {
      const rule = this.rules.get(s.slice(0, s.indexOf('\0')));
      const newest = w[w.length - 1]?.at ?? 0;
      if (!rule || newest <= now - rule.threshold.within) this.windows.delete(s);
    }
    for (const [s, at] of this.lastCounted) {
      const rule = this.rules.get(s.slice(0, s.indexOf('\0')));
      if (!rule?.dedupe || at < now - rule.dedupe.within) this.lastCounted.delete(s);
    }
    return changes;
  }

  /** Matches of this rule and key open no incident until `until` (null: until lifted). */
  silence(rule: string, keyHash: string, until: number | null): void {
    const s = slot(rule, keyHash);
    const current = this.silences.get(s);
    if (current === null) return;
    this.silences.set(s, until === null || current === undefined ? until : Math.max(until, current));
    this.windows.delete(s);
  }

  unsilence(rule: string, keyHash: string): void {
    this.silences.delete(slot(rule, keyHash));
  }

  private isSilenced(s: string, now: number): boolean {
    const until = this.silences.get(s);
    if (until === undefined) return false;
    if (until === null || until > now) return true;
    this.silences.delete(s);
    return false;
  }

  /** Stops folding matches into an incident a person resolved: the next ones count towards a new incident. */
  forget(incidentId: number): Incident | undefined {
    for (const [s, o] of this.open) {
      if (o.incident.id !== incidentId) continue;
      this.open.delete(s);
      return o.incident;
    }
    return undefined;
  }

  private fold(incident: Incident, match: Match, at: number): void {
    incident.count++;
    incident.lastSeen = Math.max(incident.lastSeen, at);
    incident.fields = { ...match.fields };
    incident.sample.push(match.event.text);
    if (incident.sample.length > this.options.samples)
      incident.sample.splice(0, incident.sample.length - this.options.samples);
  }

  // One event that logs several lines (a password failure: pam_unix and sshd) counts once.
  private isDuplicate(rule: CompiledRule, match: Match, at: number): boolean {
    if (!rule.dedupe) return false;
    const s = slot(rule.id, keyHashOf(rule.dedupe.by.map((f) => match.fields[f] ?? '')));
    const last = this.lastCounted.get(s);
    if (last !== undefined && Math.abs(at - last) <= rule.dedupe.within) return true;
    this.lastCounted.set(s, at);
    return false;
  }
}

function slot(rule: string, keyHash: string): string {
  return `${rule}\0${keyHash}`;
}
