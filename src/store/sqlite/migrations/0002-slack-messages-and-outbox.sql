ALTER TABLE incidents ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE slack_messages (
  incident_id INTEGER PRIMARY KEY REFERENCES incidents (id),
  channel TEXT NOT NULL,
  ts TEXT NOT NULL,
  -- The incident version the message shows, and when it was last written.
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  incident_id INTEGER,
  payload_json TEXT NOT NULL DEFAULT '{}',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed'))
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
CREATE UNIQUE INDEX outbox_one_pending_sync ON outbox (incident_id) WHERE kind = 'slack.sync' AND state = 'pending';
