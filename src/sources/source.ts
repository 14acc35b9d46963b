// What every kind of source is to the rest of logwarden: something that starts, reads lines into chunks (each with the
// position to resume from, committed with what it changed), stops, and says how it is doing. A kind (file, journald…)
// is a folder with its config schema and these hooks, and one line in registry.ts.
import type * as z from 'zod';
import type { ConfigProblem } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Timers } from '../core/timers.js';
import type { Clock, LineChunk } from '../core/types.js';

export interface RunningSource {
  /** Resolves once the files present at start-up are being followed. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Reads everything new now (tests and shutdown use it); resolves once it is read and committed. */
  syncNow(): Promise<void>;
  /** How the source is doing, for /readyz and /metrics. */
  status(): SourceStatus;
}

export interface SourceStatus {
  /** Reading: its file open (for a glob, its folder watched), or journalctl running. */
  ready: boolean;
  /** Why not, when not. */
  problem?: string;
  /** The problem is with some of its files only (a glob's): the others are read. */
  partial?: boolean;
  /** Files: bytes written and not read yet, per file. */
  files?: { path: string; lagBytes: number }[];
  /** journald: how far behind its time stamp the last entry was read, in seconds. */
  lagSeconds?: number;
  /** Network sources: who sent, when last, and how much (`/logs hosts`). */
  senders?: SenderStatus[];
}

export interface SenderStatus {
  /** The sender's address (syslog) or name (http). */
  sender: string;
  lastAt: number;
  lines: number;
  /** Lines in the last full minute. */
  perMinute: number;
}

/** Where sources resumed from, as committed with their chunks. */
export interface SourcePositions {
  /** How far a file (by device + inode) was committed. */
  readOffset(dev: number, ino: number): Promise<number | undefined>;
  /** Every file (by device + inode) last read under this path, to find ones rotated away while logwarden was down. */
  readOffsetsForPath(path: string): Promise<{ dev: number; ino: number; offset: number }[]>;
  /** A rotated-away file was read to its end: its offset is no longer needed. */
  forgetOffset(dev: number, ino: number): Promise<void>;
  /** The journal cursor a source was committed at. */
  readCursor(sourceId: string): Promise<string | undefined>;
  /** The newest event ids a network source took (committed with their lines), newest first. */
  readEventIds?(sourceId: string, limit: number): Promise<string[]>;
}

/** What a running source may use of the rest of logwarden. */
export interface SourceDeps {
  clock: Clock;
  /** How it waits to poll or to retry. */
  timers: Timers;
  /** The source's own logger (its lines name the source). */
  logger: Logger;
  /** The environment of child processes it starts (journalctl): what commands get, no tokens. */
  env: NodeJS.ProcessEnv;
  /** A variable of logwarden's own environment, for a source's own credentials (an HTTP sender's token). */
  secret(name: string): string | undefined;
  /**
   * Receives complete lines; resolves once they are processed and committed with chunk.position. A source reads on
   * only after that (so a slow store slows reading, and nothing waits in memory unbounded).
   */
  onChunk(chunk: LineChunk): Promise<void>;
  positions: SourcePositions;
  /** The config's tail: (how often files are polled, how long a rotated-away file is read). */
  tail: { pollInterval: number; rotateQuiet: number };
}

/** One kind of source: its config entry's schema (with `type:` its own literal) and what logwarden does with one. */
export interface SourceKind<
  S extends z.ZodType<{ id: string; type: string }> = z.ZodType<{ id: string; type: string }>,
> {
  readonly type: z.output<S>['type'];
  readonly schema: S;
  /** One line for `check`'s summary, after the source's id. */
  describe(config: z.output<S>): string;
  /** What this machine says about the source, as warnings (`check`). */
  checkOnHost(config: z.output<S>, env: NodeJS.ProcessEnv): string[];
  /** What makes the source unusable on this machine, as config problems (`check` and `run` exit 2); `at` its path. */
  refuse?(config: z.output<S>, at: string): ConfigProblem[];
  /** Starts reading (its code is loaded only now). */
  create(config: z.output<S>, deps: SourceDeps): Promise<RunningSource>;
}

/** Declares a kind, keeping its schema's type for the config's union. */
export const defineSourceKind = <S extends z.ZodType<{ id: string; type: string }>>(
  kind: SourceKind<S>,
): SourceKind<S> => kind;
