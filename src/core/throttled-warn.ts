import type { Logger } from './logger.js';
import type { Clock } from './types.js';

// Attackers can write lines that trip a warning by the thousand: each kind is logged at most once a minute, with the
// number left unsaid since.
export function createThrottledWarn(logger: Logger, clock: Clock, interval = 60_000) {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (kind: string, details: Record<string, unknown>, message: string) => {
    const now = clock();
    const seen = last.get(kind);
    if (seen && now - seen.at < interval) {
      seen.suppressed++;
      return;
    }
    logger.warn(seen?.suppressed ? { ...details, suppressed: seen.suppressed } : details, message);
    last.set(kind, { at: now, suppressed: 0 });
  };
}
