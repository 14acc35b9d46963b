// The learned detectors as the tracker runs them: which events each weighs (and judges as its own lines), what each
// judging one remembers (DetectorMemories), what it finds at a sweep, and what people teach it. Pure: the tracker
// opens and folds the incidents; this says what the detectors make of each input.

import { fillPlaceholders } from '../core/template.js';
import type {
  BaselineReport,
  EventType,
  GeoLookup,
  Incident,
  LearnedFact,
  LearningStatus,
  Match,
  TrackerChanges,
} from '../core/types.js';
import { parseEnvelope } from '../envelope/parse-envelope.js';
import type { Memory } from '../rules/detect/detector.js';
import { detectorNamed } from '../rules/detect/detectors.js';
import type { CompiledRule } from '../rules/rule.js';
import { DetectorMemories, MemoryChanges, type MemoryLimits } from './detector-memory.js';

/** What a judging detector remembers when it says nothing of its own. */
/** How long the store keeps what a rule removed from the config learned, unseen, in case it comes back. */
const ORPHANS_KEPT = 365 * 86_400_000;
const DEFAULT_MEMORY: MemoryLimits = { subjects: 10_000, values: 32, keep: 30 * 86_400_000 };

/** A fact a lesson changed, as it was before (null: it was not). */
export interface TaughtFact {
  subject: string;
  value: string;
  /** The fact before the lesson (null: there was none). */
  fact: LearnedFact | null;
  /** The fact as the lesson left it (absent in lessons audited before it was kept). */
  after?: LearnedFact | null;
}

/** What a detector found at a sweep: an incident to open (or grow) for its rule. */
export interface SweepFinding {
  rule: CompiledRule;
  match: Match;
  count: number;
  since?: number;
}

export class Detectors {
  private readonly rules: ReadonlyMap<string, CompiledRule>;
  /** The detectors that weigh each kind of event, or judge it as their own line, from rules reading their sources. */
  private readonly byEvent = new Map<EventType, CompiledRule[]>();
  /** The detectors that hear their sources (source-quiet). */
  private readonly hearing: CompiledRule[] = [];
  private readonly memories: DetectorMemories;
  private readonly geo: GeoLookup | undefined;
  /** Stored facts of rules gone from the config, until the first sweep lets go of those unseen for a year. */
  private orphans: readonly LearnedFact[];

  constructor(rules: ReadonlyMap<string, CompiledRule>, learned: readonly LearnedFact[], geo?: GeoLookup) {
    this.rules = rules;
    this.geo = geo;
    // Facts of rules no longer in the config are not held: the store keeps them a year (the rule may come back).
    const judging = (rule: string) => this.memoryLimitsOf(rule) !== undefined;
    this.memories = new DetectorMemories(learned.filter((f) => judging(f.rule)));
    this.orphans = learned.filter((f) => !judging(f.rule));
    for (const rule of rules.values()) {
      if (rule.detect && detectorNamed(rule.detect.detector).hears) this.hearing.push(rule);
      for (const event of [...(rule.detect?.after ?? []), ...(rule.detect?.triggers ?? [])])
        this.byEvent.set(event, [...(this.byEvent.get(event) ?? []), rule]);
    }
  }

  /**
   * A detector's input: a judging one's verdict (the match with the fields it adds, or undefined: nothing to say),
   * learned from as it is judged; a counting one's input as it is.
   */
  judge(
    rule: CompiledRule,
    match: Match,
    at: number,
    changes: MemoryChanges,
    event: EventType | 'source.read' = match.prior ?? rule.event!,
  ): { match: Match; count?: number } | undefined {
    const detect = rule.detect!;
    const detector = detectorNamed(detect.detector);
    if (!detector.judge) return { match };
    const memory = this.memories.of(rule.id, detector.memory ?? DEFAULT_MEMORY, at, changes);
    const found = detector.judge(
      {
        fields: match.fields,
        at,
        event,
        prior: match.prior !== undefined,
        source: match.event.sourceId,
        // The envelope again, for a detector's input only: few lines, and the matcher's verdict does not carry it.
        ...(detector.wantsHost ? hostOf(match.event.text) : {}),
        times: match.times ?? 1,
        threshold: detect.limits,
        learn: detect.learn,
        ...(this.geo ? { geo: this.geo } : {}),
      },
      memory,
    );
    if (!found) return undefined;
    // What the judge found is the detector's own: it opens an incident (or grows the open one).
    const { prior: _, ...own } = match;
    return { match: { ...own, fields: { ...match.fields, ...found.fields } }, count: found.count ?? own.times ?? 1 };
  }

  /** Tells the detectors that hear this source that it was read from at `now`, and how many lines of it matched. */
  hear(source: string, now: number, matched: number, learned: MemoryChanges, sender?: string): void {
    for (const rule of this.hearing) {
      if (!rule.sources.includes(source)) continue;
      const fields = { matched: String(matched) };
      // A network source's sender is heard as a source of its own (`fleet 10.0.0.5`): a host that stops sending.
      for (const heard of sender === undefined ? [source] : [source, `${source} ${sender}`]) {
        const event = { sourceId: heard, origin: heard, text: '', truncated: false };
        this.judge(rule, { ruleId: rule.id, event, fields }, now, learned, 'source.read');
      }
    }
  }

  /** The matches, each event followed by what it is to the detectors that weigh it (a failure before a login). */
  withPriors(matches: readonly { match: Match; at: number }[]): readonly { match: Match; at: number }[] {
    if (this.byEvent.size === 0) return matches;
    const out: { match: Match; at: number }[] = [];
    for (const m of matches) {
      out.push(m);
      const event = this.rules.get(m.match.ruleId)?.event;
      // A detector's own lines are its own: another detector does not weigh them.
      if (!event || m.match.repeat || m.match.prior || this.rules.get(m.match.ruleId)?.detect) continue;
      const from = this.rules.get(m.match.ruleId)!;
      for (const detector of this.byEvent.get(event) ?? []) {
        if (!detector.sources.includes(m.match.event.sourceId)) continue;
        // An event it judges as its own line (a web login) brings no field the detector types otherwise: a web user
        // is not a system account its actions could lock.
        const fields = detector.detect?.triggers.includes(event)
          ? Object.fromEntries(
              Object.entries(m.match.fields).filter(
                ([f]) => detector.fields[f] === undefined || detector.fields[f] === from.fields[f],
              ),
            )
          : m.match.fields;
        out.push({ match: { ...m.match, ruleId: detector.id, prior: event, fields }, at: m.at });
      }
    }
    return out;
  }

  /** What a rule's detector remembers at most (undefined: the rule keeps no memory). */
  private memoryLimitsOf(id: string): MemoryLimits | undefined {
    const detect = this.rules.get(id)?.detect;
    if (!detect) return undefined;
    const detector = detectorNamed(detect.detector);
    return detector.judge ? (detector.memory ?? DEFAULT_MEMORY) : undefined;
  }

  /**
   * A person called an incident a false positive: its detector learns its finding as usual. Returns what it learned
   * (for the audit) and the facts to write, or undefined when its detector has nothing to learn.
   */
  teach(incident: Incident, now: number): { taught: string; changes: TrackerChanges; undo: TaughtFact[] } | undefined {
    const rule = this.rules.get(incident.rule);
    const detector = rule?.detect && detectorNamed(rule.detect.detector);
    if (!rule?.detect || !detector?.teach) return undefined;
    const learned = new MemoryChanges();
    const base = this.memories.of(rule.id, detector.memory ?? DEFAULT_MEMORY, now, learned);
    // What each fact it changes was before, to take the lesson back (/logs unlearn).
    const before = new Map<string, TaughtFact>();
    const remember = (subject: string, value: string) => {
      const key = `${subject}\0${value}`;
      if (before.has(key)) return;
      const fact = base.get(subject, value);
      before.set(key, { subject, value, fact: fact ? { ...fact } : null });
    };
    const memory: Memory = {
      since: base.since,
      get: base.get,
      facts: base.facts,
      subjects: base.subjects,
      see: (subject, value, at, by, data) => {
        remember(subject, value);
        return base.see(subject, value, at, by, data);
      },
      forget: (subject, value) => {
        remember(subject, value);
        base.forget(subject, value);
      },
    };
    const taught = detector.teach(
      {
        fields: incident.fields,
        key: incident.key,
        firstSeen: incident.firstSeen,
        at: incident.lastSeen,
        learn: rule.detect.learn,
      },
      memory,
    );
    if (taught === undefined) return undefined;
    const changes: TrackerChanges = { hits: [], cleared: [], incidents: [], events: [] };
    learned.into(changes);
    const undo = [...before.values()].map((t) => {
      const after = base.get(t.subject, t.value);
      return { ...t, after: after ? { ...after } : null };
    });
    return { taught, changes, undo };
  }

  /**
   * Takes a lesson back: the facts it changed as they were before (a fact it made, or the finding made as it was
   * judged — first seen at or after `findingAt` — let go, whatever was seen of it since: that too was the finding). A fact that was there before and has learned more since the lesson loses what
   * the lesson counted; one whose summary the lesson changed (a spike's peak) is kept as it is, counted in `kept`:
   * restoring it would drop what was learned since.
   */
  unteach(
    ruleId: string,
    undo: readonly TaughtFact[],
    findingAt = Number.POSITIVE_INFINITY,
  ): { changes: TrackerChanges; kept: number } {
    const changes = new MemoryChanges();
    const view = this.memories.view(ruleId);
    let kept = 0;
    for (const { subject, value, fact: taughtOver, after } of undo) {
      const now = view.get(subject, value);
      // A value first seen by the finding itself (a novelty detector learns what it judges) was the finding: let go.
      const fact = taughtOver && taughtOver.firstSeen >= findingAt ? null : taughtOver;
      const changedSince = after !== undefined && !sameFact(now, after);
      if (fact !== null && changedSince) {
        // A lesson that only counted (a login at an hour) is taken out of the count; any other change, kept.
        if (now && after && after.data === fact.data && after.count > fact.count) {
          const count = Math.max(0, now.count - (after.count - fact.count));
          this.memories.restore(ruleId, subject, value, { ...now, count }, changes);
        } else kept++;
        continue;
      }
      this.memories.restore(ruleId, subject, value, fact, changes);
    }
    const out: TrackerChanges = { hits: [], cleared: [], incidents: [], events: [] };
    changes.into(out);
    return { changes: out, kept };
  }

  /** Whether a false positive of this rule teaches its detector (and so silences its key only briefly). */
  teaches(ruleId: string): boolean {
    const detect = this.rules.get(ruleId)?.detect;
    return detect !== undefined && detectorNamed(detect.detector).teach !== undefined;
  }

  /** Each learning detector's learning period: since when it learns, and from when it speaks (`/logs stats`). */
  learning(): LearningStatus[] {
    const out: LearningStatus[] = [];
    for (const rule of this.rules.values()) {
      const detect = rule.detect;
      if (!detect || !detectorNamed(detect.detector).learns) continue;
      const since = this.memories.view(rule.id).since;
      out.push({
        rule: rule.id,
        detector: detect.detector,
        ...(since === undefined ? {} : { since, speaksFrom: since + detect.learn.period }),
      });
    }
    return out;
  }

  /** What each detector learned of a subject (a user, a source, an address), for `/logs baseline`. */
  baseline(subject: string, now: number): BaselineReport[] {
    const out: BaselineReport[] = [];
    for (const rule of this.rules.values()) {
      if (!rule.detect) continue;
      const detector = detectorNamed(rule.detect.detector);
      const lines = detector.describe?.(subject, this.memories.view(rule.id), rule.detect.learn, now) ?? [];
      if (lines.length > 0) out.push({ rule: rule.id, detector: rule.detect.detector, sources: rule.sources, lines });
    }
    return out;
  }

  /** What the judging detectors of a rule know (for /logs baseline). */
  learned(rule: string): LearnedFact[] {
    return this.memories.facts(rule);
  }

  /** What the detectors that hear their sources find now (a source gone silent). */
  tick(now: number, changes: MemoryChanges, problems: ReadonlyMap<string, string>): SweepFinding[] {
    const found: SweepFinding[] = [];
    for (const rule of this.hearing) {
      const detector = detectorNamed(rule.detect!.detector);
      const limits = detector.memory ?? DEFAULT_MEMORY;
      const input = { now, sources: rule.sources, problems, threshold: rule.detect!.limits, learn: rule.detect!.learn };
      for (const f of detector.tick?.(input, this.memories.of(rule.id, limits, now, changes)) ?? []) {
        // A sender's finding belongs to its source (`fleet 10.0.0.5`: fleet).
        const source = f.fields.source?.split(' ')[0] ?? rule.sources[0]!;
        const text = fillPlaceholders(rule.title, (name) => f.fields[name] ?? '?');
        const match = {
          ruleId: rule.id,
          event: { sourceId: source, origin: source, text, truncated: false },
          fields: f.fields,
        };
        found.push({ rule, match, count: f.count ?? 1, ...(f.since === undefined ? {} : { since: f.since }) });
      }
    }
    return found;
  }

  /** Lets go of what each detector has not seen for its time. */
  sweep(now: number, changes: MemoryChanges): void {
    this.memories.sweep(now, (id) => this.memoryLimitsOf(id), changes);
    // A gone rule is let go whole once its newest fact is a year old: its learning start alone (never seen again
    // after its first input) would make it learn from scratch if it came back.
    const newest = new Map<string, number>();
    for (const f of this.orphans) newest.set(f.rule, Math.max(newest.get(f.rule) ?? 0, f.lastSeen));
    for (const f of this.orphans) {
      if (newest.get(f.rule)! < now - ORPHANS_KEPT) changes.forgotten(f.rule, f.subject, f.value);
    }
    this.orphans = [];
  }
}

function hostOf(text: string): { host?: string } {
  const host = parseEnvelope(text).host;
  return host ? { host } : {};
}

function sameFact(a: Readonly<LearnedFact> | undefined, b: LearnedFact | null): boolean {
  if (!a || !b) return !a && !b;
  return a.lastSeen === b.lastSeen && a.count === b.count && a.data === b.data;
}
