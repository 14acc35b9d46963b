-- What was confirmed when a run was requested (argv, undo, verify, the values they hold, the ttl): approvals, undos
-- and restarts run these, never the incident's values of the moment.
ALTER TABLE action_runs ADD COLUMN plan_json TEXT;
