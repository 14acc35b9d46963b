// The composition root: builds every stage from the loaded config and wires sources → rules → incidents → store and
// outputs. The clock, the environment and the store come in from the CLI (or a test); nothing below reaches for them.
import { createSenderStamp } from '../actions/fleet/fleet.js';
import { createFleetRunner } from '../actions/fleet/fleet-runner.js';
import type { ProtectedTargets } from '../actions/protected-targets.js';
import { hostTargetsOf, resolveHost } from '../actions/read-host-targets.js';
import { createResponder } from '../actions/responder.js';
import { type CommandResult, type RunCommandOptions, runCommand } from '../actions/run-command.js';
import type { LoadedConfig } from '../config/load.js';
import type { Allow, Commands, Operations } from '../core/commands.js';
import { StoreFailedError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createThrottledWarn } from '../core/throttled-warn.js';
import { systemTimers, type Timer, type Timers } from '../core/timers.js';
import type { Clock, IncidentEvent, LineChunk, Match } from '../core/types.js';
import { keyHashOf } from '../core/types.js';
import { createEscalator } from '../escalation/escalator.js';
import { IncidentTracker } from '../incidents/incident-tracker.js';
import type { Metrics } from '../metrics/metrics.js';
import { noMetrics } from '../metrics/metrics.js';
import { type Notifier, wakeAll, wantsOf } from '../notify/notifier.js';
import { createSourceMatchers, matchChunk } from '../rules/match.js';
import { matchOf } from '../rules/verdict.js';
import { countLines } from '../sources/line-splitter.js';
import type { RunningSource, SourceStatus } from '../sources/source.js';
import type { CommitOptions, Store } from '../store/ports.js';
import { createAddressMarks } from './address-marks.js';
import { createAuditAnchor } from './audit-anchor.js';
import { createAuthorizer } from './authorize.js';
import { createBlocklists } from './blocklists.js';
import { createCommands } from './commands.js';
import { openGeoip } from './geoip.js';
import { createLessons } from './lessons.js';
import { createSourceSpools } from './source-spools.js';
import { sendersOf, startSource, unreadableSources } from './source-wiring.js';

export interface LogwardenDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Hears each incident event after its commit, besides the notifiers. */
  onEvent?(event: IncidentEvent): void;
  /**
   * The store could not commit: memory and disk now disagree, so the process must stop (and a restart resumes from
   * what was committed). The CLI exits; by default the error is thrown.
   */
  onFatal?(error: StoreFailedError): never;
  /** The environment child processes (journalctl) get. */
  env: NodeJS.ProcessEnv;
  /**
   * The notifiers (notify/registry.ts), made by the caller: each hears every incident event, and a write queues the
   * outbox jobs they want (a Slack sync, a thread note).
   */
  notifiers?: readonly Notifier[];
  /** How the sweep and the audit anchor wait (default: the system's timers). */
  timers?: Timers;
  /** How often quiet incidents are closed and due undos run; defaults to a tenth of reopenAfter, at most 10 s. */
  sweepInterval?: number;
  /** Runs response commands; the real runner unless a test passes another. */
  runCommand?(argv: readonly string[], options: RunCommandOptions): Promise<CommandResult>;
  /** Record what response actions would run, run nothing. */
  dryRun?: boolean;
  /** The targets no action may act on; by default read from this host (read-host-targets.ts). */
  protectedTargets?(): ProtectedTargets;
  /** Resolves host names for the protected-target check; by default the system's resolver, 3 s at most. */
  resolveHost?(name: string): Promise<string[]>;
  /** Counts for /metrics, when the http: listener is on. */
  metrics?: Metrics;
}

export interface RuleCounts {
  matched: number;
  ignored: number;
  rejected: number;
}

/** The running pipeline, and what it does for people (Operations: already authorised). */
export interface Logwarden extends Operations {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Reads everything new in every source now. */
  syncNow(): Promise<void>;
  /** Closes incidents that have been quiet long enough, now. */
  sweep(): Promise<void>;
  /** Undoes every run whose ttl has passed, now. */
  undoDue(): Promise<void>;
  /** What people may ask from a chat platform whose config allows roles so (authorised in app/authorize.ts). */
  commandsFor(allow: Allow): Commands;
  readonly counts: ReadonlyMap<string, RuleCounts>;
  /** Each source's state, by id (for /readyz and /metrics). */
  sourceStatus(): ReadonlyMap<string, SourceStatus>;
}

export function createLogwarden(loaded: LoadedConfig, deps: LogwardenDeps): Logwarden {
  const { config, rules } = loaded;
  const { store, clock } = deps;
  const timers = deps.timers ?? systemTimers;
  const notifiers = deps.notifiers ?? [];
  // The chat platform people answer from, when one is set: the audit anchor is posted there.
  const chat = notifiers.find((n) => n.chat)?.chat;
  // Each part logs through its own child ({"component": …}); the pipeline's own lines are "pipeline".
  const logger = deps.logger.child({ component: 'pipeline' });
  const metrics = deps.metrics ?? noMetrics;
  const matchers = createSourceMatchers(rules, config.sources);
  const geo = openGeoip(config.incidents.geoip);
  const addresses = createAddressMarks({
    store,
    rules,
    actions: loaded.actions,
    history: config.incidents.history,
    geo,
    blocklists: createBlocklists(config.incidents.blocklists, deps.logger.child({ component: 'blocklists' })),
  });
  // Made at start, from what the store kept (open incidents, live counts, silences).
  let tracker!: IncidentTracker;
  let evictedReported = 0;
  const counts = new Map(rules.map((r) => [r.id, { matched: 0, ignored: 0, rejected: 0 }]));
  const warnOften = createThrottledWarn(logger, clock);
  const stampSender = createSenderStamp(config.fleet);

  const escalator = config.escalation
    ? createEscalator({
        store,
        clock,
        logger: deps.logger.child({ component: 'escalation' }),
        metrics,
        config: config.escalation,
        onQueued: () => wakeAll(notifiers),
      })
    : undefined;
  const commitOptions: CommitOptions = {
    ...wantsOf(notifiers),
    ...(escalator ? { escalate: escalator.firstAfter } : {}),
  };
  const emit = (event: IncidentEvent) => {
    deps.onEvent?.(event);
    for (const n of notifiers) n.onEvent?.(event);
  };
  // The tracker and the store change together, one change at a time — a chunk, a sweep, a decision — each committed
  // before the next begins, so what the tracker holds is what the store holds (or is about to, in order).
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work);
    turn = next.catch(() => undefined);
    return next;
  };
  const commit = async <T>(write: (options: CommitOptions) => Promise<T>, touched: number): Promise<T> => {
    let result: T;
    try {
      result = await write(commitOptions);
    } catch (error) {
      const failure = new StoreFailedError(store.path, `cannot commit (${(error as Error).message})`, { cause: error });
      if (deps.onFatal) deps.onFatal(failure);
      throw failure;
    }
    if (touched > 0) wakeAll(notifiers);
    return result;
  };
  const tick = () =>
    escalator?.tick().catch((error: unknown) => logger.error({ err: error }, 'taking escalation steps failed'));

  const actionsLogger = deps.logger.child({ component: 'actions' });
  const responder = createResponder({
    store,
    clock,
    logger: actionsLogger,
    metrics,
    catalog: loaded.actions,
    rules: new Map(rules.map((r) => [r.id, r])),
    commands: config.commands,
    env: deps.env,
    run: deps.runCommand ?? runCommand,
    ...(deps.dryRun ? { dryRun: true } : {}),
    commitOptions,
    onChange: () => wakeAll(notifiers),
    resolveHost: deps.resolveHost ?? resolveHost,
    ...(config.fleet ? { fleet: createFleetRunner(config.fleet, deps.runCommand ?? runCommand) } : {}),
    protectedTargets:
      deps.protectedTargets ??
      hostTargetsOf(
        config.protect,
        deps.env,
        actionsLogger,
        { slack: !!config.slack, smtp: !!config.escalation, fleet: config.fleet },
        clock,
        timers,
      ),
  });

  const processChunk = (chunk: LineChunk) => inTurn(() => processNow(chunk));
  const processNow = async (chunk: LineChunk) => {
    const matcher = matchers.get(chunk.sourceId);
    const now = clock();
    // Counting a chunk's lines is a pass over it: only when someone reads the count.
    if (deps.metrics) deps.metrics.read(chunk.sourceId, countLines(chunk.data), chunk.data.length);
    const matches: { match: Match; at: number }[] = [];
    if (matcher) {
      matchChunk(
        matcher,
        chunk.data,
        (line, verdicts, _start, context) => {
          for (const v of verdicts) {
            counts.get(v.rule.id)![v.outcome]++;
            if (v.outcome === 'rejected') {
              warnOften(
                `rejected:${v.rule.id}`,
                { rule: v.rule.id, field: v.field, type: v.type, value: v.value.slice(0, 200) },
                'capture failed its type; line not counted',
              );
            }
            if (v.outcome !== 'matched') continue;
            const event = {
              sourceId: chunk.sourceId,
              origin: chunk.origin,
              text: line.text,
              truncated: line.truncated,
            };
            if (line.truncated) {
              warnOften(
                `cut:${chunk.sourceId}`,
                { source: chunk.sourceId, origin: chunk.origin },
                'line was cut at maxLineBytes',
              );
            }
            const match = matchOf(v, event);
            // Who sent it, unforgeable by its text: `target: origin` acts only on a host's own lines.
            if (chunk.sender !== undefined) stampSender(match.fields, chunk.sender);
            matches.push({ match, at: v.time ?? context.time(now) ?? now });
          }
        },
        now,
      );
    }
    const changes = tracker.record(matches, now, chunk.data.length > 0 ? chunk.sourceId : undefined, chunk.sender);
    await addresses.mark(changes, now);
    if (tracker.evicted > evictedReported) {
      warnOften(
        'evicted',
        { evicted: tracker.evicted, maxPendingKeys: config.incidents.maxPendingKeys },
        'more keys were counted at once than incidents.maxPendingKeys: the least recently seen counts were dropped',
      );
      evictedReported = tracker.evicted;
    }
    await commit(
      (options) => store.commit(chunk.sourceId, chunk.position, changes, now, options),
      changes.incidents.length,
    );
    if (chunk.sender !== undefined) spools.write(chunk);
    for (const event of changes.events) {
      if (event.event === 'opened') metrics.incidentOpened(event.incident.severity);
      emit(event);
    }
    // A level due at once goes out with the commit that opened the incident, not at the next sweep.
    if (changes.events.some((e) => e.event === 'opened')) void tick();
  };

  // What each sender of a network source sent, kept on disk for /logs (a failure to write is told, never fatal).
  const spools = createSourceSpools(config.sources, warnOften);
  const lessons = createLessons({
    store,
    detectors: () => tracker.detectors,
    write: async (changes, now) => {
      await commit((options) => store.commitSweep(changes, now, options), 0);
    },
  });

  const undoDue = () =>
    responder
      .undoDue()
      .catch((error: unknown) => actionsLogger.error({ err: error }, 'undoing expired actions failed'));
  const sweep = () =>
    inTurn(async () => {
      const now = clock();
      // A source that cannot be read is detection's own trouble: source-quiet speaks of it.
      const changes = tracker.sweep(now, unreadableSources(config.sources, sources));
      await addresses.mark(changes, now);
      await commit((options) => store.commitSweep(changes, now, options), changes.incidents.length);
      for (const event of changes.events) emit(event);
      void tick();
      void undoDue();
    });

  const sources: RunningSource[] = config.sources.map((source) =>
    startSource(loaded, source, {
      clock,
      timers,
      logger: deps.logger.child({ component: 'source' }),
      env: deps.env,
      onChunk: processChunk,
      store,
    }),
  );
  let sweepTimer: Timer | undefined;
  const anchor = createAuditAnchor({
    store,
    chat,
    channel: config.audit.anchorChannel,
    interval: config.audit.anchorInterval,
    timers,
    logger,
  });

  const authorizer = createAuthorizer({
    roles: config.roles,
    audit: (entry) => store.audit.append({ ...entry, at: clock() }),
    logger: deps.logger.child({ component: 'authorize' }),
  });

  const app: Logwarden = {
    commandsFor: (allow) =>
      createCommands({
        app,
        authorizer,
        allow,
        roles: config.roles,
        actions: loaded.actions,
        sources: config.sources.map((s) => s.id),
        audit: (entry) => store.audit.append({ ...entry, at: clock() }),
        readIncidents: () => store.incidents.readAll(),
        readSilences: () => store.silences.readActive(clock()),
      }),
    counts,
    sourceStatus: () => new Map(config.sources.map((s, i) => [s.id, sources[i]!.status()])),
    async start() {
      tracker = new IncidentTracker(
        rules,
        { ...config.incidents, ...(geo ? { geo } : {}) },
        await store.incidents.readTrackerState(clock()),
      );
      await addresses.start();
      await responder.recover();
      for (const n of notifiers) n.start?.();
      for (const source of sources) await source.start();
      const interval = deps.sweepInterval ?? Math.min(10_000, Math.max(100, config.incidents.reopenAfter / 10));
      sweepTimer = timers.every(interval, () => void sweep().catch(() => undefined));
      await anchor.start();
    },
    async stop() {
      sweepTimer?.cancel();
      for (const source of sources) await source.syncNow();
      for (const source of sources) await source.stop();
      await turn;
      await addresses.stop();
      await responder.stop();
      spools.close();
      // Chat platforms stop last: the audit anchor, and the notes of what stopped before, go out through them.
      for (const n of [...notifiers].reverse()) if (!n.chat) await n.stop?.();
      // The head as it is at the end goes out too, before Slack stops.
      await anchor.stop();
      for (const n of notifiers) if (n.chat) await n.stop?.();
    },
    async syncNow() {
      for (const source of sources) await source.syncNow();
    },
    sweep,
    respond: (click) => responder.request(click),
    undo: (click) => responder.undo(click),
    undoDue,
    async escalate(incidentId, actor) {
      if (!escalator) return { outcome: 'not-configured' };
      return escalator.escalateNow(incidentId, actor);
    },
    baseline: async (subject) => tracker.detectors.baseline(subject, clock()),
    learning: async () => tracker.detectors.learning(),
    senders: async () => sendersOf(config.sources, sources),
    unlearn: (incidentId, actor) => inTurn(() => lessons.unlearn(incidentId, actor, clock())),
    liftSilence: (id, actor) =>
      inTurn(async () => {
        const lifted = await commit(() => store.silences.lift(id, actor, clock()), 0);
        if (!lifted) return { lifted: false };
        tracker.unsilence(lifted.rule, lifted.keyHash);
        // Lifting a false positive's silence undoes the false positive: what it taught a detector too.
        const unlearned =
          lifted.incidentId === undefined ? undefined : await lessons.unlearn(lifted.incidentId, actor, clock());
        return { lifted: true, ...(unlearned?.outcome === 'unlearned' ? { unlearned } : {}) };
      }),
    decide: (decision, incidentId, actor, snoozeFor) =>
      inTurn(async () => {
        const now = clock();
        // A false positive of a detector that learns teaches it, and silences its key (a user, a source) only until
        // the incident would have closed: the detector, not a silence, keeps the like of it quiet.
        const teaching = decision === 'false-positive' && (await lessons.teaches(incidentId));
        const silenceUntil =
          decision === 'snooze' ? now + (snoozeFor ?? 3_600_000) : teaching ? now + config.incidents.reopenAfter : null;
        const changed = await commit(
          (options) => store.incidents.decide(decision, incidentId, actor, now, { ...options, silenceUntil }),
          1,
        );
        if (!changed || decision === 'acknowledge') return changed;
        tracker.forget(incidentId);
        const closed = (await store.incidents.read(incidentId))?.incident;
        if (!closed) return changed;
        if (decision !== 'resolve') tracker.silence(closed.rule, keyHashOf(Object.values(closed.key)), silenceUntil);
        if (teaching) await lessons.teach(closed, actor, now);
        emit({ event: 'closed', incident: closed });
        return changed;
      }),
  };
  return app;
}
