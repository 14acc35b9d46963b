// A worker thread of replay: started before the config is read (so its start-up overlaps the main thread's), it runs
// the rules over each byte range it is sent and posts back the counts, until it is told to stop.
import { parentPort } from 'node:worker_threads';
import { SourceMatcher } from '../rules/match.js';
import type { CompiledRule } from '../rules/rule.js';
import { readLineBlocks } from '../sources/read-line-blocks.js';
import { type RuleCounts, tallyChunk } from './replay-segment.js';

export interface ReplayWorkerInput {
  file: string;
  range: { start: number; end: number };
  rules: CompiledRule[];
  maxLineBytes: number;
  now: number;
}

export type ReplayWorkerOutput =
  | { ok: true; lines: number; counts: [string, RuleCounts][] }
  | { ok: false; message: string; code?: string };

parentPort?.on('message', ({ file, range, rules, maxLineBytes, now }: ReplayWorkerInput) => {
  try {
    const matcher = new SourceMatcher(rules, maxLineBytes);
    const counts = new Map(rules.map((r) => [r.id, { matched: 0, ignored: 0, rejected: 0 }]));
    let lines = 0;
    readLineBlocks(file, range, maxLineBytes, (data) => {
      lines += tallyChunk(matcher, data, counts, undefined, 0, now);
    });
    parentPort?.postMessage({ ok: true, lines, counts: [...counts] } satisfies ReplayWorkerOutput);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    parentPort?.postMessage({
      ok: false,
      message: e.message,
      ...(e.code ? { code: e.code } : {}),
    } satisfies ReplayWorkerOutput);
  }
});
