-- A hit may stand for several matches (rsyslog's "message repeated N times"); an incident keyed by an IPv6 prefix
-- lists the addresses behind it.
ALTER TABLE hits ADD COLUMN weight INTEGER NOT NULL DEFAULT 1;
ALTER TABLE incidents ADD COLUMN spread_json TEXT;
