import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Timer, Timers } from '../../src/core/timers.js';
import type { Incident } from '../../src/core/types.js';
import { createOutboxWorker, type JobOutcome } from '../../src/store/outbox-worker.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { silentLogger } from '../helpers/fixtures.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const T = Date.UTC(2026, 10, 23, 12);

/** Timers a test steps through by hand: what is waiting, and for how long. */
function manualTimers() {
  const waiting: { ms: number; fn: () => void }[] = [];
  const timer = (entry: { ms: number; fn: () => void }): Timer => ({
    cancel: () => {
      const at = waiting.indexOf(entry);
      if (at >= 0) waiting.splice(at, 1);
    },
    unref: () => timer(entry),
  });
  const timers: Timers = {
    after(ms, fn) {
      const entry = { ms, fn };
      waiting.push(entry);
      return timer(entry);
    },
    every() {
      throw new Error('the outbox worker only waits once at a time');
    },
  };
  return { timers, waiting };
}

it('waits for the next due job on the clock and timers it is given, never on the wall clock', async () => {
  let now = T;
  const store = new SqliteStore(join(tempDir(), 'store.db'), { clock: () => now });
  const incident: Incident = {
    id: 0,
    rule: 'r',
    severity: 'high',
    title: 't',
    key: {},
    fields: {},
    count: 1,
    firstSeen: T,
    lastSeen: T,
    source: 'auth',
    sample: [],
    status: 'open',
  };
  await store.commit('auth', undefined, { hits: [], cleared: [], incidents: [incident], events: [] }, T);
  await store.escalations.queueManual(
    incident.id,
    { kind: 'email.send', incidentId: incident.id, payload: { to: ['oncall@example.com'], reason: 'r' } },
    'U1',
    T,
    0,
  );
  const { timers, waiting } = manualTimers();
  const tried: number[] = [];
  const worker = createOutboxWorker({
    store,
    clock: () => now,
    timers,
    logger: silentLogger,
    channel: 'email',
    peer: 'The mail server',
    // The first try is refused (retry in five minutes); the second goes through.
    handle: async (): Promise<JobOutcome> => {
      tried.push(now);
      return tried.length === 1 ? { retryAt: now + 300_000, error: 'try later' } : { done: true };
    },
    fail: async () => {},
  });
  worker.start();
  await expect.poll(() => waiting.map((w) => w.ms)).toEqual([300_000]);
  expect(tried).toEqual([T]);
  now += 300_000;
  waiting.shift()!.fn();
  await expect.poll(() => tried).toEqual([T, T + 300_000]);
  await expect.poll(async () => await store.outbox.readNextAt('email')).toBeUndefined();
  await worker.stop();
  await store.close();
});
