// A fleet plan carried out host by host: each (run, host) taken once in the store before it runs, checked against
// that host's own protected addresses, run (and verified) through its backend, recorded; the same for undoing it, by
// a click or when the host's ttl passes. A retry takes only hosts that failed or were refused: a host where it ran,
// or may have, never runs twice.
import type { ActionClick } from '../../core/commands.js';
import type {
  ActionOutcome,
  ActionPlan,
  ActionRun,
  Clock,
  FieldType,
  HostOutcome,
  Incident,
} from '../../core/types.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { CommitOptions, Store } from '../../store/ports.js';
import type { ActionCatalog, ResolvedAction } from '../action-catalog.js';
import type { CommandResult, RunCommandOptions } from '../run-command.js';
import { fleetSummary, hostOutcomeOf, hostsToRetry } from './fleet.js';
import type { FleetRunner } from './fleet-runner.js';

export interface FleetRunDeps {
  store: Store;
  clock: Clock;
  fleet: FleetRunner;
  options: RunCommandOptions;
  /** Something changed that Slack should show. */
  onChange(): void;
  stopping: AbortSignal;
  /** Record what would run on each host, run nothing (`--dry-run`, or the action's dryRun). */
  dryRun: boolean;
}

/**
 * Runs a plan on hosts, `concurrency` at a time: each taken first (a host with a row is taken again only when it
 * failed: a retry). A stop starts no more hosts: those left are offered to Retry.
 */
export async function runOnHosts(
  deps: FleetRunDeps,
  run: Pick<ActionRun, 'id' | 'hosts'>,
  plan: ActionPlan,
  types: Readonly<Record<string, FieldType>>,
  hosts: readonly string[],
  actor: string,
): Promise<void> {
  const { store, clock, fleet } = deps;
  const via = plan.via ?? 'ssh';
  const tried = new Set((run.hosts ?? []).map((h) => h.host));
  await eachLimit(hosts, fleet.concurrency, async (host) => {
    if (deps.stopping.aborted) return;
    if (!(await store.actionRuns.claimHost(run.id, host, tried.has(host), actor, clock()))) return;
    deps.onChange();
    let outcome: HostOutcome;
    const protection = fleet.has(host)
      ? fleet.protectionOn(host, plan.values, types)
      : `${host} is no longer a fleet host (fleet.hosts)`;
    if (protection) outcome = { state: 'refused', detail: protection };
    else if (deps.dryRun) outcome = { state: 'dry-run', argv: plan.argv, detail: 'dry run: nothing was run' };
    else {
      const result = await fleet.run(host, via, plan.argv, deps.options);
      const { state, detail } = hostOutcomeOf(via, result);
      let verified: boolean | undefined;
      if (state === 'succeeded' && plan.verify && !deps.stopping.aborted) {
        verified = (await fleet.run(host, via, plan.verify, deps.options)).exitCode === 0;
      }
      // Whether it took effect there is unknown (timed out, killed, cut off): its undo stays on offer.
      const undoable = state !== 'failed';
      outcome = {
        state,
        ...resultFields(result),
        ...(detail ? { detail } : {}),
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
    else if (deps.dryRun) result = { ok: true, argv: undo, detail: 'dry run: nothing was run' };
    else {
      const r = await fleet.run(host, via, undo, deps.options);
      const { state, detail } = hostOutcomeOf(via, r);
      result = {
        ok: state === 'succeeded',
        argv: r.argv,
        ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
        ...(detail ? { detail } : {}),
      };
    }
    await store.actionRuns.finishHostUndo(run.id, host, result, clock());
    if (result.ok) undone++;
    else failed.push(`${host}: ${result.detail}`);
    deps.onChange();
  });
  return { undone, failed };
}

export interface FleetRunsDeps {
  store: Store;
  clock: Clock;
  catalog: ActionCatalog;
  fleet?: FleetRunner;
  metrics?: Metrics;
  commitOptions: CommitOptions;
  onChange(): void;
  runOptions(timeout: number): RunCommandOptions;
  stopping: AbortSignal;
  /** `logwarden run --dry-run`: nothing runs on any host. */
  dryRun: boolean;
  typesOf(incident: Incident): Readonly<Record<string, FieldType>> | undefined;
  /** Why the plan's values may not be acted on anywhere now (logwarden's protected targets), or undefined. */
  protectionOf(incident: Incident | undefined, plan: ActionPlan): Promise<string | undefined>;
}

/** What the responder does with a run that has targets: run it, undo it, retry its failed hosts. */
export function createFleetRuns(deps: FleetRunsDeps) {
  const { store, clock, catalog, typesOf } = deps;
  const fleetDeps = (action: ResolvedAction): FleetRunDeps | undefined =>
    deps.fleet && {
      store,
      clock,
      fleet: deps.fleet,
      options: deps.runOptions(action.timeout),
      onChange: deps.onChange,
      stopping: deps.stopping,
      dryRun: deps.dryRun || action.dryRun,
    };
  // A fleet run: each host once, then the run recorded as they came out ("done on 5/6 hosts; web3: unreachable").
  const execute = async (
    runId: number,
    plan: ActionPlan,
    incident: Incident | undefined,
    actor: string,
  ): Promise<ActionOutcome> => {
    const action = catalog.get((await store.actionRuns.read(runId))!.actionId)!;
    const fleet = fleetDeps(action);
    const types = incident ? typesOf(incident) : undefined;
    if (!fleet || !types) {
      return {
        state: 'refused',
        detail: fleet ? 'its incident or rule is no longer configured' : 'no fleet: is configured',
      };
    }
    await runOnHosts(fleet, { id: runId }, plan, types, plan.targets ?? [], actor);
    const run = (await store.actionRuns.read(runId))!;
    const hosts = run.hosts ?? [];
    const all = hosts.length === (plan.targets ?? []).length && hosts.every((h) => h.state === 'succeeded');
    return {
      state: all ? 'succeeded' : hosts.some((h) => h.state === 'interrupted') ? 'interrupted' : 'failed',
      argv: plan.argv,
      detail: fleetSummary(run),
    };
  };

  // Undoes a fleet run on its hosts whose undo is available (or, for its ttl, on those given).
  const undo = async (run: ActionRun, actor: string, due?: readonly string[]): Promise<string | undefined> => {
    const action = catalog.get(run.actionId);
    const fleet = action ? fleetDeps(action) : undefined;
    const hosts = due ?? (run.hosts ?? []).filter((h) => h.undoState === 'available').map((h) => h.host);
    if (!fleet || hosts.length === 0) {
      return `${action?.label ?? run.actionId} is not waiting to be undone on any host (already undone, or being undone).`;
    }
    const { failed } = await undoOnHosts(fleet, run, hosts, actor);
    await store.actionRuns.noteRun(
      run.id,
      failed.length > 0 ? 'undo-failed' : 'undone',
      actor,
      clock(),
      deps.commitOptions,
    );
    deps.metrics?.actionFinished(failed.length > 0 ? 'undo-failed' : 'undone');
    deps.onChange();
    return undefined;
  };

  // Runs a fleet run again on the hosts where it failed or was refused, as it was confirmed.
  const retry = async (run: ActionRun, click: ActionClick): Promise<string | undefined> => {
    const action = catalog.get(run.actionId)!;
    const incident = (await store.incidents.read(run.incidentId))?.incident;
    const fleet = fleetDeps(action);
    const types = incident ? typesOf(incident) : undefined;
    const plan = run.plan!;
    const protection = types ? await deps.protectionOf(incident, plan) : 'its incident or rule is no longer configured';
    if (!fleet || protection) return `${action.label} was not retried: ${protection ?? 'no fleet: is configured'}.`;
    await runOnHosts(fleet, run, plan, types!, hostsToRetry(run), click.actor);
    await store.actionRuns.noteRun(run.id, 'finished', click.actor, clock(), deps.commitOptions);
    deps.onChange();
    return undefined;
  };
  return { execute, undo, retry };
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
