// What a click on a response action does, once it is authorised: claim the (incident, action, attempt) in the
// store so it runs once, fill the argv from the incident's typed captures (checked again now), run it through the
// one runner, verify it, record everything, and later undo it — by a click or when its ttl passes, even after a
// restart. I/O (store, runner, clock) is passed in.

import type { CommandsConfig } from '../config/schema.js';
import { addressFamily } from '../core/address-family.js';
import type { ActionClick } from '../core/commands.js';
import type { Logger } from '../core/logger.js';
import type { ActionOutcome, ActionPlan, Clock, FieldType, Incident, UndoOutcome } from '../core/types.js';
import type { Metrics } from '../metrics/metrics.js';
import type { CommitOptions, Store } from '../store/ports.js';
import type { ActionCatalog, ResolvedAction } from './action-catalog.js';
import { planOf } from './action-plan.js';
import { staleClick } from './confirmed-values.js';
import type { FleetRunner } from './fleet/fleet-runner.js';
import { createFleetRuns } from './fleet/fleet-runs.js';
import { type ProtectedTargets, protectionOfValues } from './protected-targets.js';
import type { ArgvResult } from './render-argv.js';
import type { CommandResult, RunCommandOptions } from './run-command.js';

export interface ResponderDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  catalog: ActionCatalog;
  /** Each rule's offered actions and capture types. */
  rules: ReadonlyMap<string, { actions: readonly string[]; fields: Readonly<Record<string, FieldType>> }>;
  commands: CommandsConfig;
  env: NodeJS.ProcessEnv;
  run(argv: readonly string[], options: RunCommandOptions): Promise<CommandResult>;
  /** Record what would run, run nothing (`logwarden run --dry-run`). */
  dryRun?: boolean;
  commitOptions: CommitOptions;
  /** Something changed that Slack should show. */
  onChange(): void;
  /** The targets no action may act on, as they are now. */
  protectedTargets(): ProtectedTargets;
  /** The addresses a host name resolves to now (every one is checked before a command gets the name). */
  resolveHost(name: string): Promise<string[]>;
  /** Runs actions with a target on the fleet's hosts; without it, such an action is refused. */
  fleet?: FleetRunner;
}

export interface Responder {
  /** Runs (or requests, or approves) an action; resolves with a reply for the clicker only, when there is one. */
  request(click: ActionClick): Promise<string | undefined>;
  undo(click: ActionClick): Promise<string | undefined>;
  /** Undoes every run whose ttl has passed. */
  undoDue(): Promise<void>;
  /** Marks runs a crash interrupted; call once at start-up. */
  recover(): Promise<void>;
  /** Resolves once every command started has finished. */
  settle(): Promise<void>;
  /**
   * logwarden is stopping: new requests are refused, running commands get commands.shutdownGrace to finish, then
   * their process groups are killed and the runs recorded as interrupted, undo kept. Resolves when all have ended
   * (and the fleet's temporary files are removed).
   */
  stop(): Promise<void>;
}

export function createResponder(deps: ResponderDeps): Responder {
  const { store, clock, catalog } = deps;
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => {});
    return work;
  };
  const stopping = new AbortController();
  const runOptions = (timeout: number): RunCommandOptions => ({
    timeout,
    env: deps.env,
    envAllowlist: deps.commands.env,
    maxOutput: deps.commands.maxOutput,
    stopping: { signal: stopping.signal, grace: deps.commands.shutdownGrace },
  });
  const typesOf = (incident: Incident) => deps.rules.get(incident.rule)?.fields;
  // The argvs a request confirms, filled with the incident's values now, each checked against its type.
  const planFor = (incident: Incident | undefined, action: ResolvedAction) =>
    planOf(incident, incident ? typesOf(incident) : undefined, action);
  // Fails closed: values whose rule (and so whose types) is gone are not run.
  const protectionOf = (incident: Incident | undefined, plan: ActionPlan) => {
    const types = incident ? typesOf(incident) : undefined;
    if (!types) return 'its incident or rule is no longer configured';
    return protectionOfValues(plan.values, types, deps.protectedTargets());
  };

  // A host name is checked by what it resolves to now: a name whose owner points it at 127.0.0.1 must not make a
  // command resolve it there. A name that does not resolve is not acted on either.
  const resolvedProtection = async (incident: Incident | undefined, plan: ActionPlan): Promise<string | undefined> => {
    const types = incident ? typesOf(incident) : undefined;
    for (const [name, value] of Object.entries(plan.values)) {
      if (types?.[name] !== 'host' || addressFamily(value) !== 0) continue;
      let addresses: string[];
      try {
        addresses = await deps.resolveHost(value);
      } catch (error) {
        return `${value} does not resolve (${(error as Error).message}), so it cannot be checked against the protected targets`;
      }
      for (const address of addresses) {
        const reason = protectionOfValues({ address }, { address: 'ip' }, deps.protectedTargets());
        if (reason) return `${value} resolves to ${address}, which ${reason.slice(address.length + 1)}`;
      }
    }
    return undefined;
  };

  const execute = async (runId: number, click: ActionClick): Promise<string | undefined> => {
    const action = catalog.get(click.actionId)!;
    const incident = (await store.incidents.read(click.incidentId))?.incident;
    const claimed = await store.actionRuns.read(runId);
    const stored = claimed?.plan;
    // A request made before plans were kept cannot be approved: nobody can say what its requester saw.
    const planned = stored
      ? { ok: true as const, plan: stored }
      : claimed?.approvedBy
        ? { ok: false as const, reason: 'it was requested before logwarden kept what was confirmed; request it again' }
        : planFor(incident, action);
    // Checked again right before running: the host's addresses and resolvers may have changed since.
    const protection = planned.ok
      ? (protectionOf(incident, planned.plan) ?? (await resolvedProtection(incident, planned.plan)))
      : undefined;
    let outcome: ActionOutcome;
    if (!planned.ok) {
      outcome = { state: 'refused', detail: planned.reason };
    } else if (protection) {
      outcome = { state: 'refused', detail: protection };
    } else if (action.dryRun || deps.dryRun) {
      outcome = { state: 'dry-run', argv: planned.plan.argv };
    } else if (planned.plan.targets) {
      outcome = await fleetRuns.execute(runId, planned.plan, incident, click.actor);
    } else {
      const { plan } = planned;
      const result = await deps.run(plan.argv, runOptions(action.timeout));
      const succeeded = result.exitCode === 0;
      let verified: boolean | undefined;
      if (succeeded && plan.verify && !stopping.signal.aborted) {
        verified = (await deps.run(plan.verify, runOptions(action.timeout))).exitCode === 0;
      }
      // Killed because logwarden was stopping or at its timeout: it may have taken effect, so its undo (the safe
      // direction) stays on offer.
      const undoable = succeeded || result.interrupted === true || result.timedOut === true;
      outcome = {
        state: result.interrupted ? 'interrupted' : succeeded ? 'succeeded' : 'failed',
        argv: result.argv,
        durationMs: result.durationMs,
        output: result.output,
        outputHash: result.outputHash,
        ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
        ...(result.detail ? { detail: result.detail } : {}),
        ...(verified !== undefined ? { verified } : {}),
        ...(undoable && plan.undo ? { undo: plan.ttl !== undefined ? { at: clock() + plan.ttl } : {} } : {}),
      };
    }
    const run = await store.actionRuns.finish(runId, outcome, clock(), deps.commitOptions);
    deps.metrics?.actionFinished(run.state);
    deps.onChange();
    deps.logger.info(
      {
        incident: click.incidentId,
        action: click.actionId,
        state: run.state,
        exitCode: run.exitCode,
        actor: click.actor,
      },
      'response action finished',
    );
    if (run.state === 'refused') return `${action.label}: ${run.detail}.`;
    return undefined;
  };

  const fleetRuns = createFleetRuns({
    store,
    clock,
    catalog,
    ...(deps.fleet ? { fleet: deps.fleet } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    commitOptions: deps.commitOptions,
    onChange: deps.onChange,
    runOptions,
    stopping: stopping.signal,
    dryRun: deps.dryRun === true,
    typesOf,
    protectionOf: async (incident, plan) => protectionOf(incident, plan) ?? (await resolvedProtection(incident, plan)),
  });

  const undoRun = async (runId: number, actor: string): Promise<string | undefined> => {
    const run = await store.actionRuns.read(runId);
    const action = run ? catalog.get(run.actionId) : undefined;
    if (run?.plan?.targets) return fleetRuns.undo(run, actor);
    if (!run || !action?.undo) return 'That action has no undo.';
    if (!(await store.actionRuns.claimUndo(runId, actor, clock())))
      return `${action.label} is not waiting to be undone (already undone, or being undone).`;
    deps.onChange();
    // The undo of what ran: the argv kept with the run (older runs: filled from the incident now).
    const argv: ArgvResult = run.plan
      ? run.plan.undo
        ? { ok: true, argv: run.plan.undo }
        : { ok: false, reason: 'the run kept no undo command' }
      : await (async () => {
          // A run from before plans were kept: its undo is filled now, and only if the command it fills the same way
          // is the one that ran (else the incident names other values since, and the undo would act on those).
          const planned = planFor((await store.incidents.read(run.incidentId))?.incident, action);
          if (!planned.ok) return { ok: false as const, reason: planned.reason };
          if (!planned.plan.undo) return { ok: false as const, reason: 'no undo command' };
          if (run.argv && JSON.stringify(planned.plan.argv) !== JSON.stringify(run.argv)) {
            return {
              ok: false as const,
              reason: `the incident names other values than the run used (${run.argv.join(' ')}); undo it by hand`,
            };
          }
          return { ok: true as const, argv: planned.plan.undo };
        })();
    let result: UndoOutcome;
    if (!argv.ok) result = { ok: false, detail: argv.reason };
    else if (action.dryRun || deps.dryRun) result = { ok: true, argv: argv.argv, detail: 'dry run: nothing was run' };
    else {
      const r = await deps.run(argv.argv, runOptions(action.timeout));
      result = {
        ok: r.exitCode === 0,
        argv: r.argv,
        durationMs: r.durationMs,
        outputHash: r.outputHash,
        ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
        ...(r.exitCode === 0 ? {} : { detail: r.detail ?? `exit ${r.exitCode}` }),
      };
    }
    await store.actionRuns.finishUndo(runId, result, clock(), deps.commitOptions);
    deps.metrics?.actionFinished(result.ok ? 'undone' : 'undo-failed');
    deps.onChange();
    return undefined;
  };

  return {
    request(click) {
      if (stopping.signal.aborted)
        return Promise.resolve('logwarden is stopping; nothing was run. Try again once it is back.');
      // Tracked from the click on, so a stop waits for it (and for what it runs).
      return track(request(click));
    },
    undo(click) {
      return track(
        (async () => {
          const run = await store.actionRuns.readFor(click.incidentId, click.actionId, click.attempt);
          if (!run) return 'There is no such run to undo.';
          return undoRun(run.id, click.actor);
        })(),
      );
    },
    async undoDue() {
      for (const run of await store.actionRuns.readDueUndos(clock())) await track(undoRun(run.id, 'logwarden'));
      // A fleet run's hosts each have their own ttl.
      const due = new Map<number, string[]>();
      for (const { runId, host } of await store.actionRuns.readDueHostUndos(clock())) {
        due.set(runId, [...(due.get(runId) ?? []), host]);
      }
      for (const [runId, hosts] of due) {
        const run = await store.actionRuns.read(runId);
        if (run) await track(fleetRuns.undo(run, 'logwarden', hosts));
      }
    },
    async recover() {
      if ((await store.actionRuns.recover(clock(), deps.commitOptions)).length > 0) deps.onChange();
    },
    async settle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      stopping.abort();
      await this.settle();
      deps.fleet?.close();
    },
  };

  async function request(click: ActionClick): Promise<string | undefined> {
    const action = catalog.get(click.actionId);
    const offered = await (async () => {
      const incident = (await store.incidents.read(click.incidentId))?.incident;
      if (!incident) return undefined;
      // The rule's actions, and those the incident offers as ran on its address before.
      return (
        (deps.rules.get(incident.rule)?.actions.includes(click.actionId) ?? false) ||
        (incident.offers ?? []).includes(click.actionId)
      );
    })();
    if (!action || offered === false) {
      await store.audit.append({
        at: clock(),
        actor: click.actor,
        action: 'action:refused',
        incidentId: click.incidentId,
        data: { action: click.actionId, reason: 'not offered' },
      });
      return Promise.resolve(
        `The action ${click.actionId.slice(0, 64)} is not offered for this incident. Nothing was done.`,
      );
    }
    const found = await store.incidents.read(click.incidentId);
    const refuse = async (audited: string, reason: string, reply: string) => {
      await store.audit.append({
        at: clock(),
        actor: click.actor,
        action: audited,
        incidentId: click.incidentId,
        data: { action: click.actionId, attempt: click.attempt, reason },
      });
      return Promise.resolve(reply);
    };
    if (found && (found.incident.status !== 'open' || found.decisions.resolvedBy)) {
      return refuse(
        'action:refused',
        'incident resolved',
        `Incident #${click.incidentId} is ${found.incident.status === 'open' ? 'resolved' : found.incident.status}: ${action.label} is not run on it. Undo stays available.`,
      );
    }
    // A new request confirms the argv filled with the incident's values now; approving an earlier request runs the
    // argv kept with it, whatever the incident says by then.
    const existing = await store.actionRuns.readFor(click.incidentId, click.actionId, click.attempt);
    const stale = staleClick(click, existing, found?.incident, action);
    if (stale) return refuse('action:stale', stale, `${stale} Nothing was run.`);
    if (click.confirmed?.mode === 'retry' && existing) return fleetRuns.retry(existing, click);
    let plan: ActionPlan | undefined;
    let approvals = action.approvals;
    if (!existing && found) {
      const planned = planFor(found.incident, action);
      // A request that cannot be filled is refused at once (recorded as a refused run), never put up for approval.
      if (!planned.ok) approvals = 1;
      else {
        plan = planned.plan;
        const protection = protectionOf(found.incident, plan);
        if (protection) {
          return refuse('action:protected', protection, `${action.label} was refused: ${protection}. Nothing was run.`);
        }
      }
    }
    const claim = await store.actionRuns.claim(
      { ...click, approvals, ...(plan ? { plan } : {}) },
      clock(),
      deps.commitOptions,
    );
    deps.onChange();
    switch (claim.outcome) {
      case 'no-incident':
        return Promise.resolve(`Incident #${click.incidentId} does not exist. Nothing was done.`);
      case 'requested':
        return Promise.resolve(
          `${action.label} needs a second person: someone else allowed to run it must press Approve on the message.`,
        );
      case 'same-person':
        return Promise.resolve(`You requested ${action.label}; a second person must approve it, not you.`);
      case 'taken':
        return Promise.resolve(
          claim.run.state === 'running'
            ? `${action.label} is already running.`
            : `${action.label} was already run for this incident (attempt ${claim.run.attempt}). Use Run again to run it once more.`,
        );
      case 'run':
        return execute(claim.run.id, click);
    }
  }
}
