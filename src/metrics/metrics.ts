// What the pipeline tells the metrics as it goes (events only: levels such as lag and open incidents are read when
// scraped, metrics-registry.ts). An interface, so the stages that report do not load the Prometheus client, and
// `noMetrics` when the http: listener is off.
import type { Severity } from '../core/types.js';

/** Why a job of the outbox (a Slack write, a mail) did not go through this time. */
export type DeliveryFailure = 'retry' | 'rate_limited' | 'gave_up';

export interface Metrics {
  /** A chunk of complete lines was read from a source. */
  read(source: string, lines: number, bytes: number): void;
  incidentOpened(severity: Severity): void;
  /** A job of one outbox channel ("slack", "email") failed. */
  deliveryFailed(channel: string, kind: DeliveryFailure): void;
  /** A response action's run ended: succeeded, failed, refused, dry-run, interrupted; undone for its undo. */
  actionFinished(outcome: string): void;
  /** An escalation policy took a step (mails queued to its level). */
  escalationStep(severity: Severity): void;
}

export const noMetrics: Metrics = {
  read() {},
  incidentOpened() {},
  deliveryFailed() {},
  actionFinished() {},
  escalationStep() {},
};
