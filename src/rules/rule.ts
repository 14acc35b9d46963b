// The vocabulary of rules: what a compiled rule is, whatever its kind, and what matching shares across a source's
// lines. Types only, imported by every rule kind and by the compiler that builds them (so that none imports another).
import type { BlockList } from 'node:net';
import type { EventType, FieldType, PatternCheck, Severity } from '../core/types.js';
import type { LearnSettings } from './detect/detector.js';
import type { CompiledFail2banFilter } from './fail2ban/fail2ban-filter.js';
import type { FilterMemory } from './fail2ban/filter-memory.js';
import type { ProcessMemory } from './process-memory.js';
import type { WebCategory } from './web/web-signatures.js';

export interface CompiledPattern {
  /** The pattern with its groups unnamed: `groups` says which number each name has. */
  regex: RegExp;
  groups: readonly [name: string, index: number][];
  /** Every match contains one of these (empty: no prefilter possible). */
  anchors: string[];
  /** Each of these sets is one the pattern's matches all contain a literal of: the screen picks among them. */
  anchorSets: string[][];
  captures: string[];
  /** A PAM failure, or the program's own line that may follow one for the same attempt (counted once). */
  counts?: 'pam' | 'after-pam' | 'follow-up' | 'pam-more';
  /** The capture holding how many attempts the line stands for. */
  timesFrom?: string;
  /** The address comes from earlier lines of the same process. */
  ipFromProcess?: boolean;
  /** Its address is remembered for later lines of the process (the rule has patterns that take it from there). */
  remember?: boolean;
  /** The address is the client the web server wrote outside the message. */
  ipFromClient?: boolean;
  /** `host` is the host the line's envelope names (a key by host, for a rule over a program's messages). */
  hostFromEnvelope?: boolean;
  /** This capture is the line's program when the pattern's own group did not fill it. */
  programAs?: string;
  check?: PatternCheck;
  /** The `detail` field when the pattern captures none. */
  detail?: string;
}

/** How a rule reads lines: regular expressions, a fail2ban filter, or a category of the web access-log classifier. */
export type RuleKind = 'regex' | 'fail2ban' | 'web';

export interface CompiledRule {
  id: string;
  kind: RuleKind;
  severity: Severity;
  title: string;
  sources: string[];
  /** Programs whose messages the patterns read (from the message's start); undefined: whole lines. */
  programs?: string[];
  patterns: CompiledPattern[];
  ignore: RuleIgnore;
  /** The type of every field a match can carry (captures the config does not type are `text`). */
  fields: Record<string, FieldType>;
  /** Fields the count is keyed by (threshold and dedupe): a value failing its type rejects the line. */
  keyFields: string[];
  /** Fields every match carries when their values are valid: what a response action may use. */
  captured: string[];
  threshold: { count: number; within: number; by: string[]; ipv6Prefix: number };
  dedupe?: { by: string[]; within: number };
  /** The pack this rule came from, if any. */
  pack?: string;
  /** Response actions its incidents offer. */
  actions: string[];
  /** A fail2ban filter run as it is. */
  fail2ban?: Fail2banRuleState;
  /** The access-log category a web rule counts. */
  web?: { category: WebCategory };
  /** What its matches mean to detectors (a pack's failures are `auth.failure`). */
  event?: EventType;
  /** It opens nothing itself: its matches are events for the detectors (a web login that succeeded). */
  quiet?: true;
  /**
   * A learned detector (detect:): its own matches are the events it judges (a login), the events in `after` from
   * rules reading the same sources are what it judges them by (the failures before it).
   */
  detect?: {
    detector: string;
    after: readonly EventType[];
    /** Events of other rules it judges as its own lines (a web login that succeeded). */
    triggers: readonly EventType[];
    /** What its title says where a line names no value (a web form's login names no user: "someone"). */
    untitled?: Readonly<Record<string, string>>;
    /** The fields it fills in itself (how many failures, over how long): an incident keeps them as lines fold in
     * (none for a detector whose finding grows: its latest is told). */
    adds: readonly string[];
    /** Its count and window (a judge's own: addresses within an hour; else prior events before its line). */
    limits: { count: number; within: number };
    /** How it learns (a learning detector): its period, network sizes, zone and minimums. */
    learn: LearnSettings;
  };
}

/** A capture's values that make a match ignored: exact values, or addresses and ranges for ip and cidr fields. */
export interface FieldIgnore {
  field: string;
  values: readonly string[];
  /** Addresses and CIDR ranges, when the field holds addresses. */
  subnets?: readonly { address: string; prefix: number; family: 'ipv4' | 'ipv6' }[];
}

export interface RuleIgnore {
  /** Whole-line patterns. */
  lines: readonly RegExp[];
  fields: readonly FieldIgnore[];
}

export interface Fail2banRuleState {
  compiled: CompiledFail2banFilter;
  /** Failures of one connection seen over several lines (fail2ban's mlfid cache). */
  memory: FilterMemory;
  ignoreIp?: BlockList;
  mode?: string;
}

/** What one source shares across its lines and rules. */
export interface MatchState {
  processes: ProcessMemory;
  now: number;
  /**
   * Which patterns the screen let this line through for: pattern p of the rule at `base` may match only when
   * `marks[base + p] === stamp`. Absent when the source is not screened (every pattern checks its own literals).
   */
  screen?: { marks: Uint32Array; stamp: number; base: number };
}
