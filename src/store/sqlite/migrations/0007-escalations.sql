CREATE TABLE escalations (
  incident_id INTEGER PRIMARY KEY,
  severity TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  -- The next step to take: level (step mod levels) of cycle (step div levels).
  step INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'stopped', 'done'))
);
CREATE INDEX escalations_due ON escalations (next_at) WHERE state = 'active';
