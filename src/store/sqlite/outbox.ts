// The durable outbox: chat writes and mails queued in the same transaction as what caused them, taken by one worker
// per channel, retried until done or given up.
import type { ActionNote, DecisionNote, EmailJob, ThreadNote } from '../../core/types.js';
import type { OutboxChannel, OutboxJob, OutboxRepository } from '../ports.js';
import type { SqliteDatabase } from './database.js';

export class SqliteOutbox implements OutboxRepository {
  private readonly statements;

  constructor({ db }: SqliteDatabase) {
    this.statements = {
      dueOutbox: db.prepare<[number, string, number], Omit<OutboxJob, 'note'> & { payloadJson: string }>(
        `SELECT id, kind, incident_id AS incidentId, attempts, payload_json AS payloadJson
         FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? AND kind LIKE ? ORDER BY id LIMIT ?`,
      ),
      nextOutboxAt: db.prepare<[string], { at: number | null }>(
        "SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending' AND kind LIKE ?",
      ),
      deleteOutbox: db.prepare('DELETE FROM outbox WHERE id = ?'),
      retryOutbox: db.prepare(
        'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?',
      ),
      failOutbox: db.prepare(
        "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
      ),
      deferOutbox: db.prepare(
        "UPDATE outbox SET next_attempt_at = max(next_attempt_at, ?) WHERE state = 'pending' AND kind LIKE ?",
      ),
      outboxStats: db.prepare<[], { channel: string; depth: number; oldestAt: number | null }>(
        `SELECT substr(kind, 1, instr(kind, '.') - 1) AS channel, count(*) AS depth, min(first_due_at) AS oldestAt
         FROM outbox WHERE state = 'pending' GROUP BY channel`,
      ),
    };
  }

  async readDue(now: number, channel: OutboxChannel, limit = 50): Promise<OutboxJob[]> {
    return this.statements.dueOutbox
      .all(now, `${channel}.%`, limit)
      .map(({ payloadJson, ...job }) =>
        job.kind === 'slack.note'
          ? { ...job, note: JSON.parse(payloadJson) as ThreadNote }
          : job.kind === 'email.send'
            ? { ...job, email: JSON.parse(payloadJson) as EmailJob }
            : job,
      );
  }

  async readNextAt(channel: OutboxChannel): Promise<number | undefined> {
    return this.statements.nextOutboxAt.get(`${channel}.%`)?.at ?? undefined;
  }

  async complete(id: number): Promise<void> {
    this.statements.deleteOutbox.run(id);
  }

  async retry(id: number, at: number, error: string): Promise<void> {
    this.statements.retryOutbox.run(at, error, id);
  }

  async fail(id: number, error: string): Promise<void> {
    this.statements.failOutbox.run(error, id);
  }

  async defer(until: number, channel: OutboxChannel): Promise<void> {
    this.statements.deferOutbox.run(until, `${channel}.%`);
  }

  async readStats(): Promise<{ channel: string; depth: number; oldestAt: number | undefined }[]> {
    return this.statements.outboxStats.all().map((r) => ({ ...r, oldestAt: r.oldestAt ?? undefined }));
  }
}

/** The outbox's writes, for the other repositories to queue jobs inside their own transactions. */
export class OutboxQueue {
  private readonly statements;

  constructor({ db }: SqliteDatabase) {
    this.statements = {
      // One pending sync per incident, not due before `min_interval` after its message was last written.
      enqueueSync: db.prepare(
        `INSERT INTO outbox (kind, incident_id, next_attempt_at, first_due_at)
         SELECT 'slack.sync', @incident_id, due, due FROM (SELECT max(@now, coalesce(
           (SELECT updated_at + @min_interval FROM slack_messages WHERE incident_id = @incident_id), 0)) AS due) WHERE true
         ON CONFLICT (incident_id) WHERE kind = 'slack.sync' AND state = 'pending' DO NOTHING`,
      ),
      enqueueNote: db.prepare(
        `INSERT INTO outbox (kind, incident_id, payload_json, next_attempt_at, first_due_at) VALUES ('slack.note', ?, ?, ?, ?)`,
      ),
      enqueueEmail: db.prepare(
        `INSERT INTO outbox (kind, incident_id, payload_json, next_attempt_at, first_due_at) VALUES ('email.send', ?, ?, ?, ?)`,
      ),
    };
  }

  sync(incidentId: number, now: number, minInterval: number): void {
    this.statements.enqueueSync.run({ incident_id: incidentId, now, min_interval: minInterval });
  }

  note(incidentId: number, note: ThreadNote, now: number): void {
    this.statements.enqueueNote.run(incidentId, JSON.stringify(note), now, now);
  }

  email(incidentId: number, email: EmailJob, now: number): void {
    this.statements.enqueueEmail.run(incidentId, JSON.stringify(email), now, now);
  }

  /** A decision's or a run's thread note, with a sync so the message shows it too. */
  syncAndNote(incidentId: number, note: DecisionNote | ActionNote, now: number): void {
    this.sync(incidentId, now, 0);
    this.note(incidentId, note, now);
  }
}
