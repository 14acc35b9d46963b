// Durations in configs read the way people write them: 45s, 10m, 1h30m, 1d, 250ms.

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;

export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$';

/** Milliseconds for a duration like `1h30m`, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (text.length === 0) return undefined;
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

/** The shortest readable form of a duration, for summaries: 90000 → 1m30s. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
    ['s', UNIT_MS.s],
    ['ms', UNIT_MS.ms],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** A duration roughly, in its largest unit: 10d, 5h, 3m (at least 1m). */
export function formatRoughly(ms: number): string {
  const unit = ms >= UNIT_MS.d ? UNIT_MS.d : ms >= UNIT_MS.h ? UNIT_MS.h : UNIT_MS.m;
  return formatDuration(Math.max(1, Math.round(ms / unit)) * unit);
}
