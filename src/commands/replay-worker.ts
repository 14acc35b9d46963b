// A worker thread of replay: runs the rules over one range of a large file and posts back its counts.
import { parentPort, workerData } from 'node:worker_threads';
import type { CompiledRule } from '../rules/compile.js';
import { SourceMatcher } from '../rules/match.js';
import { readLineBlocks } from '../sources/read-line-blocks.js';
import { type RuleCounts, tallyChunk } from './replay-segment.js';

export interface ReplayWorkerInput {
  file: string;
  range: { start: number; end: number };
  rules: CompiledRule[];
  maxLineBytes: number;
  now: number;
}

export interface ReplayWorkerOutput {
  lines: number;
  counts: [string, RuleCounts][];
}

const { file, range, rules, maxLineBytes, now } = workerData as ReplayWorkerInput;
const matcher = new SourceMatcher(rules, maxLineBytes);
const counts = new Map(rules.map((r) => [r.id, { matched: 0, ignored: 0, rejected: 0 }]));
let lines = 0;
readLineBlocks(file, range, maxLineBytes, (data) => {
  lines += tallyChunk(matcher, data, counts, undefined, 0, now);
});
parentPort?.postMessage({ lines, counts: [...counts] } satisfies ReplayWorkerOutput);
