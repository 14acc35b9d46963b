import type { RunningSource, SourceDeps, SourceKind } from './source.js';

// A source whose kind's code loads when it starts (so that commands which never start one never load it).
export function startLater(kind: SourceKind, config: { id: string; type: string }, deps: SourceDeps): RunningSource {
  let running: RunningSource | undefined;
  let stopped = false;
  return {
    async start() {
      running = await kind.create(config, deps);
      if (!stopped) await running.start();
    },
    async stop() {
      stopped = true;
      await running?.stop();
    },
    syncNow: async () => {
      await running?.syncNow();
    },
    status: () => running?.status() ?? { ready: false, problem: 'not started' },
  };
}
