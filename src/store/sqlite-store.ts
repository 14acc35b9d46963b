// Everything logwarden must not forget, in one SQLite file (WAL): where each source was read up to, the incidents and
// threshold counts those lines produced — committed together, so a crash never splits them — and the audit log.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreFailedError } from '../core/errors.js';
import type { Incident, IncidentDecisions, Severity, SourcePosition } from '../core/types.js';
import type { Hit, TrackerChanges, TrackerState } from '../incidents/incident-tracker.js';
import { keyHashOf } from '../incidents/incident-tracker.js';
import { type AuditRow, hashAuditRow } from './audit-chain.js';
import { MIGRATIONS } from './migrations.js';

export interface StoredOffset {
  dev: number;
  ino: number;
  path: string;
  offset: number;
}

/** Slack writes waiting in the durable outbox. */
export interface OutboxJob {
  id: number;
  /** slack.sync: make the incident's message current; slack.note: tell its thread about a person's decision. */
  kind: 'slack.sync' | 'slack.note';
  incidentId: number;
  attempts: number;
  note?: DecisionNote;
}

/** Who decided what, for the thread; rendered by the Slack side. */
export interface DecisionNote {
  decision: Decision;
  actor: string;
  until: number | null;
}

export interface SlackMessageRef {
  channel: string;
  ts: string;
  version: number;
  /** The count the thread last heard of, and when. */
  notedCount: number;
  notedAt: number;
}

export interface CommitOptions {
  /** Queue a Slack sync for every incident written, at most one update per incident per this many ms. */
  slackSync?: { minInterval: number };
}

export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  incidentId?: number;
  data: Record<string, unknown>;
}

export type Decision = 'acknowledge' | 'resolve' | 'snooze' | 'false-positive';

/** Matches of a rule and key that open no incident, until a time or until lifted (until null). */
export interface Silence {
  rule: string;
  keyHash: string;
  until: number | null;
}

export interface SilenceRow extends Silence {
  id: number;
  key: Record<string, string>;
  reason: 'snooze' | 'false-positive';
  createdBy: string;
  createdAt: number;
}

interface IncidentRow {
  id: number;
  rule: string;
  key_json: string;
  severity: string;
  title: string;
  fields_json: string;
  count: number;
  first_seen: number;
  last_seen: number;
  last_activity_at: number;
  source: string;
  sample_json: string;
  status: string;
  acknowledged_by?: string | null;
  acknowledged_at?: number | null;
  resolved_by?: string | null;
  resolved_at?: number | null;
  resolution?: string | null;
}

export class SqliteStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly statements;

  constructor(path: string) {
    this.path = path;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.migrate();
    } catch (error) {
      throw new StoreFailedError(
        path,
        `${(error as Error).message}. Check that the directory is writable, or set store.path in the config`,
        { cause: error },
      );
    }
    const db = this.db;
    this.statements = {
      offsetByIdentity: db.prepare<[number, number], StoredOffset>(
        'SELECT dev, ino, path, offset FROM offsets WHERE dev = ? AND ino = ?',
      ),
      upsertOffset: db.prepare(
        `INSERT INTO offsets (dev, ino, source_id, path, offset, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (dev, ino) DO UPDATE SET source_id = excluded.source_id, path = excluded.path,
           offset = excluded.offset, updated_at = excluded.updated_at`,
      ),
      deleteOffset: db.prepare('DELETE FROM offsets WHERE dev = ? AND ino = ?'),
      offsetsByPath: db.prepare<[string], StoredOffset>('SELECT dev, ino, path, offset FROM offsets WHERE path = ?'),
      cursor: db.prepare<[string], { cursor: string }>('SELECT cursor FROM cursors WHERE source_id = ?'),
      upsertCursor: db.prepare(
        `INSERT INTO cursors (source_id, cursor, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (source_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
      ),
      insertIncident: db.prepare(
        `INSERT INTO incidents (rule, key_hash, key_json, severity, title, fields_json, count, first_seen, last_seen,
           last_activity_at, source, sample_json, status)
         VALUES (@rule, @key_hash, @key_json, @severity, @title, @fields_json, @count, @first_seen, @last_seen,
           @last_activity_at, @source, @sample_json, @status)`,
      ),
      updateIncident: db.prepare(
        `UPDATE incidents SET title = @title, fields_json = @fields_json, count = @count, last_seen = @last_seen,
           last_activity_at = @last_activity_at, sample_json = @sample_json, status = @status, version = version + 1
         WHERE id = @id`,
      ),
      incidentById: db.prepare<[number], IncidentRow & { version: number }>('SELECT * FROM incidents WHERE id = ?'),
      acknowledge: db.prepare(
        `UPDATE incidents SET acknowledged_by = ?, acknowledged_at = ?, version = version + 1
         WHERE id = ? AND status = 'open' AND acknowledged_at IS NULL`,
      ),
      resolve: db.prepare(
        `UPDATE incidents SET status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ?,
           version = version + 1
         WHERE id = ? AND status = 'open'`,
      ),
      insertSilence: db.prepare(
        `INSERT INTO silences (rule, key_hash, key_json, until, reason, incident_id, created_by, created_at)
         SELECT rule, key_hash, key_json, ?, ?, id, ?, ? FROM incidents WHERE id = ?`,
      ),
      silenceOf: db.prepare<[number], { until: number | null }>(
        'SELECT until FROM silences WHERE incident_id = ? ORDER BY id DESC LIMIT 1',
      ),
      activeSilences: db.prepare<[number], Omit<SilenceRow, 'key'> & { key_json: string }>(
        `SELECT id, rule, key_hash AS keyHash, key_json, until, reason, created_by AS createdBy, created_at AS createdAt
         FROM silences WHERE until IS NULL OR until > ? ORDER BY id`,
      ),
      liftSilence: db.prepare('UPDATE silences SET until = ? WHERE id = ? AND (until IS NULL OR until > ?)'),
      silenceById: db.prepare<[number], Silence>('SELECT rule, key_hash AS keyHash, until FROM silences WHERE id = ?'),
      liveSilences: db.prepare<[number], Silence>(
        'SELECT rule, key_hash AS keyHash, until FROM silences WHERE until IS NULL OR until > ?',
      ),
      enqueueSync: db.prepare(
        `INSERT INTO outbox (kind, incident_id, next_attempt_at)
         VALUES ('slack.sync', @incident_id, max(@now, coalesce(
           (SELECT updated_at + @min_interval FROM slack_messages WHERE incident_id = @incident_id), 0)))
         ON CONFLICT (incident_id) WHERE kind = 'slack.sync' AND state = 'pending' DO NOTHING`,
      ),
      dueOutbox: db.prepare<[number, number], Omit<OutboxJob, 'note'> & { payloadJson: string }>(
        `SELECT id, kind, incident_id AS incidentId, attempts, payload_json AS payloadJson
         FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?`,
      ),
      enqueueNote: db.prepare(
        `INSERT INTO outbox (kind, incident_id, payload_json, next_attempt_at) VALUES ('slack.note', ?, ?, ?)`,
      ),
      nextOutboxAt: db.prepare<[], { at: number | null }>(
        "SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending'",
      ),
      deleteOutbox: db.prepare('DELETE FROM outbox WHERE id = ?'),
      retryOutbox: db.prepare(
        'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?',
      ),
      failOutbox: db.prepare(
        "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
      ),
      deferOutbox: db.prepare("UPDATE outbox SET next_attempt_at = max(next_attempt_at, ?) WHERE state = 'pending'"),
      slackMessage: db.prepare<[number], SlackMessageRef>(
        `SELECT channel, ts, version, noted_count AS notedCount, noted_at AS notedAt
         FROM slack_messages WHERE incident_id = ?`,
      ),
      upsertSlackMessage: db.prepare(
        `INSERT INTO slack_messages (incident_id, channel, ts, version, noted_count, noted_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident_id) DO UPDATE SET version = excluded.version, noted_count = excluded.noted_count,
           noted_at = excluded.noted_at, updated_at = excluded.updated_at`,
      ),
      openIncidents: db.prepare<[], IncidentRow>("SELECT * FROM incidents WHERE status = 'open' ORDER BY id"),
      allIncidents: db.prepare<[], IncidentRow>('SELECT * FROM incidents ORDER BY id'),
      insertHit: db.prepare('INSERT INTO hits (rule, key_hash, at, expires_at) VALUES (?, ?, ?, ?)'),
      clearHits: db.prepare('DELETE FROM hits WHERE rule = ? AND key_hash = ?'),
      liveHits: db.prepare<[number], Hit>(
        'SELECT rule, key_hash AS keyHash, at, expires_at AS expiresAt FROM hits WHERE expires_at > ?',
      ),
      expireHits: db.prepare('DELETE FROM hits WHERE expires_at <= ?'),
      lastAudit: db.prepare<[], { hash: string }>('SELECT hash FROM audit ORDER BY id DESC LIMIT 1'),
      allAudit: db.prepare<[], AuditRow>(
        `SELECT id, at, actor, action, incident_id AS incidentId, data_json AS dataJson, prev_hash AS prevHash, hash
         FROM audit ORDER BY id`,
      ),
      insertAudit: db.prepare(
        'INSERT INTO audit (at, actor, action, incident_id, data_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(
        `the database is from a newer logwarden (schema ${version}, this one knows ${MIGRATIONS.length})`,
      );
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  readOffset(dev: number, ino: number): StoredOffset | undefined {
    return this.statements.offsetByIdentity.get(dev, ino);
  }

  readOffsetsForPath(path: string): StoredOffset[] {
    return this.statements.offsetsByPath.all(path);
  }

  forgetOffset(dev: number, ino: number): void {
    this.statements.deleteOffset.run(dev, ino);
  }

  readCursor(sourceId: string): string | undefined {
    return this.statements.cursor.get(sourceId)?.cursor;
  }

  /** Open incidents and live threshold counts, to carry on where the last run stopped. */
  readTrackerState(now: number): TrackerState {
    return {
      open: this.statements.openIncidents.all().map((row) => ({
        incident: incidentFromRow(row),
        lastActivityAt: row.last_activity_at,
      })),
      hits: this.statements.liveHits.all(now),
      silences: this.statements.liveSilences.all(now),
    };
  }

  readIncidents(): Incident[] {
    return this.statements.allIncidents.all().map(incidentFromRow);
  }

  /** Writes what one chunk of lines changed, and where its source resumes, in one transaction. */
  commit(
    sourceId: string,
    position: SourcePosition | undefined,
    changes: TrackerChanges,
    now: number,
    options: CommitOptions = {},
  ): void {
    this.transaction(() => {
      this.applyChanges(changes, now, options);
      if (position?.kind === 'file') {
        this.statements.upsertOffset.run(position.dev, position.ino, sourceId, position.path, position.offset, now);
      } else if (position?.kind === 'journal') {
        this.statements.upsertCursor.run(sourceId, position.cursor, now);
      }
    });
  }

  /** Writes incident changes that no source position goes with (closing after quiet), and drops expired counts. */
  commitSweep(changes: TrackerChanges, now: number, options: CommitOptions = {}): void {
    this.transaction(() => {
      this.applyChanges(changes, now, options);
      this.statements.expireHits.run(now);
    });
  }

  /** Appends a hash-chained audit row: each row's hash covers the previous row's hash. */
  appendAudit(entry: AuditEntry): void {
    this.transaction(() => {
      const prev = this.statements.lastAudit.get()?.hash ?? '';
      const row = {
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        incidentId: entry.incidentId ?? null,
        dataJson: JSON.stringify(entry.data),
      };
      const hash = hashAuditRow(prev, row);
      this.statements.insertAudit.run(row.at, row.actor, row.action, row.incidentId, row.dataJson, prev, hash);
    });
  }

  /** Every audit row, oldest first. */
  readAudit(): AuditRow[] {
    return this.statements.allAudit.all();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }

  private applyChanges(changes: TrackerChanges, now: number, options: CommitOptions): void {
    for (const h of changes.hits) this.statements.insertHit.run(h.rule, h.keyHash, h.at, h.expiresAt);
    for (const c of changes.cleared) this.statements.clearHits.run(c.rule, c.keyHash);
    for (const incident of changes.incidents) {
      const row = {
        title: incident.title,
        fields_json: JSON.stringify(incident.fields),
        count: incident.count,
        last_seen: incident.lastSeen,
        last_activity_at: now,
        sample_json: JSON.stringify(incident.sample),
        status: incident.status,
      };
      if (incident.id === 0) {
        const result = this.statements.insertIncident.run({
          ...row,
          rule: incident.rule,
          key_hash: keyHashOf(Object.values(incident.key)),
          key_json: JSON.stringify(incident.key),
          severity: incident.severity,
          first_seen: incident.firstSeen,
          source: incident.source,
        });
        incident.id = Number(result.lastInsertRowid);
      } else {
        this.statements.updateIncident.run({ ...row, id: incident.id });
      }
      if (options.slackSync) {
        this.statements.enqueueSync.run({ incident_id: incident.id, now, min_interval: options.slackSync.minInterval });
      }
    }
  }

  /** Silences in force now, oldest first. */
  readSilences(now: number): SilenceRow[] {
    return this.statements.activeSilences
      .all(now)
      .map(({ key_json, ...row }) => ({ ...row, key: JSON.parse(key_json) }));
  }

  /** Ends a silence now, with its audit row; returns the silence when one in force was lifted. */
  liftSilence(id: number, actor: string, now: number): Silence | undefined {
    let lifted: Silence | undefined;
    this.transaction(() => {
      const changed = this.statements.liftSilence.run(now, id, now).changes === 1;
      this.appendAudit({ at: now, actor, action: 'silence:lift', data: { silence: id, changed } });
      if (changed) lifted = this.statements.silenceById.get(id);
    });
    return lifted;
  }

  /** The incident with its version (bumped by every write) and what people did to it, for rendering. */
  readIncident(id: number): { incident: Incident; version: number; decisions: IncidentDecisions } | undefined {
    const row = this.statements.incidentById.get(id);
    if (!row) return undefined;
    const decisions: IncidentDecisions = {};
    if (row.acknowledged_by && row.acknowledged_at) {
      decisions.acknowledgedBy = { user: row.acknowledged_by, at: row.acknowledged_at };
    }
    if (row.resolved_by && row.resolved_at) decisions.resolvedBy = { user: row.resolved_by, at: row.resolved_at };
    if (row.resolution) {
      decisions.resolution = row.resolution as NonNullable<IncidentDecisions['resolution']>;
      const until = this.statements.silenceOf.get(row.id)?.until;
      if (until) decisions.silencedUntil = until;
    }
    return { incident: incidentFromRow(row), version: row.version, decisions };
  }

  /**
   * Applies a person's decision once, with its audit row and a Slack sync, in one transaction. A repeat (a click
   * delivered twice, two people at once) changes nothing and is audited as such. Returns whether it changed.
   */
  decide(
    decision: Decision,
    incidentId: number,
    actor: string,
    now: number,
    options: CommitOptions & { silenceUntil?: number | null } = {},
  ): boolean {
    let changed = false;
    this.transaction(() => {
      if (decision === 'acknowledge') {
        changed = this.statements.acknowledge.run(actor, now, incidentId).changes === 1;
      } else {
        const resolution = decision === 'resolve' ? 'resolved' : decision === 'snooze' ? 'snoozed' : decision;
        changed = this.statements.resolve.run(resolution, actor, now, incidentId).changes === 1;
        if (changed && decision !== 'resolve') {
          this.statements.insertSilence.run(options.silenceUntil ?? null, decision, actor, now, incidentId);
        }
      }
      const data = decision === 'snooze' ? { changed, until: options.silenceUntil } : { changed };
      this.appendAudit({ at: now, actor, action: `incident:${decision}`, incidentId, data });
      if (changed && options.slackSync) {
        this.statements.enqueueSync.run({ incident_id: incidentId, now, min_interval: 0 });
        const note: DecisionNote = { decision, actor, until: options.silenceUntil ?? null };
        this.statements.enqueueNote.run(incidentId, JSON.stringify(note), now);
      }
    });
    return changed;
  }

  readDueOutbox(now: number, limit = 50): OutboxJob[] {
    return this.statements.dueOutbox
      .all(now, limit)
      .map(({ payloadJson, ...job }) =>
        job.kind === 'slack.note' ? { ...job, note: JSON.parse(payloadJson) as DecisionNote } : job,
      );
  }

  /** When the next pending outbox job is due, if any is pending. */
  readNextOutboxAt(): number | undefined {
    return this.statements.nextOutboxAt.get()?.at ?? undefined;
  }

  completeOutbox(id: number): void {
    this.statements.deleteOutbox.run(id);
  }

  retryOutbox(id: number, at: number, error: string): void {
    this.statements.retryOutbox.run(at, error, id);
  }

  failOutbox(id: number, error: string): void {
    this.statements.failOutbox.run(error, id);
  }

  /** Holds every pending job until `until` (Slack said to slow down). */
  deferOutbox(until: number): void {
    this.statements.deferOutbox.run(until);
  }

  readSlackMessage(incidentId: number): SlackMessageRef | undefined {
    return this.statements.slackMessage.get(incidentId);
  }

  writeSlackMessage(incidentId: number, ref: SlackMessageRef, now: number): void {
    this.statements.upsertSlackMessage.run(
      incidentId,
      ref.channel,
      ref.ts,
      ref.version,
      ref.notedCount,
      ref.notedAt,
      now,
    );
  }
}

function incidentFromRow(row: IncidentRow): Incident {
  return {
    id: row.id,
    rule: row.rule,
    severity: row.severity as Severity,
    title: row.title,
    key: JSON.parse(row.key_json),
    fields: JSON.parse(row.fields_json),
    count: row.count,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    source: row.source,
    sample: JSON.parse(row.sample_json),
    status: row.status as Incident['status'],
  };
}
