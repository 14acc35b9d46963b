CREATE TABLE action_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL,
  action_id TEXT NOT NULL,
  -- 1, then one more for each "Run again": a click names its attempt, so a repeated click finds it taken.
  attempt INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN
    ('awaiting-approval', 'running', 'succeeded', 'failed', 'refused', 'dry-run', 'interrupted')),
  requested_by TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  approved_by TEXT,
  argv_json TEXT,
  exit_code INTEGER,
  duration_ms INTEGER,
  output_hash TEXT,
  output TEXT,
  verified INTEGER,
  detail TEXT,
  finished_at INTEGER,
  undo_state TEXT CHECK (undo_state IN ('available', 'running', 'done', 'failed')),
  undo_at INTEGER,
  undo_by TEXT,
  undo_exit_code INTEGER,
  undo_detail TEXT,
  UNIQUE (incident_id, action_id, attempt)
);
CREATE INDEX action_runs_undo_due ON action_runs (undo_at) WHERE undo_state = 'available';
