// Silences: a rule and key whose matches open nothing, until a time or until lifted.
import type { Silence, SilenceRow } from '../../core/types.js';
import type { SilenceRepository } from '../ports.js';
import type { SqliteAudit } from './audit.js';
import type { SqliteDatabase } from './database.js';

export class SqliteSilences implements SilenceRepository {
  private readonly statements;
  private readonly database: SqliteDatabase;
  private readonly audit: SqliteAudit;

  constructor(database: SqliteDatabase, audit: SqliteAudit) {
    this.database = database;
    this.audit = audit;
    const { db } = database;
    this.statements = {
      activeSilences: db.prepare<[number], Omit<SilenceRow, 'key'> & { key_json: string }>(
        `SELECT id, rule, key_hash AS keyHash, key_json, until, reason, created_by AS createdBy, created_at AS createdAt
         FROM silences WHERE until IS NULL OR until > ? ORDER BY id`,
      ),
      liftSilence: db.prepare('UPDATE silences SET until = ? WHERE id = ? AND (until IS NULL OR until > ?)'),
      silenceById: db.prepare<[number], Silence & { incidentId: number | null }>(
        'SELECT rule, key_hash AS keyHash, until, incident_id AS incidentId FROM silences WHERE id = ?',
      ),
    };
  }

  async readActive(now: number): Promise<SilenceRow[]> {
    return this.statements.activeSilences
      .all(now)
      .map(({ key_json, ...row }) => ({ ...row, key: JSON.parse(key_json) }));
  }

  async lift(id: number, actor: string, now: number): Promise<Silence | undefined> {
    let lifted: Silence | undefined;
    this.database.transaction(() => {
      const changed = this.statements.liftSilence.run(now, id, now).changes === 1;
      this.audit.appendNow({ at: now, actor, action: 'silence:lift', data: { silence: id, changed } });
      const row = changed ? this.statements.silenceById.get(id) : undefined;
      if (row) {
        const { incidentId, ...silence } = row;
        lifted = incidentId === null ? silence : { ...silence, incidentId };
      }
    });
    return lifted;
  }
}
