// What learning detectors know of each subject (a user): the values (networks) it was seen with, when first and last,
// how often. Pure and bounded: at most MAX_SUBJECTS subjects per rule (the least recently seen go first) and
// MAX_VALUES values per subject (the least recently seen go first); every change is returned for the store.
import type { LearnedFact, Match } from '../core/types.js';
import type { CompiledRule } from '../rules/rule.js';
import { networkOf } from './address-key.js';

export const MAX_SUBJECTS = 10_000;
export const MAX_VALUES = 32;
/** The subject under which a rule's first event is kept: its learning period starts then. */
const START = '';

export interface BaselineChanges {
  learned: LearnedFact[];
  forgotten: { rule: string; subject: string; value: string }[];
}

export class Baselines {
  /** By rule and subject, in the order last seen (a Map keeps insertion order: the first is the least recent). */
  private readonly subjects = new Map<string, Map<string, LearnedFact>>();
  private readonly perRule = new Map<string, number>();

  constructor(facts: readonly LearnedFact[] = []) {
    for (const fact of [...facts].sort((a, b) => a.lastSeen - b.lastSeen)) {
      if (fact.subject === START) this.subjects.set(`${fact.rule}\0${START}`, new Map([['', { ...fact }]]));
      else this.values(fact.rule, fact.subject).set(fact.value, { ...fact });
    }
  }

  /**
   * Learns that the subject was seen with the value at `at`. Says what was known of the subject before (values seen
   * within `period` of `at`) when the value is new to it and the rule has learned for a whole period; else undefined.
   */
  observe(
    rule: string,
    subject: string,
    value: string,
    at: number,
    period: number,
    changes: BaselineChanges,
  ): { known: string[] } | undefined {
    const start = this.started(rule, at, changes);
    const values = this.values(rule, subject);
    const fact = values.get(value);
    const recent = (f: LearnedFact) => Math.abs(at - f.lastSeen) <= period;
    // The most recently seen first.
    const known = [...values.values()]
      .reverse()
      .filter((f) => f.value !== value && recent(f))
      .map((f) => f.value);
    const novel = at - start.firstSeen >= period && !(fact && recent(fact));
    this.learn(rule, subject, value, at, changes);
    this.trim(rule, changes);
    return novel ? { known } : undefined;
  }

  /** When the rule began learning: its first event (an earlier line read later moves it back). */
  private started(rule: string, at: number, changes: BaselineChanges): LearnedFact {
    const key = `${rule}\0${START}`;
    let values = this.subjects.get(key);
    if (!values) {
      values = new Map();
      this.subjects.set(key, values);
    }
    const start = values.get('');
    if (start && start.firstSeen <= at) return start;
    const fact = { rule, subject: START, value: '', firstSeen: at, lastSeen: at, count: 1 };
    values.set('', fact);
    changes.learned.push({ ...fact });
    return fact;
  }

  private learn(rule: string, subject: string, value: string, at: number, changes: BaselineChanges): LearnedFact {
    const values = this.values(rule, subject);
    const fact = values.get(value) ?? { rule, subject, value, firstSeen: at, lastSeen: at, count: 0 };
    fact.firstSeen = Math.min(fact.firstSeen, at);
    fact.lastSeen = Math.max(fact.lastSeen, at);
    fact.count++;
    // Last seen now: to the end of the order.
    values.delete(value);
    values.set(value, fact);
    changes.learned.push({ ...fact });
    if (values.size > MAX_VALUES) {
      // The first in the order is the one seen least recently.
      const oldest = values.keys().next().value!;
      values.delete(oldest);
      changes.forgotten.push({ rule, subject, value: oldest });
    }
    return fact;
  }

  /** The subject's values (made when new, the least recent subject of the rule let go beyond MAX_SUBJECTS). */
  private values(rule: string, subject: string): Map<string, LearnedFact> {
    const key = `${rule}\0${subject}`;
    let values = this.subjects.get(key);
    if (values) {
      this.subjects.delete(key);
      this.subjects.set(key, values);
      return values;
    }
    values = new Map();
    this.subjects.set(key, values);
    this.perRule.set(rule, (this.perRule.get(rule) ?? 0) + 1);
    return values;
  }

  /** Lets go of the least recently seen subjects of a rule beyond MAX_SUBJECTS (never its start). */
  private trim(rule: string, changes: BaselineChanges): void {
    let over = (this.perRule.get(rule) ?? 0) - MAX_SUBJECTS;
    if (over <= 0) return;
    for (const [key, values] of this.subjects) {
      if (over <= 0) break;
      if (!key.startsWith(`${rule}\0`) || key === `${rule}\0${START}`) continue;
      this.subjects.delete(key);
      over--;
      for (const f of values.values()) changes.forgotten.push({ rule, subject: f.subject, value: f.value });
    }
    this.perRule.set(rule, MAX_SUBJECTS);
  }
}

/** Networks a new-network incident lists the user as known from. */
const KNOWN_SHOWN = 5;

/**
 * A login judged by a learning detector: learned, and returned with its network and the networks the user is known
 * from when the network is new to them (after the detector's learning period); else undefined.
 */
export function judgeNew(
  baselines: Baselines,
  rule: CompiledRule,
  match: Match,
  at: number,
  changes: BaselineChanges,
): Match | undefined {
  const learns = rule.detect!.learns!;
  const { user, ip } = match.fields;
  const network = ip === undefined ? undefined : networkOf(ip, learns.ipv4Prefix, learns.ipv6Prefix);
  // A login whose user or address failed its type teaches nothing.
  if (user === undefined || network === undefined) return undefined;
  const novel = baselines.observe(rule.id, user, network, at, learns.period, changes);
  if (!novel) return undefined;
  const known = novel.known.slice(0, KNOWN_SHOWN).join(', ') || 'none';
  const more = novel.known.length > KNOWN_SHOWN ? ` and ${novel.known.length - KNOWN_SHOWN} more` : '';
  return { ...match, fields: { ...match.fields, network, known: `${known}${more}` } };
}
