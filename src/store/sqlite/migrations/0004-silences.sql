ALTER TABLE incidents ADD COLUMN resolution TEXT;
CREATE TABLE silences (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  rule TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  key_json TEXT NOT NULL,
  -- NULL: until someone lifts it.
  until INTEGER,
  reason TEXT NOT NULL CHECK (reason IN ('snooze', 'false-positive')),
  incident_id INTEGER,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX silences_by_key ON silences (rule, key_hash);
