// A worker thread for one /logs query: the bot's own thread keeps tailing and answering meanwhile, and the query
// can be stopped outright (terminate) whatever it is doing.
import { parentPort, workerData } from 'node:worker_threads';
import type { QueryJob } from './query-pool.js';
import { searchLogs, tailSource } from './search-logs.js';

const { job, startedAt } = workerData as { job: QueryJob; startedAt: number };
// The budget was given when the thread was asked for: what starting it took is spent.
const budget = (b: { timeMs: number; bytes: number }) => ({
  ...b,
  timeMs: Math.max(0, b.timeMs - (Date.now() - startedAt)),
});
parentPort?.postMessage(
  job.kind === 'search'
    ? await searchLogs(job.sources, job.request, job.now, budget(job.budget))
    : tailSource(job.source, job.count),
);
