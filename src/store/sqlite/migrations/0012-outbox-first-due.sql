-- When a job first became due (retries move next_attempt_at, not this): the outbox's oldest-job age in /metrics.
ALTER TABLE outbox ADD COLUMN first_due_at INTEGER;
UPDATE outbox SET first_due_at = next_attempt_at;
