// `logwarden run` as a service reloads its config on SIGHUP: a valid config replaces the running pipeline (read
// positions, incidents and the outbox are in the store, so nothing is lost or read twice), an invalid one is reported
// and the old one keeps running. Reloads queue behind each other.

import { type Running, type RunOptions, startRun } from '../app/compose.js';
import type { LoadedConfig } from '../config/load.js';
import type { Logger } from '../core/logger.js';

export interface ReloadableRun {
  /** The pipeline running now (or starting); rejects when its start failed. */
  current(): Promise<Running>;
  /** Reads the config again and, when it is valid, restarts the pipeline on it. */
  reload(): Promise<void>;
}

export function startReloadable(
  first: LoadedConfig,
  deps: {
    run: RunOptions;
    read(): Promise<LoadedConfig>;
    logger: Logger;
    /** A reloaded config that cannot start: the process cannot go on. */
    fail(error: unknown): never;
  },
): ReloadableRun {
  let running = startRun(first, deps.run);
  let reloading = Promise.resolve();
  return {
    current: () => running,
    reload() {
      reloading = reloading.then(async () => {
        let next: LoadedConfig;
        try {
          next = await deps.read();
        } catch (error) {
          deps.logger.error(
            { err: (error as Error).message },
            'reload refused: the config is invalid; the old one runs on',
          );
          return;
        }
        deps.logger.info({ config: next.file }, 'reloading');
        await (await running.catch(() => undefined))?.stop();
        running = startRun(next, deps.run);
        await running.catch((error: Error) => {
          deps.logger.error({ err: error.message }, 'the reloaded config could not start');
          deps.fail(error);
        });
      });
      return reloading;
    },
  };
}
