// Decides what matches mean: counts them in sliding windows per (rule, key), opens an incident when a threshold is
// reached, folds later matches into it, and closes it after a quiet period. Pure: time is passed in, and every
// change is returned so the store can commit it in the same transaction as the offsets that caused it. Bounded: at
// most maxPendingKeys windows are kept (the least recently hit are dropped first, half of them at a time), and sample
// text has a byte budget, so an attacker writing ten million distinct addresses costs a fixed amount of memory.

import { formatDuration } from '../config/duration.js';
import { GenerationalMap } from '../core/generational-map.js';
import { fillPlaceholders } from '../core/template.js';
import type { GeoLookup, Incident, Match, TrackerChanges, TrackerState } from '../core/types.js';
import { keyHashOf } from '../core/types.js';
import type { CompiledRule } from '../rules/rule.js';
import { addSpread, countKeyOf } from './count-key.js';
import { MemoryChanges } from './detector-memory.js';
import { Detectors } from './detectors.js';
import { RETURNING_MARKS } from './returning.js';

export interface TrackerOptions {
  reopenAfter: number;
  samples: number;
  /** Where an address is (the operator's MaxMind databases), for the detectors that learn networks. */
  geo?: GeoLookup;
  /** Windows kept at most; the least recently hit is dropped beyond it. */
  maxPendingKeys?: number;
}

/** A title with its {field} placeholders filled; a field the match lacks shows as "?". */
export function renderTitle(template: string, fields: Record<string, string>): string {
  return fillPlaceholders(template, (name) => fields[name] ?? '?');
}

export const DEFAULT_MAX_PENDING_KEYS = 50_000;
/** Sample text kept in windows at most; beyond it new hits are counted without their text. */
export const WINDOW_TEXT_BUDGET = 8 * 1024 * 1024;
/** A sample line is kept this long at most (Slack shows 1,000 characters of it). */
export const SAMPLE_CHARS = 2000;
interface WindowHit {
  at: number;
  n: number;
  text?: string;
  /** The raw values of key fields counted under another value: the IPv6 address behind its /64. */
  raw?: Record<string, string>;
}

export class IncidentTracker {
  private readonly rules: Map<string, CompiledRule>;
  private readonly options: TrackerOptions;
  private readonly maxKeys: number;
  /** Hits not yet at the threshold, oldest first, by slot; the least recently hit windows are dropped first. */
  private readonly windows: GenerationalMap<string, WindowHit[]>;
  /** Windows dropped to stay within maxPendingKeys since the last changes returned: the store forgets their hits. */
  private dropped: { rule: string; keyHash: string }[] = [];
  /** The changes record() is building, while it runs. */
  private batch: TrackerChanges | undefined;
  private readonly open = new Map<string, { incident: Incident; lastActivityAt: number }>();
  private readonly lastCounted: GenerationalMap<string, number>;
  private readonly silences = new Map<string, number | null>();
  /** The learned detectors: what they weigh, judge and remember. */
  readonly detectors: Detectors;
  private textBytes = 0;
  /** Windows dropped to stay within maxPendingKeys, since start. */
  evicted = 0;

  constructor(rules: readonly CompiledRule[], options: TrackerOptions, state: TrackerState = { open: [], hits: [] }) {
    this.rules = new Map(rules.map((r) => [r.id, r]));
    this.options = options;
    this.maxKeys = options.maxPendingKeys ?? DEFAULT_MAX_PENDING_KEYS;
    this.detectors = new Detectors(this.rules, state.learned ?? [], options.geo);
    this.windows = new GenerationalMap(this.maxKeys, (gone) => {
      for (const [s, hits] of gone) {
        this.forgetText(hits);
        this.evicted++;
        this.dropped.push({ rule: ruleOf(s), keyHash: s.slice(s.indexOf('\0') + 1) });
      }
      // The batch being built may hold hits of the dropped windows: they go with them.
      if (this.batch && this.batch.hits.length > 0) {
        this.batch.hits = this.batch.hits.filter((h) => !gone.has(slot(h.rule, h.keyHash)));
      }
    });
    this.lastCounted = new GenerationalMap(this.maxKeys);
    for (const o of state.open) {
      this.open.set(slot(o.incident.rule, keyHashOf(Object.values(o.incident.key))), { ...o });
    }
    for (const s of state.silences ?? []) this.silence(s.rule, s.keyHash, s.until);
    for (const h of [...state.hits].sort((a, b) => a.at - b.at)) {
      const s = slot(h.rule, h.keyHash);
      const w = this.windows.get(s) ?? [];
      w.push({ at: h.at, n: h.weight ?? 1 });
      this.windows.set(s, w);
    }
  }

  /** Windows being counted now. */
  get pendingKeys(): number {
    return this.windows.size;
  }

  /**
   * Folds matches (with the time each happened) into windows and incidents; `now` is the arrival time, `heard` the
   * source the lines came from and `sender` who sent them to a network source (for the detectors that hear them).
   */
  record(
    matches: readonly { match: Match; at: number }[],
    now: number,
    heard?: string,
    sender?: string,
  ): TrackerChanges {
    const changes: TrackerChanges = { hits: [], cleared: [], incidents: [], events: [] };
    this.batch = changes;
    const touched = new Map<Incident, 'opened' | 'updated'>();
    const learned = new MemoryChanges();
    if (heard !== undefined) this.detectors.hear(heard, now, matches.length, learned, sender);
    for (const { match: matched, at } of this.detectors.withPriors(matches)) {
      const rule = this.rules.get(matched.ruleId);
      // A quiet rule's matches are events for the detectors only (withPriors handed them on).
      if (!rule || rule.quiet || matched.repeat || this.isDuplicate(rule, matched, at)) continue;
      // A judging detector speaks only of what it finds anomalous (a login from a network new to its user).
      const judged = rule.detect ? this.detectors.judge(rule, matched, at, learned) : { match: matched };
      if (!judged) continue;
      const { match } = judged;
      if (judged.count !== undefined) {
        this.openOrFold(rule, match, at, now, judged.count, touched);
        continue;
      }
      const key = countKeyOf(rule, match);
      // A match without a value for its key (an address the line did not name) cannot be counted for anyone.
      if (!key) continue;
      const keyHash = keyHashOf(key.values);
      const s = slot(rule.id, keyHash);
      if (this.isSilenced(s, now)) continue;
      const n = match.times ?? 1;
      // An event a detector judges as its own line (a web login that succeeded) is one.
      const own = !match.prior || (rule.detect?.triggers.includes(match.prior) ?? false);
      const open = this.open.get(s);
      if (open) {
        // A failure after the detector spoke says nothing new: the brute-force rule counts it.
        if (!own) continue;
        this.fold(open.incident, match, at, n, key.raw, rule.detect?.adds ?? []);
        open.lastActivityAt = now;
        if (!touched.has(open.incident)) touched.set(open.incident, 'updated');
        continue;
      }
      const window = this.liveWindow(s, at - rule.threshold.within);
      if (rule.detect && rule.detect.after.length > 0 && own) {
        // The detector's own event (a login) speaks only after enough prior ones (failures); it is never counted.
        const prior = window.reduce((sum, h) => sum + h.n, 0);
        if (prior < rule.threshold.count) {
          // The window as it is now (liveWindow let go of the expired hits' text).
          if (window.length > 0) this.windows.set(s, window);
          else this.windows.delete(s);
          continue;
        }
        const first = Math.min(...window.map((h) => h.at));
        // Whole seconds: "after 23 failures in 9m12s".
        const span = formatDuration(Math.floor(Math.max(0, at - first) / 1000) * 1000);
        const fields = { ...match.fields, failures: String(prior), span };
        window.push({ at, n: 0, text: match.event.text.slice(0, SAMPLE_CHARS) });
        this.textBytes += window[window.length - 1]!.text!.length;
        touched.set(
          this.openIncident({ rule, match: { ...match, fields }, at, slot: s, window, key, count: prior }, now),
          'opened',
        );
        continue;
      }
      const text = this.textBytes < WINDOW_TEXT_BUDGET ? match.event.text.slice(0, SAMPLE_CHARS) : undefined;
      window.push({ at, n, ...(text === undefined ? {} : { text }), ...(key.raw ? { raw: key.raw } : {}) });
      this.textBytes += text?.length ?? 0;
      if (match.prior || window.reduce((sum, h) => sum + h.n, 0) < rule.threshold.count) {
        this.windows.set(s, window);
        changes.hits.push({
          rule: rule.id,
          keyHash,
          at,
          expiresAt: at + rule.threshold.within,
          ...(n > 1 ? { weight: n } : {}),
        });
        continue;
      }
      const count = window.reduce((sum, h) => sum + h.n, 0);
      touched.set(this.openIncident({ rule, match, at, slot: s, window, key, count }, now), 'opened');
    }
    this.finish(changes, touched, learned);
    return this.withDropped(changes);
  }

  private finish(changes: TrackerChanges, touched: Map<Incident, 'opened' | 'updated'>, learned: MemoryChanges): void {
    for (const [incident, event] of touched) {
      changes.incidents.push(incident);
      changes.events.push({ event, incident });
    }
    learned.into(changes);
    this.batch = undefined;
  }

  /** A detector's finding: a new incident, or more of the open one for its key (unless silenced). */
  private openOrFold(
    rule: CompiledRule,
    match: Match,
    at: number,
    now: number,
    count: number,
    touched: Map<Incident, 'opened' | 'updated'>,
    since = at,
  ): void {
    const key = countKeyOf(rule, match);
    if (!key) return;
    const s = slot(rule.id, keyHashOf(key.values));
    if (this.isSilenced(s, now)) return;
    const open = this.open.get(s);
    if (open) {
      this.fold(open.incident, match, at, match.times ?? 1, key.raw, rule.detect?.adds ?? []);
      open.lastActivityAt = now;
      if (!touched.has(open.incident)) touched.set(open.incident, 'updated');
      return;
    }
    const window = [{ at: Math.min(since, at), n: 1, text: match.event.text.slice(0, SAMPLE_CHARS) }];
    this.textBytes += window[0]!.text.length;
    touched.set(this.openIncident({ rule, match, at, slot: s, window, key, count }, now), 'opened');
  }

  /** Opens an incident from a window that reached its threshold: the window is forgotten, the incident holds it. */
  private openIncident(
    opening: {
      rule: CompiledRule;
      match: Match;
      at: number;
      slot: string;
      window: WindowHit[];
      key: { named: Record<string, string> };
      count: number;
    },
    now: number,
  ): Incident {
    const { rule, match, at, slot: s, window, key } = opening;
    this.forgetText(window);
    this.windows.delete(s);
    this.batch!.cleared.push({ rule: rule.id, keyHash: s.slice(s.indexOf('\0') + 1) });
    const incident: Incident = {
      id: 0,
      rule: rule.id,
      severity: rule.severity,
      title: renderTitle(rule.title, { ...rule.detect?.untitled, ...match.fields, ...key.named }),
      key: key.named,
      fields: { ...match.fields },
      count: opening.count,
      firstSeen: Math.min(...window.map((h) => h.at)),
      lastSeen: at,
      source: match.event.sourceId,
      sample: window.flatMap((h) => (h.text === undefined ? [] : [h.text])),
      status: 'open',
    };
    // Over the text budget the window kept counts only: the line that reached the threshold is shown all the same.
    if (window[window.length - 1]?.text === undefined) incident.sample.push(match.event.text.slice(0, SAMPLE_CHARS));
    incident.sample = incident.sample.slice(-this.options.samples);
    for (const h of window) if (h.raw) addSpread(incident, h.raw, h.n);
    this.open.set(s, { incident, lastActivityAt: now });
    return incident;
  }

  private withDropped(changes: TrackerChanges): TrackerChanges {
    if (this.dropped.length > 0) {
      changes.dropped = this.dropped;
      this.dropped = [];
    }
    return changes;
  }

  /**
   * Closes incidents quiet for reopenAfter and forgets expired windows; the detectors that hear their sources are
   * told which cannot be read now, and why.
   */
  sweep(now: number, problems: ReadonlyMap<string, string> = new Map()): TrackerChanges {
    const changes: TrackerChanges = { hits: [], cleared: [], incidents: [], events: [] };
    for (const [s, o] of this.open) {
      if (now - o.lastActivityAt < this.options.reopenAfter) continue;
      this.open.delete(s);
      o.incident.status = 'closed';
      changes.incidents.push(o.incident);
      changes.events.push({ event: 'closed', incident: o.incident });
    }
    for (const [s, w] of this.windows.entries()) {
      const rule = this.rules.get(ruleOf(s));
      const newest = w[w.length - 1]?.at ?? 0;
      if (!rule || newest <= now - rule.threshold.within) {
        this.forgetText(w);
        this.windows.delete(s);
      }
    }
    for (const [s, at] of this.lastCounted.entries()) {
      const rule = this.rules.get(ruleOf(s));
      if (!rule?.dedupe || at < now - rule.dedupe.within) this.lastCounted.delete(s);
    }
    const memory = new MemoryChanges();
    this.batch = changes;
    const touched = new Map<Incident, 'opened' | 'updated'>();
    for (const found of this.detectors.tick(now, memory, problems)) {
      this.openOrFold(found.rule, found.match, now, now, found.count, touched, found.since);
    }
    this.detectors.sweep(now, memory);
    this.finish(changes, touched, memory);
    return this.withDropped(changes);
  }

  /** Matches of this rule and key open no incident until `until` (null: until lifted). */
  silence(rule: string, keyHash: string, until: number | null): void {
    const s = slot(rule, keyHash);
    const current = this.silences.get(s);
    if (current === null) return;
    this.silences.set(s, until === null || current === undefined ? until : Math.max(until, current));
    const window = this.windows.get(s);
    if (window) this.forgetText(window);
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

  /** The window of a slot without the hits older than `after` (a new one when there is none). */
  private liveWindow(s: string, after: number): WindowHit[] {
    const window = this.windows.get(s);
    if (!window) return [];
    const live = window.filter((h) => h.at > after);
    if (live.length < window.length) this.forgetText(window.filter((h) => h.at <= after));
    return live;
  }

  private forgetText(hits: readonly WindowHit[]): void {
    for (const h of hits) this.textBytes -= h.text?.length ?? 0;
  }

  private fold(
    incident: Incident,
    match: Match,
    at: number,
    n: number,
    raw: Record<string, string> | undefined,
    kept: readonly string[],
  ): void {
    incident.count += n;
    incident.lastSeen = Math.max(incident.lastSeen, at);
    // A detector's incident keeps what it found before (prior events, their span) beside the latest line's fields, and
    // every incident its address's marks (never a line's: they lengthen timed actions).
    const { [RETURNING_MARKS[0]]: _r, [RETURNING_MARKS[1]]: _h, ...fields } = match.fields;
    incident.fields = { ...fields, ...pick(incident.fields, [...kept, ...RETURNING_MARKS, 'where']) };
    incident.sample.push(match.event.text.slice(0, SAMPLE_CHARS));
    if (incident.sample.length > this.options.samples)
      incident.sample.splice(0, incident.sample.length - this.options.samples);
    if (raw) addSpread(incident, raw, n);
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

function pick(fields: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (fields[n] === undefined ? [] : [[n, fields[n]]])));
}

function slot(rule: string, keyHash: string): string {
  return `${rule}\0${keyHash}`;
}

function ruleOf(s: string): string {
  return s.slice(0, s.indexOf('\0'));
}
