// The journald source kind: `journalctl --follow --output=json` as a child process (journald-source.ts, loaded only
// when one runs), resumed from the committed cursor.

import type { JournalFailedError } from '../../core/errors.js';
import { isOnPath } from '../../core/on-path.js';
import { defineSourceKind, type RunningSource } from '../source.js';
import { journaldSourceSchema } from './schema.js';

export const journaldSourceKind = defineSourceKind({
  type: 'journald',
  schema: journaldSourceSchema,
  describe: (s) =>
    `journald ${[...(s.unit ?? []).map((u) => `unit=${u}`), ...s.matches].join(' ') || '(all entries)'} (from ${s.from})`,
  checkOnHost(s, env) {
    return isOnPath(s.journalctl, env)
      ? []
      : [`source ${s.id}: ${s.journalctl} is not on PATH; install systemd or set journalctl:`];
  },
  async create(s, deps): Promise<RunningSource> {
    const { createJournaldSource } = await import('./journald-source.js');
    const { logger } = deps;
    return createJournaldSource(s, {
      readCursor: () => deps.positions.readCursor(s.id),
      onChunk: deps.onChunk,
      onProblem: (error: JournalFailedError) => logger.error({ source: s.id, err: error }, error.message),
      onRecovered: () => logger.info({ source: s.id }, 'journal is readable again'),
      env: deps.env,
      clock: deps.clock,
      timers: deps.timers,
    });
  },
});
