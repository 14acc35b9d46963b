// A worker thread for one /logs query: the bot's own thread keeps tailing and answering meanwhile, and the query
// can be stopped outright (terminate) whatever it is doing.
import { parentPort, workerData } from 'node:worker_threads';
import type { QueryJob } from './query-pool.js';
import { searchLogs, tailSource } from './search-logs.js';

const { job } = workerData as { job: QueryJob };
parentPort?.postMessage(
  job.kind === 'search' ? searchLogs(job.sources, job.request, job.now, job.budget) : tailSource(job.source, job.count),
);
