// The durable outbox: chat writes and mails queued in the same transaction as what caused them, taken by one worker
// per channel, retried until done or given up.
import type { CommitOptions, OutboxChannel, OutboxDraft, OutboxJob, OutboxRepository, WriteEvent } from '../ports.js';
import type { SqliteDatabase } from './database.js';

export class SqliteOutbox implements OutboxRepository {
  private readonly statements;
  private readonly database: SqliteDatabase;
  private readonly queue: OutboxQueue;

  constructor(database: SqliteDatabase, queue: OutboxQueue) {
    this.database = database;
    this.queue = queue;
    const { db } = database;
    this.statements = {
      dueOutbox: db.prepare<[number, string, number], Omit<OutboxJob, 'payload'> & { payloadJson: string }>(
        `SELECT id, kind, incident_id AS incidentId, attempts, payload_json AS payloadJson
         FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? AND kind LIKE ? ORDER BY id LIMIT ?`,
      ),
      nextOutboxAt: db.prepare<[string], { at: number | null }>(
        "SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending' AND kind LIKE ?",
      ),
      retryOutbox: db.prepare(
        'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?',
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
    return this.statements.dueOutbox.all(now, `${channel}.%`, limit).map(({ payloadJson, ...job }) => {
      const payload: unknown = JSON.parse(payloadJson);
      return payload === null ? job : { ...job, payload };
    });
  }

  async readNextAt(channel: OutboxChannel): Promise<number | undefined> {
    return this.statements.nextOutboxAt.get(`${channel}.%`)?.at ?? undefined;
  }

  async complete(id: number, now: number): Promise<void> {
    this.database.transaction(() => this.queue.done(id, now));
  }

  async retry(id: number, at: number, error: string): Promise<void> {
    this.statements.retryOutbox.run(at, error, id);
  }

  async fail(id: number, error: string): Promise<void> {
    this.queue.failed(id, error);
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
      // A coalescing job joins the pending one of its kind for the incident, if any; it is due no sooner than
      // `spacing` after the last one of its kind was done for the incident.
      enqueue: db.prepare(
        `INSERT INTO outbox (kind, incident_id, payload_json, next_attempt_at, first_due_at, coalesces)
         SELECT @kind, @incident_id, @payload_json, due, due, @coalesces FROM (SELECT max(@now, coalesce(
           (SELECT done_at + @spacing FROM outbox_done WHERE kind = @kind AND incident_id = @incident_id), 0)) AS due)
         WHERE true
         ON CONFLICT (kind, incident_id) WHERE state = 'pending' AND coalesces = 1 DO NOTHING`,
      ),
      deleteOutbox: db.prepare('DELETE FROM outbox WHERE id = ?'),
      markDone: db.prepare(
        `INSERT INTO outbox_done (kind, incident_id, done_at) SELECT kind, incident_id, @now FROM outbox WHERE id = @id
         ON CONFLICT (kind, incident_id) DO UPDATE SET done_at = excluded.done_at`,
      ),
      failOutbox: db.prepare(
        "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
      ),
    };
  }

  /** A job is done (inside the caller's transaction): it goes, and when its kind was done for the incident stays. */
  done(id: number, now: number): void {
    this.statements.markDone.run({ id, now });
    this.statements.deleteOutbox.run(id);
  }

  /** A job failed for good (inside the caller's transaction): kept, marked failed. */
  failed(id: number, error: string): void {
    this.statements.failOutbox.run(error, id);
  }

  /** Queues the drafts (inside the caller's transaction). */
  add(drafts: readonly OutboxDraft[], now: number): void {
    for (const d of drafts) {
      this.statements.enqueue.run({
        kind: d.kind,
        incident_id: d.incidentId,
        payload_json: JSON.stringify(d.payload ?? null),
        now,
        coalesces: d.coalesce ? 1 : 0,
        spacing: d.coalesce?.spacing ?? 0,
      });
    }
  }

  /** The jobs the notifiers want for what a write did, queued with it. */
  notify(options: CommitOptions, event: WriteEvent, now: number): void {
    if (options.jobsFor) this.add(options.jobsFor(event), now);
  }
}
