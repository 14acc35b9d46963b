// What a learned detector is (detectors.ts lists them).
import type { EventType, FieldType, Severity } from '../../core/types.js';
import type { MessagePattern } from '../packs/pack.js';

export interface Detector {
  /** What it says of itself in `check` and the docs. */
  description: string;
  /** The events of other rules it weighs its own lines by. */
  after: readonly EventType[];
  /** What its own lines are. */
  event: EventType;
  programs: readonly string[];
  patterns: MessagePattern[];
  /** The captures of its patterns, typed. */
  fields: Record<string, FieldType>;
  /** The fields it adds to its incidents itself (how many failures, the new network), typed. */
  adds: Record<string, FieldType>;
  severity: Severity;
  /** How many prior events, within how long, keyed by which fields. */
  threshold: { count: number; within: number; by: string[] };
  /**
   * The incident's title: the fields, and for a detector weighing prior events {failures} (how many) and {span} (over
   * how long); for one that learns, {network} and {known} (the networks it knew).
   */
  title: string;
  /**
   * It learns what each user's logins come from (networks of this size) over `period`, and speaks after that only of
   * a login from a network not seen in the last `period`.
   */
  learns?: { period: number; ipv4Prefix: number; ipv6Prefix: number };
}
