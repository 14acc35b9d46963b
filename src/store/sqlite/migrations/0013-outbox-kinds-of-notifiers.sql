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
