-- The last Escalate click per incident: a click delivered twice, or two people pressing at once, mails once.
CREATE TABLE manual_escalations (
  incident_id INTEGER PRIMARY KEY,
  actor TEXT NOT NULL,
  at INTEGER NOT NULL
);
