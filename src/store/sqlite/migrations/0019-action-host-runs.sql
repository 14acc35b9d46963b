-- A response action run on fleet hosts: one row per (run, host), taken once, so a redelivered click, a retry or a
-- restart never runs a host twice; each host has its own outcome, undo and ttl.
CREATE TABLE action_host_runs (
  run_id INTEGER NOT NULL REFERENCES action_runs(id),
  host TEXT NOT NULL,
  state TEXT NOT NULL,
  tries INTEGER NOT NULL DEFAULT 1,
  argv_json TEXT,
  exit_code INTEGER,
  duration_ms INTEGER,
  output_hash TEXT,
  output TEXT,
  verified INTEGER,
  detail TEXT,
  finished_at INTEGER,
  undo_state TEXT,
  undo_at INTEGER,
  undo_by TEXT,
  undo_exit_code INTEGER,
  undo_detail TEXT,
  PRIMARY KEY (run_id, host)
);
CREATE INDEX action_host_runs_due ON action_host_runs (undo_state, undo_at);
