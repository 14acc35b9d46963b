// Types of generate-weeks.mjs, for the tests that use it.
export interface WeeksLabel {
  kind: string;
  key: Record<string, string>;
  start: number;
  visible: number;
  within?: number;
}
export interface WeeksHost {
  host: string;
  lines: { at: number; text: string }[];
  labels: WeeksLabel[];
  start: number;
  end: number;
}
export const START: number;
export function mulberry32(seed: number): () => number;
export function generateHost(options?: {
  host?: string;
  hostIndex?: number;
  weeks?: number;
  seed?: number;
  anomalyFrom?: number;
}): WeeksHost;
