// The audit log: every row keyed and chained to the one before it, its head anchored outside the store after each
// commit that added rows.
import type { AuditEntry } from '../../core/types.js';
import {
  AUDIT_KEYED,
  AUDIT_ROW_COLUMNS,
  type AuditAnchor,
  type AuditRow,
  macAuditRow,
  renderAnchor,
} from '../audit-chain.js';
import type { AuditRepository } from '../ports.js';
import { auditKeyFile } from '../store-files.js';
import type { SqliteDatabase } from './database.js';
import type { SqliteMessages } from './messages.js';

/** The schema version from which every store has a keyed audit chain (it came with migration 11, plan_json). */
const KEYED_AUDIT_SCHEMA = 11;

export class SqliteAudit implements AuditRepository {
  onAnchor?: ((line: string, anchor: AuditAnchor) => void) | undefined;
  private readonly statements;
  private readonly database: SqliteDatabase;
  private readonly key: Buffer;
  private readonly messages: SqliteMessages;

  constructor(database: SqliteDatabase, key: Buffer, messages: SqliteMessages) {
    this.database = database;
    this.key = key;
    this.messages = messages;
    const { db } = database;
    this.statements = {
      lastAudit: db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1'),
      lastAuditRow: db.prepare<[], AuditRow>(`SELECT ${AUDIT_ROW_COLUMNS} FROM audit ORDER BY id DESC LIMIT 1`),
      countAudit: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit'),
      keyedStart: db.prepare<[string], { id: number }>('SELECT id FROM audit WHERE action = ? LIMIT 1'),
      allAudit: db.prepare<[], AuditRow>(`SELECT ${AUDIT_ROW_COLUMNS} FROM audit ORDER BY id`),
      insertAudit: db.prepare(
        'INSERT INTO audit (at, actor, action, incident_id, data_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
    database.onAuditCommitted = () => {
      if (this.onAnchor) this.onAnchor(this.renderAnchorNow(), this.anchorNow());
    };
  }

  /**
   * Appends a hash-chained audit row: each row's hash covers the previous row's hash. A row about an incident names
   * each notifier's message (under the notifier's channel, with its link as `permalink`), so the record leads back to
   * the conversation.
   */
  async append(entry: AuditEntry): Promise<void> {
    this.appendNow(entry);
  }

  /** append, inside the caller's transaction (or its own). */
  appendNow(entry: AuditEntry): void {
    this.database.transaction(() => {
      const prev = this.statements.lastAudit.get()?.hash ?? '';
      const messages: Record<string, Record<string, string>> = {};
      if (entry.incidentId !== undefined) {
        for (const [channel, m] of this.messages.allOf(entry.incidentId)) {
          messages[channel] = { ...m.at, ...(m.link ? { permalink: m.link } : {}) };
        }
      }
      const row = {
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        incidentId: entry.incidentId ?? null,
        dataJson: JSON.stringify({ ...entry.data, ...messages }),
      };
      const hash = macAuditRow(this.key, prev, row);
      this.statements.insertAudit.run(row.at, row.actor, row.action, row.incidentId, row.dataJson, prev, hash);
      this.database.audited();
    });
  }

  async anchor(): Promise<AuditAnchor> {
    return this.anchorNow();
  }

  private anchorNow(): AuditAnchor {
    const last = this.statements.lastAudit.get();
    // Counted, not tracked: a rolled-back transaction must not leave a count no anchor can match.
    return { rows: this.statements.countAudit.get()!.n, last: last?.id ?? 0, head: last?.hash ?? '' };
  }

  async renderAnchor(): Promise<string> {
    return this.renderAnchorNow();
  }

  private renderAnchorNow(): string {
    return renderAnchor(this.anchorNow(), this.key);
  }

  async readAll(): Promise<AuditRow[]> {
    return this.statements.allAudit.all();
  }

  // Starts the keyed chain once — in a new store, or one an older version kept (vouching for its plain-SHA rows) —
  // and never again: a store that had one and has none now was emptied or replaced, and a new start would launder it.
  // A key the chain was not signed with is refused too: rows signed with two keys would never verify.
  startKeyedChain(now: number): void {
    const keyed = this.statements.keyedStart.get(AUDIT_KEYED);
    if (!keyed) {
      if (this.database.openedAt >= KEYED_AUDIT_SCHEMA) {
        throw new Error(
          'its audit log has lost the row its keyed chain starts with: rows were deleted or the log was replaced. Run logwarden audit with the latest anchor to see what is left, and move the store aside to start a new one',
        );
      }
      const last = this.statements.lastAudit.get();
      this.appendNow({
        at: now,
        actor: 'logwarden',
        action: AUDIT_KEYED,
        data: { legacyRows: this.statements.countAudit.get()!.n, legacyHead: last?.hash ?? '' },
      });
      this.database.audited(false);
      return;
    }
    const last = this.statements.lastAuditRow.get()!;
    if (macAuditRow(this.key, last.prevHash, last) !== last.hash) {
      throw new Error(
        last.hash.startsWith('hmac-sha256:')
          ? `its last audit row does not check with this audit key: either the key is not the one used before (restore ${auditKeyFile(this.database.path)} or LOGWARDEN_AUDIT_KEY), or the row was forged (run logwarden audit to see which)`
          : 'its last audit row is not signed: the log was changed without the key. Run logwarden audit with the latest anchor to see where',
      );
    }
  }
}
