// `logwarden run` (and the demo, which runs the same thing against its sandbox): the store, the notifiers the config
// asks for (Slack, mail, stdout: notify/registry.ts), the pipeline, and the chat listener, started in that order and
// stopped in reverse.
import { createRefusalCheck } from '../actions/protected-targets.js';
import { hostTargetsOf } from '../actions/read-host-targets.js';
import type { LoadedConfig } from '../config/load.js';
import type { LogwardenError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { systemTimers, type Timers } from '../core/timers.js';
import type { Clock } from '../core/types.js';
import type { Check } from '../metrics/http-listener.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import type { Notifier } from '../notify/notifier.js';
import type { Store } from '../store/ports.js';
import type { Logwarden } from './pipeline.js';

export interface RunOptions {
  /** Tokens, SMTP settings, and what response commands may inherit. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Print every incident event as a JSON line (always when there is no Slack). */
  stdout?: boolean;
  dryRun?: boolean;
  /** The one clock every part reads (default: the system's). */
  clock?: Clock;
  /** How every part waits (default: the system's timers). */
  timers?: Timers;
  write(text: string): void;
  /** A failure the process cannot go on from (the store failed, Slack rejected the token): exits. */
  onFatal(error: LogwardenError): never;
}

export interface Running {
  app: Logwarden;
  stop(): Promise<void>;
}

const HEALTH_WRITE_EVERY_MS = 1000;

// /metrics, /healthz and /readyz (config http:), reading the running pipeline.
async function startObservability(
  config: NonNullable<LoadedConfig['config']['http']>,
  observed: MetricsRegistry,
  parts: {
    app: Logwarden;
    store: Store;
    /** The chat platform's notifier, when one is set (/readyz asks whether it answers). */
    chat: Notifier | undefined;
    logger: Logger;
    clock: Clock;
    /** The outbox channels in use: slack, email. */
    channels: string[];
  },
) {
  const { app, store, chat, channels, clock } = parts;
  const logger = parts.logger.child({ component: 'http' });
  const { startHttpListener } = await import('../metrics/http-listener.js');
  observed.observe({
    sources: () => app.sourceStatus(),
    ruleCounts: () => app.counts,
    openIncidents: () => store.incidents.countOpenBySeverity(),
    // A configured channel with nothing waiting shows 0, not nothing.
    outbox: async () => {
      const waiting = await store.outbox.readStats();
      const quiet = channels.filter((c) => !waiting.some((w) => w.channel === c));
      return [...waiting, ...quiet.map((channel) => ({ channel, depth: 0, oldestAt: undefined }))];
    },
    clock,
  });
  let storeChecked: { at: number; check: Check } | undefined;
  const listener = await startHttpListener({
    host: config.host,
    port: config.port,
    registry: observed.registry,
    async health() {
      // One write a second at most, however often it is asked (a flood of /healthz must not grow the store's log).
      const now = clock();
      if (!storeChecked || now - storeChecked.at >= HEALTH_WRITE_EVERY_MS) {
        let check: Check;
        try {
          await store.checkWritable(now);
          check = { ok: true };
        } catch (error) {
          check = { ok: false, problem: `the store takes no writes: ${(error as Error).message}` };
        }
        storeChecked = { at: now, check };
      }
      return {
        process: { ok: true, detail: { uptimeSeconds: Math.round(process.uptime()) } },
        store: storeChecked.check,
      };
    },
    async ready() {
      const waiting = [...app.sourceStatus()].filter(([, s]) => !s.ready);
      const checks: Record<string, Check> = {
        sources:
          waiting.length === 0
            ? { ok: true }
            : { ok: false, problem: waiting.map(([id, s]) => `${id}: ${s.problem ?? 'not reading'}`).join('; ') },
      };
      if (chat?.chat) checks[chat.name] = await chat.chat.probe();
      return checks;
    },
  });
  logger.info({ host: config.host, port: listener.port }, 'serving /metrics, /healthz and /readyz');
  return listener;
}

/** The config's store, for commands that write to it without running (learn). */
export async function openStore(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<Store> {
  const { SqliteStore } = await import('../store/sqlite/sqlite-store.js');
  return new SqliteStore(loaded.config.store.path, {
    ...(env.LOGWARDEN_AUDIT_KEY === undefined ? {} : { auditKey: env.LOGWARDEN_AUDIT_KEY }),
  });
}

export async function startRun(loaded: LoadedConfig, options: RunOptions): Promise<Running> {
  const { env, logger } = options;
  const clock = options.clock ?? Date.now;
  const timers = options.timers ?? systemTimers;
  const [{ SqliteStore }, { createLogwarden }] = await Promise.all([
    import('../store/sqlite/sqlite-store.js'),
    import('./pipeline.js'),
  ]);
  const store = new SqliteStore(loaded.config.store.path, {
    clock,
    ...(env.LOGWARDEN_AUDIT_KEY === undefined ? {} : { auditKey: env.LOGWARDEN_AUDIT_KEY }),
  });
  // One view of the targets no action may touch, for the buttons Slack shows and for the runs themselves.
  const protectedTargets = hostTargetsOf(
    loaded.config.protect,
    env,
    logger,
    {
      slack: loaded.config.slack !== undefined,
      smtp: loaded.config.escalation !== undefined,
      fleet: loaded.config.fleet,
    },
    clock,
    timers,
  );
  const rules = new Map(loaded.rules.map((r) => [r.id, r]));
  const refusalOf = createRefusalCheck(
    (id) => loaded.actions.get(id)?.fields,
    (id) => rules.get(id)?.fields,
    protectedTargets,
  );
  // The Prometheus client is loaded only when the http: listener is on.
  const observed = loaded.config.http
    ? (await import('../metrics/metrics-registry.js')).createMetricsRegistry()
    : undefined;
  const metrics = observed?.metrics;
  try {
    const notifiers: Notifier[] = [];
    for (const kind of loaded.kinds.notifiers) {
      const notifier = await kind.create({
        config: loaded.config,
        section: kind.config ? (loaded.config as Record<string, unknown>)[kind.config.key] : undefined,
        rules: loaded.rules,
        actions: loaded.actions,
        store,
        clock,
        timers,
        logger,
        env,
        ...(metrics ? { metrics } : {}),
        stdout: options.stdout === true,
        write: options.write,
        onFatal: options.onFatal,
        refusalOf,
        made: [...notifiers],
        all: () => notifiers,
      });
      if (notifier) notifiers.push(notifier);
    }
    const chat = notifiers.find((n) => n.chat);
    const app = createLogwarden(loaded, {
      store,
      clock,
      timers,
      logger,
      notifiers,
      onFatal: options.onFatal,
      env,
      protectedTargets,
      ...(metrics ? { metrics } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
    });
    if (options.dryRun) logger.info({}, 'dry run: response actions show what they would run and run nothing');
    await app.start();
    const listener = await (chat?.chat ? chat.chat.listen(app.commandsFor(chat.chat.allow)) : undefined);
    const http =
      observed && loaded.config.http
        ? await startObservability(loaded.config.http, observed, {
            app,
            store,
            chat,
            logger,
            clock,
            channels: notifiers.flatMap((n) => (n.channel ? [n.channel] : [])),
          })
        : undefined;
    logger.info({ config: loaded.file, sources: loaded.config.sources.length, rules: loaded.rules.length }, 'watching');
    return {
      app,
      async stop() {
        await http?.stop();
        await listener?.stop();
        await app.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
