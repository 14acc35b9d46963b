// The audit log is a hash chain: each row's hash covers the previous row's hash and the row itself, so a row
// changed, removed or inserted afterwards breaks every hash after it. Pure.
import { createHash } from 'node:crypto';

export interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  incidentId: number | null;
  /** The row's data as stored (JSON text). */
  dataJson: string;
  prevHash: string;
  hash: string;
}

export function hashAuditRow(prevHash: string, row: Omit<AuditRow, 'id' | 'prevHash' | 'hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([prevHash, row.at, row.actor, row.action, row.incidentId, row.dataJson]))
    .digest('hex');
}

/** The first row that does not follow from the ones before it, if any. */
export function findBrokenLink(rows: readonly AuditRow[]): { id: number; reason: string } | undefined {
  let prev = '';
  for (const row of rows) {
    if (row.prevHash !== prev)
      return { id: row.id, reason: 'it does not follow the row before it (one was removed or added)' };
    if (hashAuditRow(prev, row) !== row.hash)
      return { id: row.id, reason: 'its content does not match its hash (it was changed)' };
    prev = row.hash;
  }
  return undefined;
}
