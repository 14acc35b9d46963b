// What every rule of a source shares while it looks at one line: the text, its envelope (parsed once, only when a rule
// asks), and what earlier lines of the same process said (its client address, a PAM failure waiting for its
// program's own line). Pure but for the bounded memory it is handed.
import { GenerationalMap } from '../core/generational-map.js';
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

  private timeNow = Number.NaN;
  private timeAt: number | undefined;

  /** When the line says it was written, or undefined. */
  time(now: number): number | undefined {
    if (now !== this.timeNow) {
      const env = this.envelope;
      this.timeAt = env.stamp ? readStampTime(this.text, env.stamp, now) : undefined;
      this.timeNow = now;
    }
    return this.timeAt;
  }
}

/** Where one process stands in attempts for one key (an address, a user), and when (ms) each step was logged. */
export interface AttemptState {
  /** A PAM module logged a failure; the program's own failure line for the same attempt comes next. */
  pamPendingAt?: number;
  /** The last line counted was the program's own line for an attempt: a follow-up line belongs to it. */
  reportedAt?: number;
}

/**
 * What one process (host, program, pid) said earlier: its client's address and when (ms), and its attempt for the
 * key it was last counted for (a process serves one client; others' attempts are kept apart).
 */
export interface ProcessState extends AttemptState {
  readonly id: string;
  ip?: string;
  ipAt?: number;
  key?: string;
}

/** Processes (and their attempts) remembered per source at most; the least recently heard of are forgotten first. */
export const MAX_PROCESSES = 10_000;
/**
 * How long what a process said stays true of its later lines. sshd ends a connection that has not authenticated
 * within LoginGraceTime (2 minutes by default) and sudo's password prompt times out after 5 minutes; beyond that a
 * line with the same pid is another connection (pids are reused), whose address must not be taken from this one.
 */
export const PROCESS_MEMORY_MS = 10 * 60_000;

// sshd logs one connection's lines from one process: an address said once (or a PAM failure) applies to its later
// lines, as long as they are recent. Attempts are kept per process and key, so two users' sudo runs (sudo logs no
// pid by default) or a reused pid never pair one's lines with another's.
export class ProcessMemory {
  private readonly entries: GenerationalMap<string, ProcessState | AttemptState>;

  constructor(limit = MAX_PROCESSES) {
    this.entries = new GenerationalMap(2 * limit);
  }

  /** The state of the process that wrote this envelope (created on first use); undefined when the line names none. */
  processOf(env: Envelope): ProcessState | undefined {
    if (env.program === undefined) return undefined;
    const id = `${env.host ?? ''}\0${env.program}\0${env.pid ?? ''}`;
    const known = this.entries.get(id) as ProcessState | undefined;
    if (known) return known;
    const state: ProcessState = { id };
    this.entries.set(id, state);
    return state;
  }

  /** The process's attempt for one key (created on first use). */
  attempt(process: ProcessState, key: string, at: number): AttemptState {
    if (process.key === key) return process;
    // The process's own slot, unless it holds another key's attempt still in progress.
    if (process.key === undefined || !(recent(process.pamPendingAt, at) || recent(process.reportedAt, at))) {
      process.key = key;
      process.pamPendingAt = undefined;
      process.reportedAt = undefined;
      return process;
    }
    const id = `${process.id}\0\0${key}`;
    const known = this.entries.get(id) as AttemptState | undefined;
    if (known) return known;
    const state: AttemptState = {};
    this.entries.set(id, state);
    return state;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The client address the process logged within PROCESS_MEMORY_MS of `at`. */
export function recentIp(process: ProcessState, at: number): string | undefined {
  return process.ip !== undefined && recent(process.ipAt, at) ? process.ip : undefined;
}

/** Whether a step logged at `then` still holds at `now` (log times may step back a little: either way counts). */
export function recent(then: number | undefined, now: number): boolean {
  return then !== undefined && Math.abs(now - then) <= PROCESS_MEMORY_MS;
}
