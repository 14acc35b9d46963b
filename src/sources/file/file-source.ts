// A file source: one path or a glob. chokidar reports files appearing, changing and going; each path gets a FileTail
// that does the reading. A timer syncs every tail as well, so a missed event only ever delays lines.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { type FSWatcher, watch as watchPaths } from 'chokidar';
import picomatch from 'picomatch';
import { systemTimers, type Timer, type Timers } from '../../core/timers.js';
import type { RunningSource } from '../source.js';
import { FileTail, type TailDeps } from './file-tail.js';
import { OpenFiles } from './open-files.js';
import type { FileSourceConfig } from './schema.js';

export interface FileSourceOptions {
  pollInterval: number;
  rotateQuiet: number;
  /** How it waits between polls (default: the system's timers). */
  timers?: Timers;
}

export function createFileSource(config: FileSourceConfig, options: FileSourceOptions, deps: TailDeps): RunningSource {
  const scan = picomatch.scan(config.path);
  const isGlob = scan.isGlob;
  const root = isGlob ? scan.base || '.' : dirname(config.path);
  const isMatch = isGlob ? picomatch(config.path, { dot: true }) : (p: string) => p === config.path;
  const deep = isGlob && scan.glob.includes('/');
  const tails = new Map<string, FileTail>();
  const openFiles = new OpenFiles();
  const tailOptions = {
    from: config.from,
    maxLineBytes: config.maxLineBytes,
    rotateQuiet: options.rotateQuiet,
    reportMissing: !isGlob,
    followLink: !isGlob,
  };
  let watcher: FSWatcher | undefined;
  let timer: Timer | undefined;
  let rootMissing = false;

  const tailFor = (path: string) => {
    let tail = tails.get(path);
    if (!tail) {
      tail = new FileTail(config.id, path, tailOptions, deps, openFiles);
      tails.set(path, tail);
    }
    return tail;
  };

  // Watches the directory once it exists; files found by the first watch at start-up are "seen at start-up" (where
  // `from` applies), any found later are new and read from their start.
  const watch = async (atStartup: boolean) => {
    if (!existsSync(root)) {
      if (isGlob && !rootMissing) deps.onProblem(root, Object.assign(new Error(root), { code: 'ENOENT' }));
      rootMissing = true;
      return;
    }
    if (rootMissing && isGlob) deps.onRecovered(root);
    rootMissing = false;
    let ready = false;
    // Files there at start-up are read (and committed) before start() resolves.
    const startupReads: Promise<void>[] = [];
    const current = watchPaths(root, {
      persistent: false,
      ignoreInitial: false,
      atomic: false,
      depth: deep ? undefined : 0,
      ignored: (path, stats) => {
        if (path === root || stats === undefined) return false;
        if (stats.isDirectory()) return !deep;
        return !isMatch(path);
      },
    });
    watcher = current;
    const onFile = (path: string) => {
      if (!isMatch(path)) return;
      const tail = tailFor(path);
      if (ready || !atStartup) tail.requestSync();
      else startupReads.push(tail.sync(true));
    };
    current.on('add', onFile).on('change', onFile).on('unlink', onFile);
    current.on('error', (error) => deps.onProblem(root, error));
    await new Promise<void>((resolve) => current.once('ready', () => resolve()));
    ready = true;
    await Promise.all(startupReads);
  };

  const syncAll = async () => {
    if (!watcher) void watch(false);
    for (const [path, tail] of [...tails]) {
      await tail.sync(false);
      // A glob's file that is gone and fully read needs no tail; a plain path keeps its tail to see it come back.
      if (isGlob && tail.isIdle && tails.get(path) === tail) tails.delete(path);
    }
  };

  return {
    async start() {
      if (!isGlob) await tailFor(config.path).sync(true);
      await watch(true);
      timer = (options.timers ?? systemTimers).every(options.pollInterval, () => void syncAll()).unref();
    },
    async stop() {
      timer?.cancel();
      await watcher?.close();
      for (const tail of tails.values()) await tail.close();
      tails.clear();
    },
    syncNow: syncAll,
    status() {
      const files = [...tails.values()].map((tail) => tail.status());
      const problem = rootMissing
        ? `${root} does not exist`
        : isGlob
          ? files.find((f) => f.problem)?.problem
          : files[0]?.open
            ? undefined
            : (files[0]?.problem ?? 'not open');
      return {
        ready: problem === undefined && (isGlob ? watcher !== undefined : true),
        ...(problem !== undefined ? { problem: problem === 'ENOENT' ? `${config.path} does not exist` : problem } : {}),
        ...(problem !== undefined && isGlob && files.some((f) => f.open) ? { partial: true } : {}),
        files: files.map((f) => ({ path: f.path, lagBytes: f.lagBytes })),
      };
    },
  };
}
