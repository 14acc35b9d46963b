// The store's files: who may read them, and the audit key kept beside them; and a read-only look at the audit log
// for `logwarden audit`, which checks evidence and must create or change nothing.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AUDIT_ROW_COLUMNS, type AuditRow } from './audit-chain.js';

/**
 * The store holds log lines and who did what: its directory is created 0700, the database 0600 before SQLite opens it
 * (SQLite gives its -wal and -shm files the database's mode), and files an older version left readable are tightened.
 */
export function prepareStoreFiles(path: string): void {
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(file, 0o600);
    } catch {
      // Not there yet (SQLite creates it with the database's mode), or not ours to change.
    }
  }
}

/**
 * The audit rows of a store file, opened read-only (nothing is created or changed: `logwarden audit` checks evidence);
 * undefined when there is no such file.
 */
export function readAuditRows(path: string): AuditRow[] | undefined {
  if (path === ':memory:' || !existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], AuditRow>(`SELECT ${AUDIT_ROW_COLUMNS} FROM audit ORDER BY id`).all();
  } finally {
    db.close();
  }
}

/**
 * When each rule's detector started learning (its first line), by rule, read-only for `check`; undefined when there is
 * no store file yet; why, when it cannot be read (permissions, an older version's store without `learned`).
 */
export function readLearningStarts(path: string): Map<string, number> | { unreadable: string } | undefined {
  if (path === ':memory:' || !existsSync(path)) return undefined;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare<[], { rule: string; since: number }>(
          "SELECT rule, first_seen AS since FROM learned WHERE subject = ''",
        )
        .all();
      return new Map(rows.map((r) => [r.rule, r.since]));
    } finally {
      db.close();
    }
  } catch (error) {
    return { unreadable: (error as Error).message };
  }
}

/** The audit key to check a store with, without creating one: given, or read from its file; undefined when neither. */
export function readAuditKey(storePath: string, given?: string): Buffer | undefined {
  if (given !== undefined || existsSync(auditKeyFile(storePath))) return loadAuditKey(storePath, given);
  return undefined;
}

/** Where the audit key is kept when LOGWARDEN_AUDIT_KEY does not give it: beside the store, 0600. */
export const auditKeyFile = (storePath: string) => `${storePath}.audit-key`;

/** The audit key: given (LOGWARDEN_AUDIT_KEY), else read from its file, else created there at first start. */
export function loadAuditKey(storePath: string, given?: string): Buffer {
  if (given !== undefined) {
    if (given.length < 32) throw new Error('LOGWARDEN_AUDIT_KEY must be at least 32 characters');
    return Buffer.from(given, 'utf8');
  }
  if (storePath === ':memory:') return randomBytes(32);
  const file = auditKeyFile(storePath);
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  const key = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`${file} does not hold an audit key (64 hex digits)`);
  return Buffer.from(key, 'hex');
}
