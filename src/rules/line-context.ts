// What every rule of a source shares while it looks at one line: the text, its envelope (parsed once, only when a rule
// asks), and what earlier lines of the same process said (its client address, a PAM failure waiting for its
// program's own line). Pure but for the bounded memory it is handed.
import type { Envelope } from '../envelope/envelope.js';
import { parseEnvelope } from '../envelope/parse-envelope.js';
import { readStampTime } from '../envelope/read-stamp.js';

export class LineContext {
  readonly text: string;
  private parsed: Envelope | undefined;
  /** What a rule kind computes once per line for all its rules (the web classifier's findings). */
  web: unknown;

  constructor(text: string) {
    this.text = text;
  }

  get envelope(): Envelope {
    this.parsed ??= parseEnvelope(this.text);
    return this.parsed;
  }

  /** When the line says it was written, or undefined. */
  time(now: number): number | undefined {
    const env = this.envelope;
    return env.stamp ? readStampTime(this.text, env.stamp, now) : undefined;
  }
}

/** What one process (host, program, pid) said earlier: its client's address, and a PAM failure not yet followed up. */
export interface ProcessState {
  ip?: string;
  /** A PAM module logged a failure; the program's own failure line for the same attempt comes next. */
  pamPending?: boolean;
  /** The last line counted was the program's own line for an attempt: a follow-up line belongs to it. */
  justReported?: boolean;
}

/** Processes remembered per source at most; the first heard of is forgotten first. */
export const MAX_PROCESSES = 10_000;

// sshd logs one connection's lines from one process: an address said once (or a PAM failure) applies to its later lines.
// Two generations of a map: a process heard of again moves to the young one; when the young one is full the old one
// is dropped whole. Constant time per line (a Map used as a queue slows down as deleted entries pile up at its head).
export class ProcessMemory {
  private young = new Map<string, ProcessState>();
  private old = new Map<string, ProcessState>();
  private readonly limit: number;

  constructor(limit = MAX_PROCESSES) {
    this.limit = limit;
  }

  /** The state of the process that wrote this envelope (created on first use); undefined when the line names none. */
  of(env: Envelope): ProcessState | undefined {
    if (env.program === undefined) return undefined;
    const key = `${env.host ?? ''}\0${env.program}\0${env.pid ?? ''}`;
    let state = this.young.get(key);
    if (state) return state;
    state = this.old.get(key) ?? {};
    if (this.young.size >= this.limit / 2) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, state);
    return state;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}
