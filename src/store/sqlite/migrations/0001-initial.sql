CREATE TABLE offsets (
  dev INTEGER NOT NULL,
  ino INTEGER NOT NULL,
  source_id TEXT NOT NULL,
  path TEXT NOT NULL,
  offset INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (dev, ino)
);
CREATE INDEX offsets_by_path ON offsets (path);
CREATE TABLE cursors (
  source_id TEXT PRIMARY KEY,
  cursor TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  rule TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  key_json TEXT NOT NULL,
  severity TEXT NOT NULL,
  title TEXT NOT NULL,
  fields_json TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL,
  source TEXT NOT NULL,
  sample_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'resolved'))
);
CREATE INDEX incidents_open ON incidents (status) WHERE status = 'open';
CREATE INDEX incidents_by_rule_key ON incidents (rule, key_hash);
CREATE TABLE hits (
  rule TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX hits_by_key ON hits (rule, key_hash);
CREATE INDEX hits_by_expiry ON hits (expires_at);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  incident_id INTEGER,
  data_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
