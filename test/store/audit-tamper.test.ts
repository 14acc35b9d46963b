// `logwarden audit` against someone with write access to the store but not the audit key: every way of rewriting
// history tried here is caught, naming the row, or "truncated after row N" given the anchor logwarden kept outside.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type AuditRow, hashAuditRow, macAuditRow } from '../../src/store/audit-chain.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

/** A store with the keyed start (row 1) and five rows (2–6), its config, and the anchor taken after them. */
async function setup() {
  const dir = tempDir();
  const db = join(dir, 'store.db');
  const config = join(dir, 'c.yml');
  writeFileSync(config, `store: { path: ${db} }\nsources: [{ id: a, path: /x }]\nrules: [{ use: sshd, source: a }]\n`);
  const store = new SqliteStore(db);
  const anchors: string[] = [];
  store.audit.onAnchor = (line) => anchors.push(line);
  for (let i = 2; i <= 6; i++) {
    await store.audit.append({
      at: Date.UTC(2026, 10, 23, 10, i),
      actor: `U${i}`,
      action: 'incident:acknowledge',
      incidentId: i,
      data: { i },
    });
  }
  await store.close();
  const anchor = join(dir, 'anchors.log');
  writeFileSync(anchor, `${anchors.join('\n')}\n`);
  return { dir, db, config, anchor, lastAnchor: anchors.at(-1)! };
}

type Row = AuditRow;

/** Changes the store as an attacker with write access to the file would (the append-only triggers go first). */
function tamper(path: string, change: (db: Database.Database, rows: () => Row[]) => void): void {
  const db = new Database(path);
  db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
  const rows = () =>
    db
      .prepare(
        'SELECT id, at, actor, action, incident_id AS incidentId, data_json AS dataJson, prev_hash AS prevHash, hash FROM audit ORDER BY id',
      )
      .all() as Row[];
  change(db, rows);
  db.close();
}

/** Recomputes every link from `from` on with `hash`: what someone who cannot sign would do to make the chain "fit". */
function rechain(db: Database.Database, rows: Row[], from: number, hash: (prev: string, row: Row) => string): void {
  let prev = '';
  for (const row of rows) {
    if (row.id >= from) {
      const next = hash(prev, row);
      db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, next, row.id);
      row.hash = next;
    }
    prev = row.hash;
  }
}

const guessedKey = Buffer.alloc(32, 7);
const update = (db: Database.Database, id: number, actor: string) =>
  db.prepare('UPDATE audit SET actor = ? WHERE id = ?').run(actor, id);

const TAMPERINGS: [name: string, change: Parameters<typeof tamper>[1], expected: string][] = [
  ['an edited middle row', (db) => update(db, 3, 'U9'), 'broken at row 3: its MAC does not check with the audit key'],
  [
    'a deleted middle row',
    (db) => db.prepare('DELETE FROM audit WHERE id = 4').run(),
    'broken at row 5: it does not follow the row before it',
  ],
  [
    'two rows swapped',
    (db, rows) => {
      const [a, b] = [rows()[2]!, rows()[3]!];
      update(db, a.id, b.actor);
      update(db, b.id, a.actor);
    },
    'broken at row 3: its MAC does not check',
  ],
  [
    'the last rows deleted',
    (db) => db.prepare('DELETE FROM audit WHERE id > 4').run(),
    'does not check: truncated after row 4: the anchor names row 6',
  ],
  ['every row deleted', (db) => db.prepare('DELETE FROM audit').run(), 'does not check: it has no rows'],
  [
    'an edit re-chained with plain SHA-256',
    (db, rows) => {
      update(db, 3, 'U9');
      rechain(db, rows(), 3, (prev, row) => hashAuditRow(prev, row));
    },
    'broken at row 3: it is not signed with the audit key',
  ],
  [
    'an edit re-chained with a guessed key',
    (db, rows) => {
      update(db, 3, 'U9');
      rechain(db, rows(), 3, (prev, row) => macAuditRow(guessedKey, prev, row));
    },
    'broken at row 3: its MAC does not check',
  ],
  [
    'a forged row appended',
    (db, rows) => {
      const last = rows().at(-1)!;
      const row = { at: last.at + 1, actor: 'U0LEAD', action: 'action:block-ip', incidentId: 1, dataJson: '{}' };
      db.prepare(
        'INSERT INTO audit (at, actor, action, incident_id, data_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        row.at,
        row.actor,
        row.action,
        row.incidentId,
        row.dataJson,
        last.hash,
        macAuditRow(guessedKey, last.hash, row),
      );
    },
    'broken at row 7: its MAC does not check',
  ],
  [
    'a prefix cut and the rest re-chained',
    (db, rows) => {
      db.prepare('DELETE FROM audit WHERE id <= 2').run();
      rechain(db, rows(), 0, (prev, row) => hashAuditRow(prev, row));
    },
    'does not check: no row is signed with the audit key',
  ],
  [
    'the store replaced by a new one',
    (db) => {
      db.prepare('DELETE FROM audit').run();
      const fresh = {
        at: 1,
        actor: 'logwarden',
        action: 'audit:keyed',
        incidentId: null,
        dataJson: '{"legacyRows":0,"legacyHead":""}',
      };
      db.prepare(
        'INSERT INTO audit (at, actor, action, incident_id, data_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        fresh.at,
        fresh.actor,
        fresh.action,
        fresh.incidentId,
        fresh.dataJson,
        '',
        macAuditRow(guessedKey, '', fresh),
      );
    },
    'broken at row 7: its MAC does not check',
  ],
];

describe('logwarden audit', () => {
  it('prints the rows and verifies them against the key and the anchor', async () => {
    const t = await setup();
    const ok = await runCli(['audit', '-c', t.config, '--json', '--anchor', t.anchor]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('audit chain verified: 6 rows, the last row 6, as anchored\n');
    expect(
      ok.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).actor),
    ).toEqual(['logwarden', 'U2', 'U3', 'U4', 'U5', 'U6']);
    // The anchor can be given as the line itself; without one, a cut end would not show, and it says so.
    expect((await runCli(['audit', '-c', t.config, '--anchor', t.lastAnchor])).code).toBe(0);
    // Or on stdin, as journalctl -u logwarden -o cat would give them, among other lines.
    const piped = await runCli(['audit', '-c', t.config, '--anchor', '-'], {
      input: `started\n${readFileSync(t.anchor, 'utf8')}watching\n`,
    });
    expect(piped.stderr).toContain('as anchored');
    expect((await runCli(['audit', '-c', t.config])).stderr).toContain('no --anchor given');
  });

  it.each(TAMPERINGS)('catches %s', async (_name, change, expected) => {
    const t = await setup();
    tamper(t.db, change);
    const result = await runCli(['audit', '-c', t.config, '--anchor', t.anchor]);
    expect(result.stderr).toContain(expected);
    expect(result.code).toBe(1);
  });

  it('fails on a missing store, and creates none', async () => {
    const t = await setup();
    const missing = join(t.dir, 'gone.yml');
    writeFileSync(
      missing,
      `store: { path: ${join(t.dir, 'nothing.db')} }\nsources: [{ id: a, path: /x }]\nrules: [{ use: sshd, source: a }]\n`,
    );
    const result = await runCli(['audit', '-c', missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/there is no store at .*nothing\.db/);
    expect(existsSync(join(t.dir, 'nothing.db'))).toBe(false);
  });

  it('refuses an anchor whose signature does not check (someone lowered its count)', async () => {
    const t = await setup();
    const forged = t.lastAnchor.replace(/rows=\d+/, 'rows=4');
    const result = await runCli(['audit', '-c', t.config, '--anchor', forged]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--anchor: its signature does not check with this audit key');
  });

  it('exports the rows as CSV for a review, spreadsheet formulas defused', async () => {
    const t = await setup();
    const store = new SqliteStore(t.db);
    await store.audit.append({
      at: Date.UTC(2026, 10, 23, 11),
      actor: '=HYPERLINK("x")',
      action: 'incident:resolve',
      data: { note: 'a,b' },
    });
    await store.close();
    const result = await runCli(['audit', '-c', t.config, '--export', 'csv']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('id,at,actor,action,incident,data,mac');
    expect(lines).toHaveLength(8);
    expect(lines.at(-1)).toMatch(
      /^7,2026-11-23T11:00:00\.000Z,"'=HYPERLINK\(""x""\)",incident:resolve,,"\{""note"":""a,b""\}",hmac-sha256:[0-9a-f]{64}$/,
    );
  });
});

describe('the store at start', () => {
  it('refuses to start a new keyed chain over a log that was emptied (it would launder it)', async () => {
    const t = await setup();
    tamper(t.db, (db) => db.prepare('DELETE FROM audit').run());
    expect(() => new SqliteStore(t.db)).toThrow(/lost the row its keyed chain starts with: rows were deleted/);
  });

  it('says a plain row after the keyed chain is tampering, not a key problem', async () => {
    const t = await setup();
    tamper(t.db, (db, rows) => {
      const last = rows().at(-1)!;
      const row = { at: last.at + 1, actor: 'U0LEAD', action: 'x', incidentId: null, dataJson: '{}' };
      db.prepare(
        'INSERT INTO audit (at, actor, action, incident_id, data_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(row.at, row.actor, row.action, row.incidentId, row.dataJson, last.hash, hashAuditRow(last.hash, row));
    });
    expect(() => new SqliteStore(t.db)).toThrow(
      /its last audit row is not signed: the log was changed without the key/,
    );
  });
});

describe('a store an older version kept', () => {
  it('starts the keyed chain after its plain-SHA rows, vouching for them', async () => {
    const { MIGRATIONS } = await import('../../src/store/sqlite/migrations.js');
    const { readAuditKey } = await import('../../src/store/store-files.js');
    const { verifyAuditChain } = await import('../../src/store/audit-chain.js');
    const path = join(tempDir(), 'old.db');
    const db = new Database(path);
    for (const [v, sql] of MIGRATIONS.slice(0, 10).entries()) {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    }
    let prev = '';
    for (let i = 1; i <= 2; i++) {
      const row = { at: i, actor: `U${i}`, action: 'incident:acknowledge', incidentId: 1, dataJson: '{}' };
      const hash = hashAuditRow(prev, row);
      db.prepare(
        'INSERT INTO audit (at, actor, action, incident_id, data_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(row.at, row.actor, row.action, row.incidentId, row.dataJson, prev, hash);
      prev = hash;
    }
    db.close();
    const store = new SqliteStore(path);
    const rows = await store.audit.readAll();
    await store.close();
    expect(rows.map((r) => r.action)).toEqual(['incident:acknowledge', 'incident:acknowledge', 'audit:keyed']);
    expect(JSON.parse(rows[2]!.dataJson)).toEqual({ legacyRows: 2, legacyHead: prev });
    expect(verifyAuditChain(rows, readAuditKey(path)!)).toMatchObject({ ok: true });
  });
});
