// What a click on a response action does, once it is authorised: claim the (incident, action, attempt) in the
// store so it runs once, fill the argv from the incident's typed captures (checked again now), run it through the
// one runner, verify it, record everything, and later undo it — by a click or when its ttl passes, even after a
// restart. I/O (store, runner, clock) is passed in.
import type { CommandsConfig } from '../config/schema.js';
import type { Clock, FieldType } from '../core/types.js';
import type { Logger } from '../main.js';
import type { ActionOutcome, CommitOptions, SqliteStore } from '../store/sqlite-store.js';
import type { ActionCatalog } from './action-catalog.js';
import { renderArgv } from './render-argv.js';
import type { CommandResult, RunCommandOptions } from './run-command.js';

export interface ResponderDeps {
  store: SqliteStore;
  clock: Clock;
  logger: Logger;
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
}

export interface ActionClick {
  incidentId: number;
  actionId: string;
  attempt: number;
  /** The Slack user, already authorised for this action's roles. */
  actor: string;
}

export interface Responder {
  /** Runs (or requests, or approves) an action; resolves with a reply for the clicker only, when there is one. */
  request(click: ActionClick): Promise<string | undefined>;
  undo(click: ActionClick): Promise<string | undefined>;
  /** Undoes every run whose ttl has passed. */
  undoDue(): Promise<void>;
  /** Marks runs a crash interrupted; call once at start-up. */
  recover(): void;
  /** Resolves once every command started has finished. */
  settle(): Promise<void>;
}

export function createResponder(deps: ResponderDeps): Responder {
  const { store, clock, catalog } = deps;
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => {});
    return work;
  };
  const runOptions = (timeout: number): RunCommandOptions => ({
    timeout,
    env: deps.env,
    envAllowlist: deps.commands.env,
    maxOutput: deps.commands.maxOutput,
  });
  const argvFor = (incidentId: number, template: readonly string[]) => {
    const incident = store.readIncident(incidentId)?.incident;
    const types = incident ? deps.rules.get(incident.rule)?.fields : undefined;
    if (!incident || !types) return { ok: false as const, reason: 'its incident or rule is no longer configured' };
    return renderArgv(template, incident.fields, types);
  };

  const execute = async (runId: number, click: ActionClick): Promise<string | undefined> => {
    const action = catalog.get(click.actionId)!;
    const argv = argvFor(click.incidentId, action.command);
    let outcome: ActionOutcome;
    if (!argv.ok) {
      outcome = { state: 'refused', detail: argv.reason };
    } else if (action.dryRun || deps.dryRun) {
      outcome = { state: 'dry-run', argv: argv.argv };
    } else {
      const result = await deps.run(argv.argv, runOptions(action.timeout));
      const succeeded = result.exitCode === 0;
      let verified: boolean | undefined;
      if (succeeded && action.verify) {
        const verifyArgv = argvFor(click.incidentId, action.verify);
        verified = verifyArgv.ok && (await deps.run(verifyArgv.argv, runOptions(action.timeout))).exitCode === 0;
      }
      outcome = {
        state: succeeded ? 'succeeded' : 'failed',
        argv: result.argv,
        durationMs: result.durationMs,
        output: result.output,
        outputHash: result.outputHash,
        ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
        ...(result.detail ? { detail: result.detail } : {}),
        ...(verified !== undefined ? { verified } : {}),
        ...(succeeded && action.undo ? { undo: action.ttl ? { at: clock() + action.ttl } : {} } : {}),
      };
    }
    const run = store.finishAction(runId, outcome, clock(), deps.commitOptions);
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

  const undoRun = async (runId: number, actor: string): Promise<string | undefined> => {
    const run = store.readActionRun(runId);
    const action = run ? catalog.get(run.actionId) : undefined;
    if (!run || !action?.undo) return 'That action has no undo.';
    if (!store.claimUndo(runId, actor, clock()))
      return `${action.label} is not waiting to be undone (already undone, or being undone).`;
    deps.onChange();
    const argv = argvFor(run.incidentId, action.undo);
    let result: Parameters<SqliteStore['finishUndo']>[1];
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
    store.finishUndo(runId, result, clock(), deps.commitOptions);
    deps.onChange();
    return undefined;
  };

  return {
    request(click) {
      const action = catalog.get(click.actionId);
      const offered = (() => {
        const incident = store.readIncident(click.incidentId)?.incident;
        return incident ? deps.rules.get(incident.rule)?.actions.includes(click.actionId) : undefined;
      })();
      if (!action || offered === false) {
        store.appendAudit({
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
      const claim = store.claimAction({ ...click, approvals: action.approvals }, clock(), deps.commitOptions);
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
          return track(execute(claim.run.id, click));
      }
    },
    undo(click) {
      const run = store.readActionRunFor(click.incidentId, click.actionId, click.attempt);
      if (!run) return Promise.resolve('There is no such run to undo.');
      return track(undoRun(run.id, click.actor));
    },
    async undoDue() {
      for (const run of store.readDueUndos(clock())) await track(undoRun(run.id, 'logwarden'));
    },
    recover() {
      if (store.recoverActions(clock(), deps.commitOptions).length > 0) deps.onChange();
    },
    async settle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
