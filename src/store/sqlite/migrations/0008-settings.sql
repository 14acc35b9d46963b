-- Facts learned at run time that later commands need offline (the Slack workspace URL, for permalinks).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
