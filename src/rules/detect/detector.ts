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
  fields: Record<string, FieldType>;
  severity: Severity;
  /** How many prior events, within how long, keyed by which fields. */
  threshold: { count: number; within: number; by: string[] };
  /** The incident's title: the fields, and {failures} (how many prior events) and {span} (over how long). */
  title: string;
}
