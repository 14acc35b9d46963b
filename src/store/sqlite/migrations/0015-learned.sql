-- What learning detectors know (new-login-source: each user's networks), as the tracker keeps it: written with the
-- change that taught it, read back at start. The subject '' with value '' holds when a rule began learning.
CREATE TABLE learned (
  rule TEXT NOT NULL,
  subject TEXT NOT NULL,
  value TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (rule, subject, value)
);
