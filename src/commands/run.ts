// `logwarden run` (and the demo, which runs the same thing against its sandbox): the store, Slack when configured,
// mail when escalation is, the pipeline, and the Slack listener, started in that order and stopped in reverse.
import { createRefusalCheck } from '../actions/protected-targets.js';
import { hostTargetsOf } from '../actions/read-host-targets.js';
import type { LoadedConfig } from '../config/load.js';
import type { LogwardenError } from '../core/errors.js';
import type { Logger } from '../main.js';

export interface RunOptions {
  /** Tokens, SMTP settings, and what response commands may inherit. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Print every incident event as a JSON line (always when there is no Slack). */
  stdout?: boolean;
  dryRun?: boolean;
  write(text: string): void;
  /** A failure the process cannot go on from (the store failed, Slack rejected the token): exits. */
  onFatal(error: LogwardenError): never;
}

export interface Running {
  stop(): Promise<void>;
}

// SMTP from the environment; escalation without a server to send through is a configuration error.
async function connectMail(env: NodeJS.ProcessEnv) {
  const [{ readSmtpEnv }, { createSmtpTransport }, { SmtpUnconfiguredError }] = await Promise.all([
    import('../config/env.js'),
    import('../email/smtp-transport.js'),
    import('../core/errors.js'),
  ]);
  const smtp = readSmtpEnv(env);
  if (!smtp.host) throw new SmtpUnconfiguredError();
  if (smtp.badPort !== undefined) throw new SmtpUnconfiguredError(smtp.badPort);
  return createSmtpTransport(smtp);
}

export async function startRun(loaded: LoadedConfig, options: RunOptions): Promise<Running> {
  const { env, logger } = options;
  const [{ SqliteStore }, { createLogwarden }, { renderIncidentJson }, { connectSlack }] = await Promise.all([
    import('../store/sqlite-store.js'),
    import('../main.js'),
    import('../incidents/render-json.js'),
    import('../slack/connect-slack.js'),
  ]);
  const store = new SqliteStore(
    loaded.config.store.path,
    env.LOGWARDEN_AUDIT_KEY === undefined ? {} : { auditKey: env.LOGWARDEN_AUDIT_KEY },
  );
  // One view of the targets no action may touch, for the buttons Slack shows and for the runs themselves.
  const protectedTargets = hostTargetsOf(loaded.config.protect, env, logger, {
    slack: loaded.config.slack !== undefined,
    smtp: loaded.config.escalation !== undefined,
  });
  const rules = new Map(loaded.rules.map((r) => [r.id, r]));
  const refusalOf = createRefusalCheck(
    (id) => loaded.actions.get(id)?.fields,
    (id) => rules.get(id)?.fields,
    protectedTargets,
  );
  try {
    const slack = loaded.config.slack
      ? await connectSlack(loaded.config.slack, loaded.config.roles, loaded.config.sources, {
          queries: loaded.config.queries,
          rules: loaded.rules,
          onFatal: options.onFatal,
          store,
          clock: Date.now,
          logger,
          env,
          actions: { catalog: loaded.actions, byRule: Object.fromEntries(loaded.rules.map((r) => [r.id, r.actions])) },
          ...(loaded.config.escalation ? { escalation: loaded.config.escalation } : {}),
          refusalOf,
        })
      : undefined;
    const mail = loaded.config.escalation ? await connectMail(env) : undefined;
    const printEvents = options.stdout === true || slack === undefined;
    const app = createLogwarden(loaded, {
      store,
      clock: Date.now,
      logger,
      ...(slack ? { slack: slack.delivery } : {}),
      onEvent: (event) => {
        if (printEvents) options.write(`${renderIncidentJson(event)}\n`);
      },
      onFatal: options.onFatal,
      env,
      protectedTargets,
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(mail ? { mail: { transport: mail, ...(slack ? { permalinkOf: slack.permalinkOf } : {}) } } : {}),
      ...(slack ? { postAnchor: (channel: string, line: string) => slack.postText(channel, line) } : {}),
    });
    if (options.dryRun) logger.info({}, 'dry run: response actions show what they would run and run nothing');
    await app.start();
    const listener = await slack?.listen(app);
    logger.info({ config: loaded.file, sources: loaded.config.sources.length, rules: loaded.rules.length }, 'watching');
    return {
      async stop() {
        await listener?.stop();
        await app.stop();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
