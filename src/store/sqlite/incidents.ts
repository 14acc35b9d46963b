// Incidents and the threshold counts behind them: what the line path commits, what a restart reads back, and the
// decisions people make on them.
import type {
  AddressHistory,
  Decision,
  DecisionNote,
  Hit,
  Incident,
  IncidentDecisions,
  LearnedFact,
  Severity,
  Silence,
  TrackerChanges,
  TrackerState,
} from '../../core/types.js';
import { keyHashOf } from '../../core/types.js';
import type { CommitOptions, IncidentRepository } from '../ports.js';
import type { SqliteActionRuns } from './action-runs.js';
import type { SqliteAudit } from './audit.js';
import type { SqliteDatabase } from './database.js';
import type { SqliteEscalations } from './escalations.js';
import type { OutboxQueue } from './outbox.js';
import { type IncidentRow, incidentFromRow } from './rows.js';

/** The repositories an incident's writes reach into, within the same transaction. */
export interface IncidentParts {
  audit: SqliteAudit;
  queue: OutboxQueue;
  escalations: SqliteEscalations;
  actionRuns: SqliteActionRuns;
}

export class SqliteIncidents implements IncidentRepository {
  private readonly statements;
  private readonly database: SqliteDatabase;
  private readonly parts: IncidentParts;

  constructor(database: SqliteDatabase, parts: IncidentParts) {
    this.database = database;
    this.parts = parts;
    const { db } = database;
    this.statements = {
      insertIncident: db.prepare(
        `INSERT INTO incidents (rule, key_hash, key_json, severity, title, fields_json, count, first_seen, last_seen,
           last_activity_at, source, sample_json, status, spread_json, offers_json)
         VALUES (@rule, @key_hash, @key_json, @severity, @title, @fields_json, @count, @first_seen, @last_seen,
           @last_activity_at, @source, @sample_json, @status, @spread_json, @offers_json)`,
      ),
      updateIncident: db.prepare(
        `UPDATE incidents SET title = @title, fields_json = @fields_json, count = @count, last_seen = @last_seen,
           last_activity_at = @last_activity_at, sample_json = @sample_json, status = @status,
           spread_json = @spread_json, offers_json = @offers_json, version = version + 1
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
      liveSilences: db.prepare<[number], Silence>(
        'SELECT rule, key_hash AS keyHash, until FROM silences WHERE until IS NULL OR until > ?',
      ),
      openBySeverity: db.prepare<[], { severity: Severity; count: number }>(
        "SELECT severity, count(*) AS count FROM incidents WHERE status = 'open' GROUP BY severity",
      ),
      openIncidents: db.prepare<[], IncidentRow>("SELECT * FROM incidents WHERE status = 'open' ORDER BY id"),
      allIncidents: db.prepare<[], IncidentRow>('SELECT * FROM incidents ORDER BY id'),
      insertHit: db.prepare('INSERT INTO hits (rule, key_hash, at, expires_at, weight) VALUES (?, ?, ?, ?, ?)'),
      clearHits: db.prepare('DELETE FROM hits WHERE rule = ? AND key_hash = ?'),
      allLearned: db.prepare<[], Omit<LearnedFact, 'data'> & { data: string | null }>(
        'SELECT rule, subject, value, first_seen AS firstSeen, last_seen AS lastSeen, count, data FROM learned',
      ),
      learn: db.prepare(
        'INSERT INTO learned (rule, subject, value, first_seen, last_seen, count, data) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (rule, subject, value) DO UPDATE SET first_seen = excluded.first_seen, last_seen = excluded.last_seen, count = excluded.count, data = excluded.data',
      ),
      forget: db.prepare('DELETE FROM learned WHERE rule = ? AND subject = ? AND value = ?'),
      liveHits: db.prepare<[number], Hit>(
        'SELECT rule, key_hash AS keyHash, at, expires_at AS expiresAt, weight FROM hits WHERE expires_at > ?',
      ),
      expireHits: db.prepare('DELETE FROM hits WHERE expires_at <= ?'),
      incidentsOf: db.prepare<[string, number], { id: number; rule: string; firstSeen: number }>(
        `SELECT id, rule, first_seen AS firstSeen FROM incidents
         WHERE json_extract(key_json, '$.ip') = ? AND first_seen >= ? ORDER BY id DESC LIMIT 100`,
      ),
      actionsOf: db.prepare<[string, number], { action: string; at: number }>(
        `SELECT r.action_id AS action, coalesce(r.finished_at, r.requested_at) AS at FROM action_runs r
         JOIN incidents i ON i.id = r.incident_id
         WHERE json_extract(i.key_json, '$.ip') = ? AND i.first_seen >= ? AND r.state = 'succeeded'
         ORDER BY r.id DESC LIMIT 100`,
      ),
    };
  }

  async readTrackerState(now: number): Promise<TrackerState> {
    return {
      open: this.statements.openIncidents.all().map((row) => ({
        incident: incidentFromRow(row),
        lastActivityAt: row.last_activity_at,
      })),
      hits: this.statements.liveHits.all(now),
      silences: this.statements.liveSilences.all(now),
      learned: this.statements.allLearned.all().map(({ data, ...fact }) => (data === null ? fact : { ...fact, data })),
    };
  }

  async readAll(): Promise<Incident[]> {
    return this.statements.allIncidents.all().map(incidentFromRow);
  }

  async read(id: number): Promise<{ incident: Incident; version: number; decisions: IncidentDecisions } | undefined> {
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
    const actions = this.parts.actionRuns.readLatestOf(id);
    if (actions.length > 0) decisions.actions = actions;
    return { incident: incidentFromRow(row), version: row.version, decisions };
  }

  async decide(
    decision: Decision,
    incidentId: number,
    actor: string,
    now: number,
    options: CommitOptions & { silenceUntil?: number | null } = {},
  ): Promise<boolean> {
    let changed = false;
    this.database.transaction(() => {
      if (decision === 'acknowledge') {
        changed = this.statements.acknowledge.run(actor, now, incidentId).changes === 1;
      } else {
        const resolution = decision === 'resolve' ? 'resolved' : decision === 'snooze' ? 'snoozed' : decision;
        changed = this.statements.resolve.run(resolution, actor, now, incidentId).changes === 1;
        if (changed && decision !== 'resolve') {
          this.statements.insertSilence.run(options.silenceUntil ?? null, decision, actor, now, incidentId);
        }
      }
      // A person has it now: escalation stops.
      if (changed) this.parts.escalations.stopQuietly(incidentId);
      const data = decision === 'snooze' ? { changed, until: options.silenceUntil } : { changed };
      this.parts.audit.appendNow({ at: now, actor, action: `incident:${decision}`, incidentId, data });
      if (changed) {
        const note: DecisionNote = { decision, actor, until: options.silenceUntil ?? null };
        this.parts.queue.notify(options, { event: 'decided', incidentId, note }, now);
      }
    });
    return changed;
  }

  async historyOf(address: string, since: number): Promise<AddressHistory> {
    return {
      incidents: this.statements.incidentsOf.all(address, since),
      actions: this.statements.actionsOf.all(address, since),
    };
  }

  async countOpenBySeverity(): Promise<{ severity: Severity; count: number }[]> {
    return this.statements.openBySeverity.all();
  }

  /** Writes what the tracker changed (inside the caller's transaction); new incidents get their ids. */
  apply(changes: TrackerChanges, now: number, options: CommitOptions): void {
    for (const c of changes.dropped ?? []) this.statements.clearHits.run(c.rule, c.keyHash);
    for (const h of changes.hits) this.statements.insertHit.run(h.rule, h.keyHash, h.at, h.expiresAt, h.weight ?? 1);
    for (const c of changes.cleared) this.statements.clearHits.run(c.rule, c.keyHash);
    for (const f of changes.learned ?? []) {
      this.statements.learn.run(f.rule, f.subject, f.value, f.firstSeen, f.lastSeen, f.count, f.data ?? null);
    }
    for (const f of changes.forgotten ?? []) this.statements.forget.run(f.rule, f.subject, f.value);
    for (const incident of changes.incidents) {
      const row = {
        title: incident.title,
        fields_json: JSON.stringify(incident.fields),
        count: incident.count,
        last_seen: incident.lastSeen,
        last_activity_at: now,
        sample_json: JSON.stringify(incident.sample),
        status: incident.status,
        spread_json: incident.spread ? JSON.stringify(incident.spread) : null,
        offers_json: incident.offers?.length ? JSON.stringify(incident.offers) : null,
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
        const firstAfter = options.escalate?.[incident.severity];
        if (firstAfter !== undefined) this.parts.escalations.start(incident, now, firstAfter);
      } else {
        this.statements.updateIncident.run({ ...row, id: incident.id });
      }
      this.parts.queue.notify(options, { event: 'incident', incident }, now);
    }
  }

  /** Drops threshold counts that have expired (inside the caller's transaction). */
  expireHits(now: number): void {
    this.statements.expireHits.run(now);
  }
}
