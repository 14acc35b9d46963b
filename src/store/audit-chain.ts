// The audit log is a keyed hash chain: each row's MAC (HMAC-SHA-256 under the audit key) covers the previous row's
// and the row itself, so without the key no row can be changed, removed, inserted or added in a way that checks. The
// chain starts with an `audit:keyed` row (after any rows an older version chained with plain SHA-256, which it
// vouches for); an anchor — the row count, the last id and its MAC, kept outside the store — catches what a chain
// alone cannot: its last rows, or all of them, deleted. Pure.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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

type RowContent = Omit<AuditRow, 'id' | 'prevHash' | 'hash'>;

/** The audit table's columns as an AuditRow, for every query that reads rows. */
export const AUDIT_ROW_COLUMNS =
  'id, at, actor, action, incident_id AS incidentId, data_json AS dataJson, prev_hash AS prevHash, hash';

/** The row that starts the keyed chain, written once per store. */
export const AUDIT_KEYED = 'audit:keyed';
/** Marks a MAC (rows an older version wrote hold a bare SHA-256). */
const MAC_PREFIX = 'hmac-sha256:';

const content = (prevHash: string, row: RowContent) =>
  JSON.stringify([prevHash, row.at, row.actor, row.action, row.incidentId, row.dataJson]);

/** The plain SHA-256 an older version chained rows with: checked for those rows only. */
export function hashAuditRow(prevHash: string, row: RowContent): string {
  return createHash('sha256').update(content(prevHash, row)).digest('hex');
}

export function macAuditRow(key: Buffer, prevHash: string, row: RowContent): string {
  return MAC_PREFIX + createHmac('sha256', key).update(content(prevHash, row)).digest('hex');
}

const isMac = (hash: string) => hash.startsWith(MAC_PREFIX);

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Where the chain stands: how many rows, the last one's id and its MAC. */
export interface AuditAnchor {
  rows: number;
  last: number;
  head: string;
}

const ANCHOR_TAG = 'logwarden-audit-anchor';

/** The anchor as one signed line, to keep outside the store (the log, a Slack channel, a file). */
export function renderAnchor(anchor: AuditAnchor, key: Buffer): string {
  const body = `${ANCHOR_TAG} rows=${anchor.rows} last=${anchor.last} head=${anchor.head}`;
  return `${body} sig=${createHmac('sha256', key).update(body).digest('hex')}`;
}

/**
 * The anchor in a text (an anchor line, or a file of them: the last one counts), its signature checked; a reason
 * when there is none or it does not check.
 */
export function parseAnchor(text: string, key: Buffer): AuditAnchor | { error: string } {
  const pattern = new RegExp(`${ANCHOR_TAG} rows=(\\d+) last=(\\d+) head=(\\S*) sig=([0-9a-f]{64})`, 'g');
  const found = [...text.matchAll(pattern)].at(-1);
  if (!found) return { error: `no ${ANCHOR_TAG} line in it` };
  const body = found[0].slice(0, found[0].lastIndexOf(' sig='));
  if (!same(createHmac('sha256', key).update(body).digest('hex'), found[4]!)) {
    return { error: 'its signature does not check with this audit key (forged, or another key)' };
  }
  return { rows: Number(found[1]), last: Number(found[2]), head: found[3]! };
}

export type AuditVerdict =
  | { ok: true; anchor: AuditAnchor }
  | {
      ok: false;
      /** The first row that does not check, when one does not. */
      id?: number;
      reason: string;
    };

/** Checks every row against the key (and the plain rows before the keyed start), then against the anchor if given. */
export function verifyAuditChain(rows: readonly AuditRow[], key: Buffer, anchor?: AuditAnchor): AuditVerdict {
  let prev = '';
  let keyed = false;
  for (const [i, row] of rows.entries()) {
    if (row.prevHash !== prev) {
      return { ok: false, id: row.id, reason: 'it does not follow the row before it (one was removed or added)' };
    }
    if (isMac(row.hash)) {
      if (!same(macAuditRow(key, prev, row), row.hash)) {
        return {
          ok: false,
          id: row.id,
          reason: 'its MAC does not check with the audit key (it was changed, or added without the key)',
        };
      }
      if (!keyed) {
        const start = readKeyedStart(row);
        if (!start || start.legacyRows !== i || start.legacyHead !== prev) {
          return { ok: false, id: row.id, reason: 'the keyed chain does not start here as it should' };
        }
        keyed = true;
      }
    } else {
      if (keyed) {
        return {
          ok: false,
          id: row.id,
          reason: 'it is not signed with the audit key (added or re-chained without it)',
        };
      }
      if (hashAuditRow(prev, row) !== row.hash) {
        return { ok: false, id: row.id, reason: 'its content does not match its hash (it was changed)' };
      }
    }
    prev = row.hash;
  }
  if (!keyed) {
    return {
      ok: false,
      reason:
        rows.length === 0
          ? 'it has no rows: it was emptied, or this is another store'
          : 'no row is signed with the audit key: the log was replaced or re-chained without it',
    };
  }
  const last = rows.at(-1)!;
  const reached: AuditAnchor = { rows: rows.length, last: last.id, head: last.hash };
  if (anchor) {
    const at = rows.findIndex((r) => r.id === anchor.last);
    if (at === -1) {
      return anchor.last > last.id
        ? { ok: false, reason: `truncated after row ${last.id}: the anchor names row ${anchor.last}` }
        : { ok: false, reason: `row ${anchor.last}, which the anchor names, is gone` };
    }
    if (at + 1 !== anchor.rows) {
      return { ok: false, id: anchor.last, reason: `${anchor.rows} rows led up to it when anchored, ${at + 1} now` };
    }
    if (!same(rows[at]!.hash, anchor.head)) {
      return { ok: false, id: anchor.last, reason: 'it is not the row the anchor names (the chain was rebuilt)' };
    }
  }
  return { ok: true, anchor: reached };
}

function readKeyedStart(row: AuditRow): { legacyRows: number; legacyHead: string } | undefined {
  if (row.action !== AUDIT_KEYED) return undefined;
  try {
    const data = JSON.parse(row.dataJson) as { legacyRows?: unknown; legacyHead?: unknown };
    if (typeof data.legacyRows !== 'number' || typeof data.legacyHead !== 'string') return undefined;
    return { legacyRows: data.legacyRows, legacyHead: data.legacyHead };
  } catch {
    return undefined;
  }
}
