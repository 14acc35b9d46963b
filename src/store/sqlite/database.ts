// The SQLite file every repository of this adapter shares: opened in WAL mode, migrated, and one transaction helper
// that nests (a repository's write inside the line path's commit joins it) and tells the audit log when its rows are
// committed.
import Database from 'better-sqlite3';
import { prepareStoreFiles } from '../store-files.js';
import { MIGRATIONS } from './migrations.js';

export class SqliteDatabase {
  readonly path: string;
  readonly db: Database.Database;
  /** The schema version the file had when it was opened (0: created now). */
  readonly openedAt: number;
  /** Called once the outermost transaction that added audit rows is committed. */
  onAuditCommitted: (() => void) | undefined;
  private auditChanged = false;

  /** Opens (creating and migrating) the file; throws what SQLite or the migrations threw. */
  constructor(path: string) {
    this.path = path;
    if (path !== ':memory:') prepareStoreFiles(path);
    this.db = new Database(path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.openedAt = this.migrate();
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  private migrate(): number {
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
    return version;
  }

  transaction(fn: () => void): void {
    this.db.transaction(fn)();
    // Once the outermost transaction is committed, the new head is anchored outside.
    if (this.auditChanged && !this.db.inTransaction) {
      this.auditChanged = false;
      this.onAuditCommitted?.();
    }
  }

  /** An audit row was written in the transaction under way (or, with false, none is to be announced). */
  audited(changed = true): void {
    this.auditChanged = changed;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
