// Where /logs queries run: never on the bot's event loop, never unbounded. Each query gets its own worker thread
// (at most `workers` at once, at most `perUser` for one person; the rest are told to try again), its budget of time
// and bytes, and a hard stop a second after its time is up, whatever the query is doing.
import { Worker } from 'node:worker_threads';
import type { FileSourceConfig } from '../config/schema.js';
import { packageFile } from '../core/package-files.js';
import type { QueryBudget, SearchRequest, SearchResult, TailResult } from './search-logs.js';

export type SearchJob = { sources: FileSourceConfig[]; request: SearchRequest; now: number; budget: QueryBudget };
export type TailJob = { source: FileSourceConfig; count: number };
export type QueryJob = ({ kind: 'search' } & SearchJob) | ({ kind: 'tail' } & TailJob);

export type QueryOutcome<R> =
  | { kind: 'done'; result: R }
  /** Not run: too many queries at once. */
  | { kind: 'busy'; why: string }
  /** Stopped from outside (its thread did not stop itself in time) or failed. */
  | { kind: 'failed'; why: string };

export interface QueryLimits {
  workers: number;
  perUser: number;
  timeBudget: number;
  byteBudget: number;
}

export interface QueryPool {
  readonly limits: QueryLimits;
  search(user: string, job: SearchJob): Promise<QueryOutcome<SearchResult>>;
  tail(user: string, job: TailJob): Promise<QueryOutcome<TailResult>>;
  /** Stops every query running (at shutdown). */
  stop(): Promise<void>;
}

/** The worker's time to stop itself after its budget, before it is stopped. */
const HARD_STOP_GRACE_MS = 1000;
/** A query's thread gets this much heap: results are capped, so more means something is wrong. */
const WORKER_HEAP_MB = 128;

// The built one, also under the tests (run from the TypeScript sources): a thread runs JavaScript.
const WORKER = 'dist/queries/query-worker.js';

export function createQueryPool(limits: QueryLimits): QueryPool {
  const running = new Set<Worker>();
  const perUser = new Map<string, number>();
  const run = async <R>(user: string, job: QueryJob): Promise<QueryOutcome<R>> => {
    if (running.size >= limits.workers) {
      return { kind: 'busy', why: `${running.size} queries are running already; try again in a few seconds.` };
    }
    if ((perUser.get(user) ?? 0) >= limits.perUser) {
      return { kind: 'busy', why: 'your last query is still running; try again when it has answered.' };
    }
    perUser.set(user, (perUser.get(user) ?? 0) + 1);
    let worker: Worker | undefined;
    try {
      // Inside the try: a thread that cannot be made (none left) must not keep this person's slot taken.
      // The thread's start-up counts against the budget: a search stops itself by the deadline, well before the hard
      // stop below, however long the thread took to start (a busy machine).
      worker = new Worker(packageFile(WORKER), {
        workerData: { job, startedAt: Date.now() },
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      });
      running.add(worker);
      const started = worker;
      return await new Promise<QueryOutcome<R>>((resolve) => {
        const hardStop = setTimeout(() => {
          resolve({
            kind: 'failed',
            why: `it was stopped after ${formatSeconds(limits.timeBudget + HARD_STOP_GRACE_MS)}`,
          });
          void started.terminate();
        }, limits.timeBudget + HARD_STOP_GRACE_MS);
        started.once('message', (result: R) => {
          clearTimeout(hardStop);
          resolve({ kind: 'done', result });
        });
        started.once('error', (error) => {
          clearTimeout(hardStop);
          resolve({ kind: 'failed', why: `it failed: ${error.message}` });
        });
        started.once('exit', () => {
          clearTimeout(hardStop);
          resolve({ kind: 'failed', why: 'it was stopped' });
        });
      });
    } catch (error) {
      return { kind: 'failed', why: `it could not start: ${(error as Error).message}` };
    } finally {
      // The person has their answer and may ask again; the thread counts against `workers` until it is gone (one
      // stuck in a read still holds its resources).
      const left = (perUser.get(user) ?? 1) - 1;
      if (left > 0) perUser.set(user, left);
      else perUser.delete(user);
      const done = worker;
      if (done) void done.terminate().finally(() => running.delete(done));
    }
  };
  return {
    limits,
    search: (user, job) => run(user, { kind: 'search', ...job }),
    tail: (user, job) => run(user, { kind: 'tail', ...job }),
    async stop() {
      await Promise.all([...running].map((w) => w.terminate()));
    },
  };
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
