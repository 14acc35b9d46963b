// What every part of logwarden logs through: structured details and a message, one level each. Made once by the CLI
// (logging/create-logger.ts, pino, JSON on stderr) and handed down; each part logs through its own child, which
// stamps its lines with the part's name ({"component":"slack"}), so one part's lines can be picked out.
export interface Logger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
  /** A logger whose every line also carries these details. */
  child(bindings: Record<string, unknown>): Logger;
}

/** The levels LOG_LEVEL may name. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The level asked for (LOG_LEVEL), when it names one; else the command's default, said (pino throws on a typo). */
export function logLevelOf(wanted: string | undefined, fallback: string, say: (text: string) => void): string {
  if (!wanted) return fallback;
  if ((LOG_LEVELS as readonly string[]).includes(wanted)) return wanted;
  say(`LOG_LEVEL=${wanted} is not a level (${LOG_LEVELS.join(', ')}); using ${fallback}.`);
  return fallback;
}

/** The process's logger: pino, one JSON object per line on stderr, written before the call returns. */
export interface ProcessLogger extends Logger {
  fatal(details: Record<string, unknown>, message: string): void;
}

export async function createLogger(level: string): Promise<ProcessLogger> {
  // pino is CommonJS: its default export is the function, whether bundled or not (and loaded only by the commands
  // that log).
  const { default: pino } = await import('pino');
  const logger: ProcessLogger = pino({ level, base: undefined }, pino.destination({ fd: 2, sync: true }));
  return logger;
}
