// The schema, as an ordered list: each entry upgrades user_version N to N+1. Never edit a shipped entry; add one.

export const MIGRATIONS: readonly string[] = [
  `
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
  `,
  `
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
  `,
  `
  ALTER TABLE incidents ADD COLUMN acknowledged_by TEXT;
  ALTER TABLE incidents ADD COLUMN acknowledged_at INTEGER;
  ALTER TABLE incidents ADD COLUMN resolved_by TEXT;
  ALTER TABLE incidents ADD COLUMN resolved_at INTEGER;
  `,
  `
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
  `,
  `
  ALTER TABLE slack_messages ADD COLUMN noted_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE slack_messages ADD COLUMN noted_at INTEGER NOT NULL DEFAULT 0;
  `,
  `
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
  `,
  `
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
  `,
  `
  -- Facts learned at run time that later commands need offline (the Slack workspace URL, for permalinks).
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  `
  -- The last Escalate click per incident: a click delivered twice, or two people pressing at once, mails once.
  CREATE TABLE manual_escalations (
    incident_id INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  `,
  `
  -- A hit may stand for several matches (rsyslog's "message repeated N times"); an incident keyed by an IPv6 prefix
  -- lists the addresses behind it.
  ALTER TABLE hits ADD COLUMN weight INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE incidents ADD COLUMN spread_json TEXT;
  `,
  `
  -- What was confirmed when a run was requested (argv, undo, verify, the values they hold, the ttl): approvals, undos
  -- and restarts run these, never the incident's values of the moment.
  ALTER TABLE action_runs ADD COLUMN plan_json TEXT;
  `,
  `
  -- When a job first became due (retries move next_attempt_at, not this): the outbox's oldest-job age in /metrics.
  ALTER TABLE outbox ADD COLUMN first_due_at INTEGER;
  UPDATE outbox SET first_due_at = next_attempt_at;
  `,
  `
  -- Outbox jobs are the notifiers' own ("<channel>.<what>"): a job that coalesces (one pending per kind and incident)
  -- says so, and when a kind was last done for an incident spaces the next one — no job kind is named here.
  ALTER TABLE outbox ADD COLUMN coalesces INTEGER NOT NULL DEFAULT 0;
  UPDATE outbox SET coalesces = 1 WHERE kind = 'slack.sync';
  DROP INDEX outbox_one_pending_sync;
  CREATE UNIQUE INDEX outbox_one_pending ON outbox (kind, incident_id) WHERE state = 'pending' AND coalesces = 1;
  CREATE TABLE outbox_done (
    kind TEXT NOT NULL,
    incident_id INTEGER NOT NULL,
    done_at INTEGER NOT NULL,
    PRIMARY KEY (kind, incident_id)
  );
  INSERT INTO outbox_done (kind, incident_id, done_at) SELECT 'slack.sync', incident_id, updated_at FROM slack_messages;
  `,
  `
  -- A notifier's message about an incident, where the notifier says it is (Slack: channel and ts) and its link: the
  -- schema names no notifier. Slack's permalinks were built from the workspace URL kept in settings; now each
  -- message keeps its own.
  CREATE TABLE notifier_messages (
    channel TEXT NOT NULL,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    at_json TEXT NOT NULL,
    link TEXT,
    version INTEGER NOT NULL,
    noted_count INTEGER NOT NULL DEFAULT 0,
    noted_at INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (channel, incident_id)
  );
  INSERT INTO notifier_messages (channel, incident_id, at_json, link, version, noted_count, noted_at, updated_at)
    SELECT 'slack', incident_id, json_object('channel', channel, 'ts', ts),
      (SELECT rtrim(value, '/') || '/archives/' || channel || '/p' || replace(ts, '.', '')
       FROM settings WHERE key = 'slack.workspaceUrl'),
      version, noted_count, noted_at, updated_at
    FROM slack_messages;
  DROP TABLE slack_messages;
  DELETE FROM settings WHERE key = 'slack.workspaceUrl';
  `,
];
