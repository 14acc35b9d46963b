// A fleet plan carried out host by host: each (run, host) taken once in the store before it runs, checked against
// that host's own protected addresses, run (and verified) through its backend, recorded; the same for undoing it, by
// a click or when the host's ttl passes. A retry takes only hosts that failed or were refused: a host where it ran,
// or may have, never runs twice.
import type { ActionPlan, ActionRun, Clock, FieldType, HostOutcome } from '../../core/types.js';
import type { Store } from '../../store/ports.js';
import type { CommandResult, RunCommandOptions } from '../run-command.js';
import { hostFailure } from './fleet.js';
import type { FleetRunner } from './fleet-runner.js';

export interface FleetRunDeps {
  store: Store;
  clock: Clock;
  fleet: FleetRunner;
  options: RunCommandOptions;
  /** Something changed that Slack should show. */
  onChange(): void;
  stopping: AbortSignal;
}

/** Runs a plan on its hosts (or, retrying, on those that failed), `concurrency` at a time. */
export async function runOnHosts(
  deps: FleetRunDeps,
  run: Pick<ActionRun, 'id'>,
  plan: ActionPlan,
  types: Readonly<Record<string, FieldType>>,
  hosts: readonly string[],
  retry: boolean,
  actor: string,
): Promise<void> {
  const { store, clock, fleet } = deps;
  const via = plan.via ?? 'ssh';
  await eachLimit(hosts, fleet.concurrency, async (host) => {
    if (!(await store.actionRuns.claimHost(run.id, host, retry, actor, clock()))) return;
    deps.onChange();
    let outcome: HostOutcome;
    const protection = fleet.has(host)
      ? fleet.protectionOn(host, plan.values, types)
      : `${host} is no longer a fleet host (fleet.hosts)`;
    if (protection) outcome = { state: 'refused', detail: protection };
    else {
      const result = await fleet.run(host, via, plan.argv, deps.options);
      const succeeded = result.exitCode === 0;
      let verified: boolean | undefined;
      if (succeeded && plan.verify && !deps.stopping.aborted) {
        verified = (await fleet.run(host, via, plan.verify, deps.options)).exitCode === 0;
      }
      // Killed at its timeout or by a stop: it may have taken effect there, so its undo stays on offer.
      const undoable = succeeded || result.interrupted === true || result.timedOut === true;
      outcome = {
        state: result.interrupted ? 'interrupted' : succeeded ? 'succeeded' : 'failed',
        ...resultFields(result),
        ...(result.exitCode !== undefined && result.exitCode !== 0
          ? { detail: hostFailure(via, result.exitCode) }
          : {}),
        ...(verified !== undefined ? { verified } : {}),
        ...(undoable && plan.undo ? { undo: plan.ttl !== undefined ? { at: clock() + plan.ttl } : {} } : {}),
      };
    }
    await store.actionRuns.finishHost(run.id, host, outcome, clock());
    deps.onChange();
  });
}

/** Undoes a fleet run on the hosts given (all whose undo is available, or those whose ttl passed). */
export async function undoOnHosts(
  deps: FleetRunDeps,
  run: ActionRun,
  hosts: readonly string[],
  actor: string,
): Promise<{ undone: number; failed: string[] }> {
  const { store, clock, fleet } = deps;
  const via = run.plan?.via ?? 'ssh';
  const undo = run.plan?.undo;
  let undone = 0;
  const failed: string[] = [];
  await eachLimit(hosts, fleet.concurrency, async (host) => {
    if (!(await store.actionRuns.claimHostUndo(run.id, host, actor, clock()))) return;
    deps.onChange();
    let result: { ok: boolean; detail?: string; exitCode?: number; argv?: string[] };
    if (!undo) result = { ok: false, detail: 'the run kept no undo command' };
    else if (!fleet.has(host)) result = { ok: false, detail: `${host} is no longer a fleet host (fleet.hosts)` };
    else {
      const r = await fleet.run(host, via, undo, deps.options);
      result = {
        ok: r.exitCode === 0,
        argv: r.argv,
        ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
        ...(r.exitCode === 0 ? {} : { detail: r.detail ?? hostFailure(via, r.exitCode!) }),
      };
    }
    await store.actionRuns.finishHostUndo(run.id, host, result, clock());
    if (result.ok) undone++;
    else failed.push(`${host}: ${result.detail}`);
    deps.onChange();
  });
  return { undone, failed };
}

function resultFields(result: CommandResult) {
  return {
    argv: result.argv,
    durationMs: result.durationMs,
    output: result.output,
    outputHash: result.outputHash,
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    ...(result.detail ? { detail: result.detail } : {}),
  };
}

async function eachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
