// The worker threads of replay, started early: a thread takes some 80 ms to load the matcher, which it does while the
// main thread reads the config, instead of after it.
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { packageFile } from '../core/package-files.js';
import type { ReplayWorkerInput, ReplayWorkerOutput } from './replay-worker.js';

// On two cores a second thread is slower (measured: 0.88 s against 0.79 s for the bench's million lines): both threads
// warm up at once and their compiles share the cores with the matching.
/** replay's --jobs when none is given, for a machine with this many cores. */
export function defaultReplayJobs(cores: number): number {
  return cores > 2 ? Math.min(4, cores) : 1;
}

/** Files at least this large are cut into ranges read by worker threads (a range smaller than this saves nothing). */
export const PARALLEL_MIN_BYTES = 8 << 20;

export interface ReplayThreads {
  readonly count: number;
  /** Runs the rules over one range on a free thread (or the one with the shortest queue). */
  run(input: ReplayWorkerInput): Promise<Extract<ReplayWorkerOutput, { ok: true }>>;
  close(): Promise<void>;
}

// The built one, also under the tests (run from the TypeScript sources): a thread runs JavaScript.
const WORKER = 'dist/cli/replay-worker.js';

/**
 * Threads worth starting for these files: up to jobs − 1 (this thread reads a share too), only when the largest file
 * would give each at least PARALLEL_MIN_BYTES. Standard input and unreadable files count as small.
 */
export function replayThreadsFor(files: readonly string[], jobs: number): number {
  let largest = 0;
  for (const file of files) {
    if (file === '-') continue;
    try {
      largest = Math.max(largest, statSync(file).size);
    } catch {
      // Reported when the file is read.
    }
  }
  return Math.max(0, Math.min(jobs, Math.floor(largest / PARALLEL_MIN_BYTES)) - 1);
}

export function startReplayThreads(count: number): ReplayThreads {
  const workers = Array.from({ length: count }, () => {
    const worker = new Worker(packageFile(WORKER));
    // A thread left idle (a serial replay, an error) must not keep the process alive.
    worker.unref();
    return { worker, queue: [] as { resolve: (o: ReplayWorkerOutput) => void; reject: (e: Error) => void }[] };
  });
  for (const w of workers) {
    w.worker.on('message', (output: ReplayWorkerOutput) => w.queue.shift()?.resolve(output));
    w.worker.on('error', (error) => {
      for (const job of w.queue.splice(0)) job.reject(error);
    });
    w.worker.on('exit', (code) => {
      for (const job of w.queue.splice(0)) job.reject(new Error(`replay worker exited with code ${code}`));
    });
  }
  return {
    count,
    async run(input) {
      const w = workers.reduce((a, b) => (b.queue.length < a.queue.length ? b : a));
      const output = await new Promise<ReplayWorkerOutput>((resolve, reject) => {
        w.queue.push({ resolve, reject });
        w.worker.ref();
        w.worker.postMessage(input);
      }).finally(() => {
        if (w.queue.length === 0) w.worker.unref();
      });
      if (!output.ok) throw Object.assign(new Error(output.message), output.code ? { code: output.code } : {});
      return output;
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
