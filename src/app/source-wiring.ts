// The sources and the rest of logwarden: how each is started, where they resume from (the store's positions), and what they say of
// themselves, as the sweep (source-quiet) and `/logs hosts` read it.
import { allowedEnv } from '../actions/run-command.js';
import type { LoadedConfig } from '../config/load.js';
import type { SourceConfig } from '../config/schema.js';
import type { SourceSenders } from '../core/commands.js';
import type { Logger } from '../core/logger.js';
import type { Timers } from '../core/timers.js';
import type { Clock, LineChunk } from '../core/types.js';
import { sourceKindOf } from '../sources/registry.js';
import type { RunningSource, SourcePositions } from '../sources/source.js';
import { startLater } from '../sources/start-later.js';
import type { Store } from '../store/ports.js';

/** Starts a configured source (opened later when its kind must wait, as start-later.ts says). */
export function startSource(
  loaded: LoadedConfig,
  source: SourceConfig,
  deps: {
    clock: Clock;
    timers: Timers;
    logger: Logger;
    env: NodeJS.ProcessEnv;
    onChunk(chunk: LineChunk): Promise<void>;
    store: Store;
  },
): RunningSource {
  return startLater(sourceKindOf(source.type, loaded.kinds.sources), source, {
    clock: deps.clock,
    timers: deps.timers,
    logger: deps.logger,
    // journalctl gets what commands get: no Slack token, no SMTP password.
    env: allowedEnv(deps.env, loaded.config.commands.env),
    secret: (name) => deps.env[name],
    onChunk: deps.onChunk,
    positions: positionsIn(deps.store),
    tail: loaded.config.tail,
  });
}

/** Where sources resume from, as committed with their chunks. */
export function positionsIn(store: Store): SourcePositions {
  return {
    readOffset: async (dev, ino) => (await store.checkpoints.readOffset(dev, ino))?.offset,
    readOffsetsForPath: (path) => store.checkpoints.readOffsetsForPath(path),
    forgetOffset: (dev, ino) => store.checkpoints.forgetOffset(dev, ino),
    readCursor: (id) => store.checkpoints.readCursor(id),
    readEventIds: (id, limit) => store.checkpoints.readEventIds(id, limit),
  };
}

/** Sources that cannot be read now, and why: not merely one file of a glob (the others are read). */
export function unreadableSources(
  configs: readonly SourceConfig[],
  running: readonly RunningSource[],
): Map<string, string> {
  const problems = new Map<string, string>();
  running.forEach((source, i) => {
    const status = source.status();
    if (!status.ready && status.problem && !status.partial) problems.set(configs[i]!.id, status.problem);
  });
  return problems;
}

/** Who sends to each network source (syslog, http). */
export function sendersOf(configs: readonly SourceConfig[], running: readonly RunningSource[]): SourceSenders[] {
  return configs.flatMap((s, i) => {
    const senders = running[i]!.status().senders;
    return senders ? [{ source: s.id, type: s.type, senders }] : [];
  });
}
