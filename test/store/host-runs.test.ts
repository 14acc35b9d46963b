// A fleet run's hosts in a real SQLite file: each (run, host) taken once, only a failed host taken again, a host a
// restart interrupted kept undoable with its ttl, and the run's state and undo state read from its hosts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ActionPlan } from '../../src/core/types.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { addIncident } from '../helpers/add-incident.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const T = Date.UTC(2026, 10, 24, 12);
const plan: ActionPlan = {
  argv: ['block', '203.0.113.7'],
  undo: ['unblock', '203.0.113.7'],
  values: { ip: '203.0.113.7' },
  ttl: 3_600_000,
  targets: ['web1', 'web2'],
  via: 'ssh',
};

describe('fleet host runs in the store', () => {
  it('takes each host once, retries only a failed one, and recovers one a restart interrupted', async () => {
    const path = join(tempDir(), 'store.db');
    const store = new SqliteStore(path);
    const id = await addIncident(store, 'ssh-fail', { ip: '203.0.113.7' }, T);
    const claim = await store.actionRuns.claim(
      { incidentId: id, actionId: 'block-all', attempt: 1, actor: 'U1', approvals: 1, plan },
      T,
    );
    const runId = claim.outcome === 'run' ? claim.run.id : -1;
    expect(await store.actionRuns.claimHost(runId, 'web1', false, 'U1', T)).toBe(true);
    expect(await store.actionRuns.claimHost(runId, 'web1', false, 'U2', T)).toBe(false);
    // A host that is running (or ran) is not retried.
    expect(await store.actionRuns.claimHost(runId, 'web1', true, 'U2', T)).toBe(false);
    await store.actionRuns.finishHost(runId, 'web1', { state: 'failed', exitCode: 255, detail: 'unreachable' }, T);
    expect((await store.actionRuns.read(runId))?.state).toBe('running');
    expect(await store.actionRuns.claimHost(runId, 'web1', true, 'U2', T + 1)).toBe(true);
    expect(await store.actionRuns.claimHost(runId, 'web1', true, 'U3', T + 1)).toBe(false);
    await store.actionRuns.finishHost(runId, 'web1', { state: 'succeeded', exitCode: 0, undo: { at: T + 10 } }, T + 2);
    expect(await store.actionRuns.claimHost(runId, 'web2', false, 'U1', T + 3)).toBe(true);
    await store.close();

    // logwarden was killed while web2 ran: it may have taken effect there, so its undo stays, with its ttl.
    const again = new SqliteStore(path);
    await again.actionRuns.recover(T + 100);
    const run = await again.actionRuns.read(runId);
    expect(run?.hosts?.map((h) => [h.host, h.state, h.tries, h.undoState, h.undoAt])).toEqual([
      ['web1', 'succeeded', 2, 'available', T + 10],
      ['web2', 'interrupted', 1, 'available', T + 100 + 3_600_000],
    ]);
    expect(run?.state).toBe('interrupted');
    expect(run?.undoState).toBe('available');
    expect(run?.undoAt).toBe(T + 10);
    expect(await again.actionRuns.readNextUndoAt()).toBe(T + 10);
    // The run itself has no undo of its own (each host has its own ttl): the run-level due list never names it.
    expect(await again.actionRuns.readDueUndos(T + 10_000_000)).toEqual([]);
    expect(await again.actionRuns.readDueHostUndos(T + 10)).toEqual([{ runId, host: 'web1' }]);
    expect(await again.actionRuns.claimHostUndo(runId, 'web1', 'logwarden', T + 10)).toBe(true);
    expect(await again.actionRuns.claimHostUndo(runId, 'web1', 'U1', T + 10)).toBe(false);
    await again.actionRuns.finishHostUndo(runId, 'web1', { ok: true, exitCode: 0 }, T + 11);
    expect(await again.actionRuns.readDueHostUndos(T + 10_000_000)).toEqual([{ runId, host: 'web2' }]);
    const audit = (await again.audit.readAll()).map((r) => r.action);
    expect(audit).toEqual(
      expect.arrayContaining(['action:host-run', 'action:host-taken', 'action:host-retry', 'action:host-failed']),
    );
    await again.close();
  });
});
