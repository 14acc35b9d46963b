// A journald source: follows `journalctl -o json` from the last committed cursor and renders each entry as the syslog
// line it would have been (`2026-11-23T10:15:01.123456+00:00 host sshd[123]: message`), so the same rules and
// packs match files and the journal alike.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { JournalFailedError } from '../../core/errors.js';
import { systemTimers, type Timer, type Timers } from '../../core/timers.js';
import type { Clock, LineChunk } from '../../core/types.js';
import type { RunningSource } from '../source.js';
import type { JournaldSourceConfig } from './schema.js';

export interface JournaldDeps {
  readCursor(): Promise<string | undefined>;
  /** Resolves once the lines are committed; the journal is not read on meanwhile. */
  onChunk(chunk: LineChunk): Promise<void>;
  onProblem(error: JournalFailedError): void;
  onRecovered(): void;
  env: NodeJS.ProcessEnv;
  /** For the read lag of /metrics. */
  clock: Clock;
  /** How it waits to start journalctl again (default: the system's timers). */
  timers?: Timers;
}

const RESTART_DELAYS = [250, 1000, 5000, 15_000, 60_000];
/** Entries are passed on in batches: at most this many, or whatever arrived within one turn of the event loop. */
const BATCH = 1000;

/** The argv for journalctl: never a shell string. */
export function createJournalctlArgs(config: JournaldSourceConfig, cursor: string | undefined): string[] {
  const args = ['--output=json', '--follow', '--no-pager'];
  if (cursor) args.push(`--after-cursor=${cursor}`);
  else args.push(config.from === 'start' ? '--lines=all' : '--lines=0');
  for (const unit of config.unit ?? []) args.push(`--unit=${unit}`);
  args.push(...config.matches);
  return args;
}

interface JournalEntry {
  __CURSOR?: string;
  __REALTIME_TIMESTAMP?: string;
  _HOSTNAME?: string;
  SYSLOG_IDENTIFIER?: string;
  _COMM?: string;
  _PID?: string;
  SYSLOG_PID?: string;
  MESSAGE?: string | number[] | null;
}

/** The syslog-style line for a journal entry, or undefined when it has no message. */
export function renderJournalLine(entry: JournalEntry): string | undefined {
  const raw = entry.MESSAGE;
  if (raw === undefined || raw === null) return undefined;
  // Binary messages come as byte arrays; decode them the way file lines are decoded.
  const message = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  const micros = Number(entry.__REALTIME_TIMESTAMP ?? Number.NaN);
  // Without a timestamp the line has none, and the engine counts it as arriving now.
  const stamp = Number.isFinite(micros)
    ? `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19)}.${String(micros % 1_000_000).padStart(6, '0')}+00:00 `
    : '';
  const ident = entry.SYSLOG_IDENTIFIER ?? entry._COMM ?? 'unknown';
  const pid = entry.SYSLOG_PID ?? entry._PID;
  return `${stamp}${entry._HOSTNAME ?? 'localhost'} ${ident}${pid ? `[${pid}]` : ''}: ${message.replace(/\n/g, ' ')}`;
}

export function createJournaldSource(config: JournaldSourceConfig, deps: JournaldDeps): RunningSource {
  let child: ChildProcess | undefined;
  let stopped = false;
  let failures = 0;
  let restartTimer: Timer | undefined;
  let failing = false;
  let failure: string | undefined;
  let lagSeconds = 0;
  /** The time stamp (µs) of the last entry read, for the lag, worked out once per batch rather than per entry. */
  let lastStamp = Number.NaN;
  let lines: string[] = [];
  let cursor: string | undefined;
  let flushScheduled = false;
  /** The batches handed on, one after the other (each committed before the next). */
  let flushing: Promise<void> = Promise.resolve();
  let waiting = 0;

  const flush = (): Promise<void> => {
    flushScheduled = false;
    if (lines.length === 0 || !cursor) return flushing;
    const data = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    lines = [];
    if (Number.isFinite(lastStamp)) lagSeconds = Math.max(0, (deps.clock() * 1000 - lastStamp) / 1e6);
    const chunk: LineChunk = { sourceId: config.id, origin: 'journal', data, position: { kind: 'journal', cursor } };
    // journalctl waits (its pipe fills) while the batch is committed: a slow store slows the reading.
    const output = child?.stdout;
    output?.pause();
    waiting++;
    flushing = flushing
      .then(() => deps.onChunk(chunk))
      .catch((error: unknown) =>
        deps.onProblem(new JournalFailedError(config.id, `its lines could not be processed (${String(error)})`)),
      )
      .finally(() => {
        if (--waiting === 0) output?.resume();
      });
    return flushing;
  };

  const fail = (reason: string, cause?: unknown) => {
    if (!failing) deps.onProblem(new JournalFailedError(config.id, reason, { cause }));
    failing = true;
    failure = reason;
  };

  const launch = async () => {
    if (stopped) return;
    // What was read before is committed first, so the cursor to start after is the last one.
    await flushing;
    let from: string | undefined;
    try {
      from = await deps.readCursor();
    } catch (error) {
      fail(`cannot read where it stopped (${(error as Error).message})`, error);
      if (!stopped) relaunchLater();
      return;
    }
    if (stopped) return;
    const args = createJournalctlArgs(config, from);
    const proc = spawn(config.journalctl, args, { stdio: ['ignore', 'pipe', 'pipe'], env: deps.env });
    child = proc;
    let stderr = '';
    proc.stderr?.setEncoding('utf8').on('data', (s: string) => {
      stderr = (stderr + s).slice(-2000);
    });
    const reader = createInterface({ input: proc.stdout!, crlfDelay: Number.POSITIVE_INFINITY });
    reader.on('line', (text) => {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(text) as JournalEntry;
      } catch {
        return;
      }
      if (failing) {
        failing = false;
        deps.onRecovered();
      }
      failures = 0;
      lastStamp = Number(entry.__REALTIME_TIMESTAMP);
      const line = renderJournalLine(entry);
      if (entry.__CURSOR) cursor = entry.__CURSOR;
      if (line !== undefined)
        lines.push(line.length > config.maxLineBytes * 4 ? line.slice(0, config.maxLineBytes * 4) : line);
      if (lines.length >= BATCH) void flush();
      else if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(() => void flush());
      }
    });
    proc.on('error', (error) => fail(`cannot run ${config.journalctl} (${(error as Error).message})`, error));
    proc.on('close', (code, signal) => {
      void flush();
      child = undefined;
      if (stopped) return;
      fail(`${config.journalctl} exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`);
      relaunchLater();
    });
  };

  // Tried again later, longer after each failure in a row: journalctl exited, or where it stopped could not be read.
  function relaunchLater(): void {
    const delay = RESTART_DELAYS[Math.min(failures++, RESTART_DELAYS.length - 1)]!;
    restartTimer = (deps.timers ?? systemTimers).after(delay, () => void launch());
  }

  return {
    async start() {
      await launch();
    },
    async stop() {
      stopped = true;
      restartTimer?.cancel();
      const proc = child;
      if (proc && proc.exitCode === null) {
        const closed = new Promise((resolve) => proc.once('close', resolve));
        proc.kill('SIGTERM');
        await closed;
      }
      await flushing;
    },
    syncNow: () => flush(),
    status() {
      const running = child !== undefined && !failing;
      return {
        ready: running,
        ...(running ? {} : { problem: failure ?? `${config.journalctl} is not running` }),
        lagSeconds,
      };
    },
  };
}
