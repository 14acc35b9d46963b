// What judging detectors know, per rule: facts of subjects (each user's networks, an address's recent failures),
// when first and last seen, how often, and the detector's own data. Pure and bounded: at most `subjects` subjects per
// rule and `values` facts per subject (the least recently seen go first), facts unseen for `keep` are let go by
// sweep(); every change is returned for the store, which writes it with the line that taught it.
import type { LearnedFact, TrackerChanges } from '../core/types.js';
import type { Memory, MemoryView } from '../rules/detect/detector.js';

/** The subject under which a rule's first input is kept: its learning period starts then. */
const START = '';

/**
 * What a batch changed, by fact (rule, subject, value): its last state, or null when it was let go. A fact seen a
 * thousand times in a batch (a spike's count) is written once.
 */
export class MemoryChanges {
  private readonly facts = new Map<
    string,
    LearnedFact | { rule: string; subject: string; value: string; gone: true }
  >();

  learned(fact: LearnedFact): void {
    this.facts.set(factKey(fact), { ...fact });
  }

  forgotten(rule: string, subject: string, value: string): void {
    this.facts.set(factKey({ rule, subject, value }), { rule, subject, value, gone: true });
  }

  /** Into the tracker's changes: the facts to write and those to delete. */
  into(changes: TrackerChanges): void {
    const learned: LearnedFact[] = [];
    const forgotten: { rule: string; subject: string; value: string }[] = [];
    for (const f of this.facts.values()) {
      if ('gone' in f) forgotten.push({ rule: f.rule, subject: f.subject, value: f.value });
      else learned.push(f);
    }
    if (learned.length > 0) changes.learned = learned;
    if (forgotten.length > 0) changes.forgotten = forgotten;
  }
}

function factKey(f: { rule: string; subject: string; value: string }): string {
  return `${f.rule}\0${f.subject}\0${f.value}`;
}

export interface MemoryLimits {
  subjects: number;
  values: number;
  keep: number;
}

export class DetectorMemories {
  /** By rule, then subject in the order last seen (a Map keeps insertion order: the first is the least recent). */
  private readonly rules = new Map<string, Map<string, Map<string, LearnedFact>>>();
  private readonly starts = new Map<string, LearnedFact>();

  constructor(facts: readonly LearnedFact[] = []) {
    for (const fact of [...facts].sort((a, b) => a.lastSeen - b.lastSeen)) {
      if (fact.subject === START) this.starts.set(fact.rule, { ...fact });
      else this.valuesOf(fact.rule, fact.subject).set(fact.value, { ...fact });
    }
  }

  /** The rule's memory for an input at `at` (which may move its learning start back), recording into `changes`. */
  of(rule: string, limits: MemoryLimits, at: number, changes: MemoryChanges): Memory {
    const start = this.started(rule, at, changes);
    const subjects = this.subjectsOf(rule);
    const valuesOf = (subject: string) => this.valuesOf(rule, subject);
    return {
      since: start.firstSeen,
      get: (subject, value) => subjects.get(subject)?.get(value),
      facts: (subject) => [...(subjects.get(subject)?.values() ?? [])],
      subjects: () => subjects.keys(),
      see: (subject, value, seenAt, by = 1, data) => {
        const values = valuesOf(subject);
        const fact = values.get(value) ?? { rule, subject, value, firstSeen: seenAt, lastSeen: seenAt, count: 0 };
        fact.firstSeen = Math.min(fact.firstSeen, seenAt);
        fact.lastSeen = Math.max(fact.lastSeen, seenAt);
        fact.count += by;
        if (data !== undefined) fact.data = data;
        // Seen now: to the end of the order.
        values.delete(value);
        values.set(value, fact);
        changes.learned(fact);
        if (values.size > limits.values) {
          const oldest = values.keys().next().value!;
          values.delete(oldest);
          changes.forgotten(rule, subject, oldest);
        }
        if (subjects.size > limits.subjects) {
          const [oldest, gone] = subjects.entries().next().value!;
          subjects.delete(oldest);
          for (const v of gone.keys()) changes.forgotten(rule, oldest, v);
        }
        return fact;
      },
      forget: (subject, value) => {
        const values = subjects.get(subject);
        if (!values?.delete(value)) return;
        if (values.size === 0) subjects.delete(subject);
        changes.forgotten(rule, subject, value);
      },
    };
  }

  /** Puts a fact back as it was (null: lets it go), recording the change. */
  restore(rule: string, subject: string, value: string, fact: LearnedFact | null, changes: MemoryChanges): void {
    if (fact === null) {
      const values = this.rules.get(rule)?.get(subject);
      if (values?.delete(value)) changes.forgotten(rule, subject, value);
      if (values?.size === 0) this.rules.get(rule)!.delete(subject);
      return;
    }
    this.valuesOf(rule, subject).set(value, { ...fact });
    changes.learned({ ...fact });
  }

  /** The rule's memory, to read only (`/logs baseline`). */
  view(rule: string): MemoryView {
    const subjects = this.rules.get(rule);
    return {
      since: this.starts.get(rule)?.firstSeen,
      get: (subject, value) => subjects?.get(subject)?.get(value),
      facts: (subject) => [...(subjects?.get(subject)?.values() ?? [])],
      subjects: () => subjects?.keys() ?? [],
    };
  }

  /** Lets go of facts unseen for their rule's `keep` (by the time they were last seen). */
  sweep(now: number, limitsOf: (rule: string) => MemoryLimits | undefined, changes: MemoryChanges): void {
    for (const [rule, subjects] of this.rules) {
      const keep = limitsOf(rule)?.keep;
      if (keep === undefined) continue;
      // Subjects are in the order last seen: the stale ones come first.
      for (const [subject, values] of subjects) {
        let newest = 0;
        for (const [value, fact] of values) {
          if (fact.lastSeen < now - keep) {
            values.delete(value);
            changes.forgotten(rule, subject, value);
          } else newest = Math.max(newest, fact.lastSeen);
        }
        if (values.size === 0) subjects.delete(subject);
        if (newest >= now - keep) break;
      }
    }
  }

  /** Every fact, for `/logs baseline` and tests. */
  facts(rule: string): LearnedFact[] {
    return [...(this.rules.get(rule)?.values() ?? [])].flatMap((values) => [...values.values()]);
  }

  /** When the rule began learning: its first input (an earlier line read later moves it back). */
  private started(rule: string, at: number, changes: MemoryChanges): LearnedFact {
    const start = this.starts.get(rule);
    if (start && start.firstSeen <= at) return start;
    const fact = { rule, subject: START, value: '', firstSeen: at, lastSeen: at, count: 1 };
    this.starts.set(rule, fact);
    changes.learned(fact);
    return fact;
  }

  private subjectsOf(rule: string): Map<string, Map<string, LearnedFact>> {
    let subjects = this.rules.get(rule);
    if (!subjects) {
      subjects = new Map();
      this.rules.set(rule, subjects);
    }
    return subjects;
  }

  /** The subject's facts, made when new; the subject moves to the end of the order (seen now). */
  private valuesOf(rule: string, subject: string): Map<string, LearnedFact> {
    const subjects = this.subjectsOf(rule);
    const values = subjects.get(subject) ?? new Map<string, LearnedFact>();
    subjects.delete(subject);
    subjects.set(subject, values);
    return values;
  }
}
