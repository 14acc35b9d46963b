// What a learned detector is (detectors.ts lists them), and the memory a judging one keeps (the tracker holds it).
import type { EventType, FieldType, GeoLookup, LearnedFact, Severity } from '../../core/types.js';
import type { MessagePattern } from '../packs/pack.js';

export interface Detector {
  /** What it says of itself in `check` and the docs. */
  description: string;
  /** When it speaks, for `check`: with the rule's threshold and learn settings. */
  explain: (threshold: { count: number; within: number; by: readonly string[] }, learn: LearnSettings) => string;
  /** The events of other rules it weighs (failures), from rules reading the same sources. */
  after: readonly EventType[];
  /** Events of other rules it judges as its own lines (a web login that succeeded, read by the web pack). */
  triggers?: readonly EventType[];
  /** What its own lines are (none: it reads only the events in `after`). */
  event?: EventType;
  programs: readonly string[];
  patterns: MessagePattern[];
  /** The captures of its patterns, typed. */
  fields: Record<string, FieldType>;
  /** The fields it adds to its incidents itself (how many failures, the new network), typed. */
  adds: Record<string, FieldType>;
  severity: Severity;
  /**
   * Without `judge`: how many prior events within how long before its own line open an incident, keyed by which
   * fields. With it: the judge's own limits (count, within), and the incident's key (by).
   */
  threshold: { count: number; within: number; by: string[] };
  /** The incident's title, with the fields and those it adds as placeholders. */
  title: string;
  /** What the title says where a line names no value (a web form's login names no user: "someone"). */
  untitled?: Record<string, string>;
  /** What it learns, and how long before it speaks (settings `learn:` may change). */
  learns?: Partial<LearnSettings> & { period: number };
  /**
   * Judges each input (its own line, or an event in `after`) by what it learned, learning from it: the fields it
   * adds when the input is anomalous (an incident opens or grows), else undefined. Pure. Without it, the tracker
   * counts prior events in a window before its own line (success-after-failures).
   */
  judge?: (input: JudgeInput, memory: Memory) => Judgement | undefined;
  /**
   * It hears its sources themselves: `judge` is also given each chunk of lines read (event `source.read`, at the time
   * it was read), and `tick` is asked at every sweep what it finds then (a source gone silent).
   */
  hears?: true;
  tick?: (input: TickInput, memory: Memory) => Judgement[];
  /**
   * A person said an incident of it was a false positive: it learns the incident's finding as usual (the network
   * becomes known, the hour usual, the count no spike), so the like of it does not speak again. Returns what it
   * learned, for the audit; undefined when it has nothing to learn (the incident's key is silenced instead).
   */
  teach?: (incident: TaughtIncident, memory: Memory) => string | undefined;
  /**
   * What it learned of a subject (a user, a source, an address), as lines of plain text for `/logs baseline`; empty
   * when it knows nothing of it.
   */
  describe?: (subject: string, memory: MemoryView, learn: LearnSettings, now: number) => string[];
  /** Its latest finding replaces the earlier in its incident (a list of hosts that grows), instead of the first. */
  grows?: true;
  /** It judges by the host a line's envelope names (`host` in its input). */
  wantsHost?: true;
  /** What its memory holds at most: subjects (users, addresses), values per subject, and for how long unseen. */
  memory?: { subjects: number; values: number; keep: number };
}

/** What a judge found: the fields it adds, and how many events the incident starts from (default the input's). */
export interface Judgement {
  fields: Record<string, string>;
  count?: number;
  /** When what it found began, when before the input (a silence: the last line before it). */
  since?: number;
}

/** A detector's settings: the learn: defaults of the schema, the detector's own, then the rule's. */
export interface LearnSettings {
  /** It learns this long before it speaks; a value unseen this long is new again. */
  period: number;
  ipv4Prefix: number;
  ipv6Prefix: number;
  /** The zone of hours and weekdays (unusual-time, spike). */
  timezone: string;
  /** Logins a user must have before unusual-time speaks of them. */
  history: number;
  /** Counts below this never make a spike. */
  floor: number;
}

export interface JudgeInput {
  fields: Record<string, string>;
  /** When it happened. */
  at: number;
  /** What it is: the detector's own event, the event of the rule it came from, or lines read from its source. */
  event: EventType | 'source.read';
  /** An event of another rule (a failure), not the detector's own line. */
  prior: boolean;
  source: string;
  /** The host the line's envelope names (a central log holds many), when it names one. */
  host?: string;
  /** How many events the line stands for (rsyslog's `message repeated N times`). */
  times: number;
  threshold: { count: number; within: number };
  learn: LearnSettings;
  /** Where an address is, when the operator gave MaxMind databases (incidents.geoip). */
  geo?: GeoLookup;
}

/** An incident a person called a false positive, as a detector learns from it. */
export interface TaughtIncident {
  fields: Record<string, string>;
  key: Record<string, string>;
  /** When its finding happened (the login, the five minutes, the silence's start). */
  firstSeen: number;
  at: number;
  learn: LearnSettings;
}

/** A sweep, to a detector that hears its sources. */
export interface TickInput {
  now: number;
  sources: readonly string[];
  /** Why a source cannot be read now (a file it may not open, journalctl not running), by source. */
  problems: ReadonlyMap<string, string>;
  threshold: { count: number; within: number };
  learn: LearnSettings;
}

/** What a rule's detector knows, to read. */
export interface MemoryView {
  /** When the rule began learning: its earliest input (undefined: it has had none). */
  readonly since: number | undefined;
  get(subject: string, value: string): Readonly<LearnedFact> | undefined;
  /** The subject's facts, the least recently seen first. */
  facts(subject: string): readonly Readonly<LearnedFact>[];
  /** Every subject it knows of, the least recently seen first. */
  subjects(): Iterable<string>;
}

/** What a rule's detector knows: facts of subjects (a user's networks), kept bounded by the tracker. */
export interface Memory extends MemoryView {
  /** When the rule began learning: its earliest input. */
  readonly since: number;
  /** The subject was seen with the value at `at`: counted `by` more (0: only seen), its data replaced when given. */
  see(subject: string, value: string, at: number, by?: number, data?: string): Readonly<LearnedFact>;
  forget(subject: string, value: string): void;
}
