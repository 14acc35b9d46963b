// A worker thread for /logs search over large files, so the main thread keeps tailing meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import type { FileSourceConfig } from '../config/schema.js';
import { type SearchRequest, searchLogs } from './search-logs.js';

const { sources, request, now } = workerData as { sources: FileSourceConfig[]; request: SearchRequest; now: number };
parentPort?.postMessage(searchLogs(sources, request, now));
