// Escalations: each step taken once (moved on and its mails queued in one transaction), stopped when a person acts.
import type { EmailJob, EscalationRow, Incident, MailNote } from '../../core/types.js';
import type { CommitOptions, EscalationRepository, OutboxDraft, OutboxJob } from '../ports.js';
import type { SqliteAudit } from './audit.js';
import type { SqliteDatabase } from './database.js';
import type { OutboxQueue } from './outbox.js';

export class SqliteEscalations implements EscalationRepository {
  private readonly statements;
  private readonly database: SqliteDatabase;
  private readonly audit: SqliteAudit;
  private readonly queue: OutboxQueue;

  constructor(database: SqliteDatabase, audit: SqliteAudit, queue: OutboxQueue) {
    this.database = database;
    this.audit = audit;
    this.queue = queue;
    const { db } = database;
    this.statements = {
      lastManualEscalation: db.prepare<[number], { actor: string; at: number }>(
        'SELECT actor, at FROM manual_escalations WHERE incident_id = ?',
      ),
      writeManualEscalation: db.prepare(
        `INSERT INTO manual_escalations (incident_id, actor, at) VALUES (?, ?, ?)
         ON CONFLICT (incident_id) DO UPDATE SET actor = excluded.actor, at = excluded.at`,
      ),
      insertEscalation: db.prepare(
        `INSERT INTO escalations (incident_id, severity, started_at, next_at, state) VALUES (?, ?, ?, ?, 'active')
         ON CONFLICT (incident_id) DO NOTHING`,
      ),
      stopEscalation: db.prepare("UPDATE escalations SET state = 'stopped' WHERE incident_id = ? AND state = 'active'"),
      dueEscalations: db.prepare<[number], EscalationRow>(
        `SELECT incident_id AS incidentId, severity, started_at AS startedAt, step, next_at AS nextAt
         FROM escalations WHERE state = 'active' AND next_at <= ? ORDER BY next_at`,
      ),
      advanceEscalation: db.prepare(
        `UPDATE escalations SET step = step + 1, next_at = ?, state = ?
         WHERE incident_id = ? AND step = ? AND state = 'active'`,
      ),
    };
  }

  async readDue(now: number): Promise<EscalationRow[]> {
    return this.statements.dueEscalations.all(now);
  }

  async advance(
    step: { incidentId: number; step: number; nextAt: number | null; mails: OutboxDraft[] },
    now: number,
  ): Promise<boolean> {
    let taken = false;
    this.database.transaction(() => {
      const state = step.nextAt === null ? 'done' : 'active';
      taken =
        this.statements.advanceEscalation.run(step.nextAt ?? now, state, step.incidentId, step.step).changes === 1;
      if (!taken) return;
      this.queue.add(step.mails, now);
      this.audit.appendNow({
        at: now,
        actor: 'logwarden',
        action: 'escalation:step',
        incidentId: step.incidentId,
        data: { step: step.step, mails: step.mails.map((m) => m.payload), next: step.nextAt },
      });
    });
    return taken;
  }

  async stop(incidentId: number, reason: string, now: number): Promise<void> {
    this.database.transaction(() => {
      if (this.stopQuietly(incidentId)) {
        this.audit.appendNow({
          at: now,
          actor: 'logwarden',
          action: 'escalation:stopped',
          incidentId,
          data: { reason },
        });
      }
    });
  }

  /** Stops it without an audit row of its own (a decision's row says why); true when one was active. */
  stopQuietly(incidentId: number): boolean {
    return this.statements.stopEscalation.run(incidentId).changes === 1;
  }

  /** Starts escalating a new incident, its first step `firstAfter` ms from now (inside the caller's transaction). */
  start(incident: Incident, now: number, firstAfter: number): void {
    this.statements.insertEscalation.run(incident.id, incident.severity, now, now + firstAfter);
  }

  async queueManual(
    incidentId: number,
    mail: OutboxDraft,
    actor: string,
    now: number,
    quiet: number,
  ): Promise<{ actor: string; at: number } | undefined> {
    let earlier: { actor: string; at: number } | undefined;
    this.database.transaction(() => {
      const last = this.statements.lastManualEscalation.get(incidentId);
      if (last && now - last.at < quiet) {
        earlier = last;
        return;
      }
      this.statements.writeManualEscalation.run(incidentId, actor, now);
      this.queue.add([mail], now);
      this.audit.appendNow({
        at: now,
        actor,
        action: 'escalation:queued',
        incidentId,
        data: { ...(mail.payload as Record<string, unknown>) },
      });
    });
    return earlier;
  }

  async finishMail(
    job: OutboxJob,
    result: { error?: string },
    now: number,
    options: CommitOptions = {},
  ): Promise<void> {
    this.database.transaction(() => {
      if (result.error) this.queue.failed(job.id, result.error);
      else this.queue.done(job.id, now);
      const mail = job.payload as EmailJob;
      this.audit.appendNow({
        at: now,
        actor: 'logwarden',
        action: result.error ? 'escalation:mail-failed' : 'escalation:mail-sent',
        incidentId: job.incidentId,
        data: { to: mail.to, reason: mail.reason, attempts: job.attempts + 1, ...result },
      });
      const note: MailNote = {
        kind: 'mail',
        to: mail.to,
        reason: mail.reason,
        ...(result.error ? { error: result.error } : {}),
      };
      this.queue.notify(options, { event: 'mail', incidentId: job.incidentId, note }, now);
    });
  }
}
