import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreFailedError } from '../../src/core/errors.js';
import { AUDIT_KEYED, verifyAuditChain } from '../../src/store/audit-chain.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { readAuditKey } from '../../src/store/store-files.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

describe('SqliteStore', () => {
  it('creates its directory, uses WAL, and reopens an existing file without migrating twice', async () => {
    const path = join(tempDir(), 'nested/dir/store.db');
    const first = new SqliteStore(path);
    await first.commit(
      'auth',
      { kind: 'file', path: '/var/log/auth.log', dev: 1, ino: 2, offset: 30 },
      emptyChanges(),
      5,
    );
    await first.close();
    const second = new SqliteStore(path);
    expect(await second.checkpoints.readOffset(1, 2)).toEqual({
      dev: 1,
      ino: 2,
      path: '/var/log/auth.log',
      offset: 30,
    });
    await second.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('chains audit rows by hash and refuses to change them', async () => {
    const path = join(tempDir(), 'store.db');
    const store = new SqliteStore(path);
    await store.audit.append({ at: 1, actor: 'U1', action: 'incident:ack', incidentId: 7, data: { note: 'first' } });
    await store.audit.append({ at: 2, actor: 'U2', action: 'action:block-ip', data: { argv: ['nft', 'add'] } });
    await store.close();
    const db = new Database(path);
    const rows = db.prepare('SELECT action, prev_hash, hash FROM audit ORDER BY id').all() as {
      action: string;
      prev_hash: string;
      hash: string;
    }[];
    // The keyed chain's start, then the two rows, each a MAC over the one before.
    expect(rows.map((r) => r.action)).toEqual([AUDIT_KEYED, 'incident:ack', 'action:block-ip']);
    expect(rows[0]!.prev_hash).toBe('');
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(rows[2]!.prev_hash).toBe(rows[1]!.hash);
    expect(rows[2]!.hash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(() => db.prepare("UPDATE audit SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    db.close();
  });

  it('verifies its chain, and finds a row removed from the middle', async () => {
    const path = join(tempDir(), 'store.db');
    const store = new SqliteStore(path);
    for (let i = 1; i <= 3; i++) await store.audit.append({ at: i, actor: `U${i}`, action: 'x', data: { i } });
    const rows = await store.audit.readAll();
    const anchor = await store.audit.anchor();
    await store.close();
    const key = readAuditKey(path)!;
    expect(verifyAuditChain(rows, key, anchor)).toEqual({
      ok: true,
      anchor: { rows: 4, last: 4, head: rows[3]!.hash },
    });
    expect(verifyAuditChain([rows[0]!, rows[1]!, rows[3]!], key)).toEqual({
      ok: false,
      id: 4,
      reason: 'it does not follow the row before it (one was removed or added)',
    });
  });

  it('refuses to open with another audit key than its log was signed with', async () => {
    const path = join(tempDir(), 'store.db');
    await new SqliteStore(path, { auditKey: 'a'.repeat(32) }).close();
    expect(() => new SqliteStore(path, { auditKey: 'b'.repeat(32) })).toThrow(
      /its last audit row does not check with this audit key: either the key is not the one used before/,
    );
    expect(() => new SqliteStore(path, { auditKey: 'short' })).toThrow(/LOGWARDEN_AUDIT_KEY must be at least 32/);
  });

  it("keeps a Slack message an older store held, with its link, as the Slack notifier's message", async () => {
    const path = join(tempDir(), 'store.db');
    const db = new Database(path);
    // Schema 10, before the keyed audit chain: opening it starts one, as an upgrade does.
    for (const migration of MIGRATIONS.slice(0, 10)) db.exec(migration);
    db.pragma('user_version = 10');
    db.prepare(
      `INSERT INTO incidents (rule, key_hash, key_json, severity, title, fields_json, count, first_seen, last_seen,
         last_activity_at, source, sample_json, status) VALUES ('r', 'h', '{}', 'high', 't', '{}', 3, 1, 2, 2, 'auth', '[]', 'open')`,
    ).run();
    db.prepare(
      "INSERT INTO slack_messages (incident_id, channel, ts, version, noted_count, noted_at, updated_at) VALUES (1, 'C1', '1700000000.000100', 4, 3, 9, 9)",
    ).run();
    db.prepare("INSERT INTO settings (key, value) VALUES ('slack.workspaceUrl', 'https://acme.slack.com/')").run();
    db.close();
    const store = new SqliteStore(path);
    expect(await store.messages.read('slack', 1)).toEqual({
      at: { channel: 'C1', ts: '1700000000.000100' },
      link: 'https://acme.slack.com/archives/C1/p1700000000000100',
      version: 4,
      notedCount: 3,
      notedAt: 9,
    });
    await store.close();
  });

  it('says which file failed and how to fix it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-dir'), '');
    let error: unknown;
    try {
      new SqliteStore(join(dir, 'not-a-dir/store.db'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreFailedError);
    expect((error as Error).message).toMatch(
      /^The store at .*not-a-dir\/store\.db failed: .*set store\.path in the config$/,
    );
  });
});

function emptyChanges() {
  return { hits: [], cleared: [], incidents: [], events: [] };
}

describe('the store on disk', () => {
  const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

  it('is readable by its owner only, with umask 022: directory 0700, database, WAL and SHM 0600', async () => {
    const old = process.umask(0o022);
    try {
      const path = join(tempDir(), 'data', 'nested', 'logwarden.db');
      const store = new SqliteStore(path);
      await store.audit.append({ at: 1, actor: 'logwarden', action: 'test', data: {} });
      expect(mode(join(path, '..'))).toBe('700');
      expect(mode(join(path, '..', '..'))).toBe('700');
      expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['600', '600', '600']);
      await store.close();
    } finally {
      process.umask(old);
    }
  });

  it('tightens a database an older version left readable by everyone', async () => {
    const path = join(tempDir(), 'old.db');
    await new SqliteStore(path).close();
    chmodSync(path, 0o644);
    const store = new SqliteStore(path);
    expect(mode(path)).toBe('600');
    await store.close();
  });
});
