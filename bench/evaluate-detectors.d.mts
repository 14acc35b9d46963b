// Types of evaluate-detectors.mjs, for the tests that use it.
import type { WeeksHost, WeeksLabel } from './generate-weeks.mjs';

export interface DetectorRow {
  detector: string;
  injected: number;
  detected: number;
  rate: number;
  medianDelayMs: number | undefined;
  maxDelayMs: number | undefined;
  falsePerHostDay: number;
}
export interface Opened {
  host?: string;
  rule: string;
  key: Record<string, string>;
  fields: Record<string, string>;
  at: number;
  title: string;
}
export const DETECTOR_KINDS: string[];
export const WEEKS_CONFIG: string;
export function runHost(
  modules: unknown,
  host: WeeksHost,
  config?: string,
): {
  opened: Opened[];
  /** Each incident as it stands after the last line, by `${rule} ${JSON.stringify(key)}`. */
  latest: Map<string, { title: string; fields: Record<string, string>; count: number }>;
  learnedWrites: number;
  tracker: unknown;
  rules: unknown[];
};
export function evaluate(
  modules: unknown,
  hosts: WeeksHost[],
): {
  rows: DetectorRow[];
  unexplained: Opened[];
  missed: (WeeksLabel & { host: string })[];
  hostDays: number;
  lines: number;
};
