import { createLogwarden, type LogwardenDeps } from '../../src/app/pipeline.js';
import type { LoadedConfig } from '../../src/config/load.js';
import type { Notifier } from '../../src/notify/notifier.js';
import type { Store } from '../../src/store/ports.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { silentLogger } from './fixtures.js';

export type RunningLogwarden = Awaited<ReturnType<typeof startLogwarden>>;

// A started app on its own store file, quiet unless asked; stop() also closes the store, as a process exit would.
export async function startLogwarden(
  loaded: LoadedConfig,
  deps: Omit<LogwardenDeps, 'store' | 'logger' | 'env'> &
    Partial<LogwardenDeps> & {
      /** Notifiers that need the store this makes. */
      notifiersOf?(store: Store): Promise<Notifier[]>;
    },
) {
  const store = new SqliteStore(loaded.config.store.path);
  const { notifiersOf, ...rest } = deps;
  const app = createLogwarden(loaded, {
    store,
    logger: silentLogger,
    env: {},
    sweepInterval: 3_600_000,
    ...(notifiersOf ? { notifiers: await notifiersOf(store) } : {}),
    ...rest,
  });
  await app.start();
  return {
    app,
    store,
    async stop() {
      await app.stop();
      await store.close();
    },
  };
}
