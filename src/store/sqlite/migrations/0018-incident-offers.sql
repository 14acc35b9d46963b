-- Actions an incident offers besides its rule's: those that ran on its address before (returning attackers), chosen
-- by logwarden from its own records, never by a log line.
ALTER TABLE incidents ADD COLUMN offers_json TEXT;
