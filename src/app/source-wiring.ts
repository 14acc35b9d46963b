// The sources and the rest of logwarden: where they resume from (the store's positions), and what they say of
// themselves, as the sweep (source-quiet) and `/logs hosts` read it.
import type { SourceConfig } from '../config/schema.js';
import type { SourceSenders } from '../core/commands.js';
import type { RunningSource, SourcePositions } from '../sources/source.js';
import type { Store } from '../store/ports.js';

/** Where sources resume from, as committed with their chunks. */
export function positionsIn(store: Store): SourcePositions {
  return {
    readOffset: async (dev, ino) => (await store.checkpoints.readOffset(dev, ino))?.offset,
    readOffsetsForPath: (path) => store.checkpoints.readOffsetsForPath(path),
    forgetOffset: (dev, ino) => store.checkpoints.forgetOffset(dev, ino),
    readCursor: (id) => store.checkpoints.readCursor(id),
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
