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
