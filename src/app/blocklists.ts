// The operator's blocklist files (FireHOL netsets), read at start and again whenever one changes (update-ipsets
// replaces them whole): what the pipeline asks when it opens an incident about an address. A file that is missing or
// unreadable is logged and counts as empty until it is back; the others still apply.
import { readFile } from 'node:fs/promises';
import { type FSWatcher, watch } from 'chokidar';
import type { Logger } from '../core/logger.js';
import { isListed, type ParsedBlocklist, parseBlocklist } from '../incidents/blocklist.js';

export interface Blocklists {
  /** The first file listing the address, or undefined. */
  listing(address: string): string | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createBlocklists(files: readonly string[], logger: Logger): Blocklists {
  const lists = new Map<string, ParsedBlocklist>();
  let watcher: FSWatcher | undefined;
  const load = async (file: string) => {
    try {
      const parsed = parseBlocklist(await readFile(file, 'utf8'));
      lists.set(file, parsed);
      logger.info({ file, entries: parsed.entries }, 'blocklist read');
      if (parsed.invalid.length > 0) {
        logger.warn(
          { file, lines: parsed.invalid.slice(0, 10) },
          'blocklist lines that are no address or range, skipped',
        );
      }
    } catch (error) {
      lists.delete(file);
      logger.warn({ file, err: error }, 'blocklist unreadable: counted as empty until it is back');
    }
  };
  return {
    listing(address) {
      for (const file of files) {
        const parsed = lists.get(file);
        if (parsed && isListed(parsed.list, address)) return file;
      }
      return undefined;
    },
    async start() {
      if (files.length === 0) return;
      await Promise.all(files.map(load));
      watcher = watch([...files], { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 100 } });
      for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, (file) => void load(file));
    },
    async stop() {
      await watcher?.close();
    },
  };
}
