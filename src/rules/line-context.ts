// What every rule of a source shares while it looks at one line: the text, and its envelope and time (parsed once,
// only when a rule asks). Pure.
import type { Envelope } from '../envelope/envelope.js';
import { parseEnvelope } from '../envelope/parse-envelope.js';
import { readStampTime } from '../envelope/read-stamp.js';

export class LineContext {
  readonly text: string;
  /** The zone stamps without one are in (the source's `timezone:`); undefined for the host's. */
  readonly zone: string | undefined;
  private parsed: Envelope | undefined;
  /** What a rule kind computes once per line for all its rules (the web classifier's findings). */
  web: unknown;

  constructor(text: string, zone?: string) {
    this.text = text;
    this.zone = zone;
  }

  get envelope(): Envelope {
    this.parsed ??= parseEnvelope(this.text);
    return this.parsed;
  }

  private timeNow = Number.NaN;
  private timeAt: number | undefined;

  /** When the line says it was written, or undefined. */
  time(now: number): number | undefined {
    if (now !== this.timeNow) {
      const env = this.envelope;
      this.timeAt = env.stamp ? readStampTime(this.text, env.stamp, now, this.zone) : undefined;
      this.timeNow = now;
    }
    return this.timeAt;
  }
}
