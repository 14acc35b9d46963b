import type { Logger } from './logger.js';
import type { Clock } from './types.js';

/** Kinds remembered at most. */
const MAX_KINDS = 10_000;

// Attackers can write lines that trip a warning by the thousand: each kind is logged at most once a minute, with the
// number left unsaid since.
export function createThrottledWarn(logger: Logger, clock: Clock, interval = 60_000) {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (kind: string, details: Record<string, unknown>, message: string) => {
    const now = clock();
    // Kinds may be per sender (an address a network source refused): a bound, however many there are.
    if (last.size >= MAX_KINDS && !last.has(kind)) last.clear();
    const seen = last.get(kind);
    if (seen && now - seen.at < interval) {
      seen.suppressed++;
      return;
    }
    logger.warn(seen?.suppressed ? { ...details, suppressed: seen.suppressed } : details, message);
    last.set(kind, { at: now, suppressed: 0 });
  };
}
