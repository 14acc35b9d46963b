-- The event ids an HTTP source took (its idField), committed with their lines: a sender's retry of a request whose
-- answer a crash lost is dropped after the restart too. The newest are kept per source.
CREATE TABLE event_ids (
  source_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (source_id, event_id)
);
CREATE INDEX event_ids_at ON event_ids (source_id, at);
