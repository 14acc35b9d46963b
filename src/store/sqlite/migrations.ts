// The schema, as numbered SQL files in migrations/: the Nth upgrades user_version N-1 to N. Never edit a shipped one;
// add the next file and its line here. (esbuild and vitest load .sql files as text: scripts/build.mjs, vitest.config.ts.)
import m0001 from './migrations/0001-initial.sql';
import m0002 from './migrations/0002-slack-messages-and-outbox.sql';
import m0003 from './migrations/0003-acknowledge-resolve.sql';
import m0004 from './migrations/0004-silences.sql';
import m0005 from './migrations/0005-thread-notes.sql';
import m0006 from './migrations/0006-action-runs.sql';
import m0007 from './migrations/0007-escalations.sql';
import m0008 from './migrations/0008-settings.sql';
import m0009 from './migrations/0009-manual-escalations.sql';
import m0010 from './migrations/0010-hit-weight-and-spread.sql';
import m0011 from './migrations/0011-action-plans.sql';
import m0012 from './migrations/0012-outbox-first-due.sql';
import m0013 from './migrations/0013-outbox-kinds-of-notifiers.sql';
import m0014 from './migrations/0014-notifier-messages.sql';
import m0015 from './migrations/0015-learned.sql';
import m0016 from './migrations/0016-learned-data.sql';
import m0017 from './migrations/0017-incidents-by-address.sql';
import m0018 from './migrations/0018-incident-offers.sql';
import m0019 from './migrations/0019-action-host-runs.sql';
import m0020 from './migrations/0020-event-ids.sql';

export const MIGRATIONS: readonly string[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
  m0016,
  m0017,
  m0018,
  m0019,
  m0020,
];
