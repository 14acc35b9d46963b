// Works one channel of the durable outbox (Slack writes, or mail): takes due jobs in order, hands each to `handle`,
// and records what came of it — done, retry at a time, failed for good, or "everything waits until" (a 429) — then
// sleeps until the next job is due. Jobs live in SQLite, so a restart loses none.

import type { Logger } from '../core/logger.js';
import { systemTimers, type Timer, type Timers } from '../core/timers.js';
import type { Clock } from '../core/types.js';
import type { Metrics } from '../metrics/metrics.js';
import type { OutboxChannel, OutboxJob, Store } from './ports.js';

export type JobOutcome =
  | { done: true }
  | { retryAt: number; error: string }
  | { failed: string }
  | { deferAll: number; error: string };

export interface OutboxWorker {
  start(): void;
  /** Looks for due jobs now (after a commit queued some). */
  wake(): void;
  stop(): Promise<void>;
}

export interface OutboxWorkerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  channel: OutboxChannel;
  /** Who the jobs go to, for log messages: "Slack", "The mail server". */
  peer: string;
  handle(job: OutboxJob): Promise<JobOutcome>;
  /** Records a job done (default: deletes it). */
  complete?(job: OutboxJob): Promise<void>;
  /** Records a job failed for good (default: marks it failed); the worker has no one else to tell. */
  fail(job: OutboxJob, error: string): Promise<void>;
  metrics?: Metrics;
  /** How it waits for the next due job (default: the system's timers). */
  timers?: Timers;
}

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const { store, clock, logger, channel } = deps;
  const timers = deps.timers ?? systemTimers;
  let timer: Timer | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;

  const schedule = async () => {
    if (stopped) return;
    timer?.cancel();
    const next = await store.outbox.readNextAt(channel);
    if (next === undefined || stopped) return;
    timer = timers.after(Math.max(0, next - clock()), wake);
  };

  const runOnce = async () => {
    for (;;) {
      const jobs = await store.outbox.readDue(clock(), channel);
      if (jobs.length === 0 || stopped) return;
      for (const job of jobs) {
        if (stopped) return;
        const outcome = await deps.handle(job);
        if ('done' in outcome) {
          if (deps.complete) await deps.complete(job);
          else await store.outbox.complete(job.id, clock());
        } else if ('failed' in outcome) {
          deps.metrics?.deliveryFailed(channel, 'gave_up');
          await deps.fail(job, outcome.failed);
        } else if ('deferAll' in outcome) {
          deps.metrics?.deliveryFailed(channel, 'rate_limited');
          await store.outbox.retry(job.id, outcome.deferAll, outcome.error);
          await store.outbox.defer(outcome.deferAll, channel);
          logger.warn(
            { channel, until: new Date(outcome.deferAll).toISOString() },
            `${deps.peer} asked to slow down; waiting`,
          );
          return;
        } else {
          deps.metrics?.deliveryFailed(channel, 'retry');
          await store.outbox.retry(job.id, outcome.retryAt, outcome.error);
          logger.warn(
            { channel, incident: job.incidentId, error: outcome.error, attempt: job.attempts + 1 },
            `${deps.peer} did not take a job; will retry`,
          );
        }
      }
    }
  };

  function wake(): void {
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = runOnce()
      .then(async () => {
        if (!again) await schedule();
      })
      .catch((error: unknown) => logger.error({ channel, err: error }, 'outbox delivery failed unexpectedly'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  return {
    start() {
      stopped = false;
      wake();
    },
    wake,
    async stop() {
      stopped = true;
      timer?.cancel();
      await running;
    },
  };
}
