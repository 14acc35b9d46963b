// Escalation by itself and on request: while an incident of a severity with a policy stays open and
// unacknowledged, each level's mail goes out at its time (level 1 at once, level 2 after 15 min, …, then the levels
// again `repeat` times). Steps live in the store and are taken once, in the same transaction that queues their
// mail, so a restart neither loses nor doubles one. Acknowledging (or closing) stops it.
import { formatDuration } from '../config/duration.js';
import type { EscalationConfig, EscalationPolicy } from '../config/schema.js';
import type { EscalateOutcome } from '../core/commands.js';
import type { Logger } from '../core/logger.js';
import { type Clock, type EmailJob, type EscalationRow, MAIL_JOB_KIND, type Severity } from '../core/types.js';
import type { Metrics } from '../metrics/metrics.js';
import type { OutboxDraft, Store } from '../store/ports.js';
import { whoIsOnCall } from './oncall-schedule.js';

/** The outbox job that mails an escalation (its body is rendered when it is sent). */
const mailTo = (incidentId: number, mail: EmailJob): OutboxDraft => ({
  kind: MAIL_JOB_KIND,
  incidentId,
  payload: mail,
});

/** An Escalate click within this long of the last one for the incident mails nobody again. */
const MANUAL_QUIET = 5 * 60_000;

export interface Escalator {
  /** Takes every due step now (a step two ticks both see is taken once). */
  tick(): Promise<void>;
  /** The Escalate button (already authorised): mails the primary on call now; says what came of it. */
  escalateNow(
    incidentId: number,
    actor: string,
  ): Promise<Exclude<EscalateOutcome, { outcome: 'refused' | 'not-configured' }>>;
  /** When each severity's first step comes after an incident opens, for the store to start escalations. */
  readonly firstAfter: Partial<Record<Severity, number>>;
}

/** When step `step` of a policy is due, counted from when the escalation started; null after the last. */
export function stepDueAt(policy: EscalationPolicy, startedAt: number, step: number): number | null {
  const levels = policy.levels.length;
  if (step >= levels * (policy.repeat + 1)) return null;
  const cycle = Math.floor(step / levels);
  const cycleLength = policy.levels.at(-1)!.after + policy.repeatAfter;
  return startedAt + cycle * cycleLength + policy.levels[step % levels]!.after;
}

export function createEscalator(deps: {
  store: Store;
  clock: Clock;
  logger: Logger;
  config: EscalationConfig;
  onQueued(): void;
  metrics?: Metrics;
}): Escalator {
  const { store, clock, config } = deps;
  const targets = (notify: readonly string[], now: number): string[] => {
    const oncall = config.oncall ? whoIsOnCall(config.oncall, now) : undefined;
    const emails = notify.flatMap((n) =>
      n === 'primary'
        ? oncall
          ? [oncall.primary.email]
          : []
        : n === 'secondary'
          ? oncall?.secondary
            ? [oncall.secondary.email]
            : []
          : [n],
    );
    return [...new Set(emails)];
  };

  const takeStep = async (row: EscalationRow, now: number) => {
    const found = await store.incidents.read(row.incidentId);
    const policy = config.policies[row.severity];
    if (!found || !policy || found.incident.status !== 'open' || found.decisions.acknowledgedBy) {
      await store.escalations.stop(row.incidentId, found?.decisions.acknowledgedBy ? 'acknowledged' : 'closed', now);
      return;
    }
    const levels = policy.levels.length;
    const level = row.step % levels;
    const cycle = Math.floor(row.step / levels);
    const to = targets(policy.levels[level]!.notify, now);
    const reason = `level ${level + 1}${cycle > 0 ? `, repeat ${cycle},` : ''} of the ${row.severity} policy: unacknowledged for ${formatDuration(Math.max(0, now - row.startedAt))}`;
    const nextAt = stepDueAt(policy, row.startedAt, row.step + 1);
    if (
      await store.escalations.advance(
        {
          incidentId: row.incidentId,
          step: row.step,
          nextAt,
          mails: to.length ? [mailTo(row.incidentId, { to, reason })] : [],
        },
        now,
      )
    ) {
      deps.metrics?.escalationStep(row.severity);
      if (to.length === 0)
        deps.logger.warn({ incident: row.incidentId, level: level + 1 }, 'escalation level has nobody to mail');
      deps.onQueued();
    }
  };

  return {
    firstAfter: Object.fromEntries(
      Object.entries(config.policies).map(([severity, policy]) => [severity, policy.levels[0]!.after]),
    ) as Partial<Record<Severity, number>>,
    async tick() {
      const now = clock();
      for (const row of await store.escalations.readDue(now)) await takeStep(row, now);
    },
    async escalateNow(incidentId, actor) {
      const now = clock();
      const found = await store.incidents.read(incidentId);
      if (!found) return { outcome: 'no-incident', incidentId };
      const policy = config.policies[found.incident.severity];
      const to = config.oncall ? targets(['primary'], now) : targets(policy?.levels[0]?.notify ?? [], now);
      if (to.length === 0) return { outcome: 'nobody' };
      const earlier = await store.escalations.queueManual(
        incidentId,
        mailTo(incidentId, { to, reason: `escalated by Slack user ${actor}` }),
        actor,
        now,
        MANUAL_QUIET,
      );
      if (earlier) {
        const agoMs = Math.max(0, Math.round((now - earlier.at) / 1000) * 1000);
        return { outcome: 'already', incidentId, by: earlier.actor, agoMs, quietMs: MANUAL_QUIET };
      }
      deps.onQueued();
      return { outcome: 'queued', to };
    },
  };
}
