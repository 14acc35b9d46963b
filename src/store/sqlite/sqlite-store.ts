// The SQLite adapter of the store ports: one file (WAL) holding every repository, each in its own module here. What
// must not be split — a chunk's position, counts, incidents and jobs; a decision and its audit row — is written in
// one transaction.
import { StoreFailedError } from '../../core/errors.js';
import type { Clock, SourcePosition, TrackerChanges } from '../../core/types.js';
import type { CommitOptions, Store } from '../ports.js';
import { loadAuditKey } from '../store-files.js';
import { SqliteActionRuns } from './action-runs.js';
import { SqliteAudit } from './audit.js';
import { SqliteCheckpoints } from './checkpoints.js';
import { SqliteDatabase } from './database.js';
import { SqliteEscalations } from './escalations.js';
import { SqliteIncidents } from './incidents.js';
import { SqliteMessages } from './messages.js';
import { OutboxQueue, SqliteOutbox } from './outbox.js';
import { SqliteSettings } from './settings.js';
import { SqliteSilences } from './silences.js';

export interface StoreOptions {
  /** LOGWARDEN_AUDIT_KEY, when set. */
  auditKey?: string;
  /** The time of the row that starts a new store's audit chain. */
  clock?: Clock;
}

export class SqliteStore implements Store {
  readonly path: string;
  readonly checkpoints: SqliteCheckpoints;
  readonly incidents: SqliteIncidents;
  readonly silences: SqliteSilences;
  readonly outbox: SqliteOutbox;
  readonly audit: SqliteAudit;
  readonly actionRuns: SqliteActionRuns;
  readonly escalations: SqliteEscalations;
  readonly messages: SqliteMessages;
  private readonly database: SqliteDatabase;
  private readonly settings: SqliteSettings;

  constructor(path: string, options: StoreOptions = {}) {
    this.path = path;
    const failed = (error: unknown, hint = '') =>
      new StoreFailedError(path, `${(error as Error).message}${hint}`, { cause: error });
    try {
      this.database = new SqliteDatabase(path);
    } catch (error) {
      throw failed(error, '. Check that the directory is writable, or set store.path in the config');
    }
    const database = this.database;
    try {
      const key = loadAuditKey(path, options.auditKey);
      this.settings = new SqliteSettings(database);
      this.messages = new SqliteMessages(database);
      this.audit = new SqliteAudit(database, key, this.messages);
      const queue = new OutboxQueue(database);
      this.outbox = new SqliteOutbox(database, queue);
      this.checkpoints = new SqliteCheckpoints(database);
      this.silences = new SqliteSilences(database, this.audit);
      this.escalations = new SqliteEscalations(database, this.audit, queue);
      this.actionRuns = new SqliteActionRuns(database, this.audit, queue);
      this.incidents = new SqliteIncidents(database, {
        audit: this.audit,
        queue,
        escalations: this.escalations,
        actionRuns: this.actionRuns,
      });
      this.audit.startKeyedChain((options.clock ?? Date.now)());
    } catch (error) {
      database.close();
      throw failed(error);
    }
  }

  async commit(
    sourceId: string,
    position: SourcePosition | undefined,
    changes: TrackerChanges,
    now: number,
    options: CommitOptions = {},
  ): Promise<void> {
    this.database.transaction(() => {
      this.incidents.apply(changes, now, options);
      this.checkpoints.write(sourceId, position, now);
    });
  }

  async commitSweep(changes: TrackerChanges, now: number, options: CommitOptions = {}): Promise<void> {
    this.database.transaction(() => {
      this.incidents.apply(changes, now, options);
      this.incidents.expireHits(now);
    });
  }

  async checkWritable(now: number): Promise<void> {
    this.settings.write('health.checked_at', String(now));
  }

  async close(): Promise<void> {
    this.database.close();
  }
}
