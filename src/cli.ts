// The `logwarden` command: run, check, replay, schema. The edge where arguments, the environment, stdout/stderr and
// exit codes are handled; the work is done by the modules it calls. Each command imports what only it needs when it
// runs, so `replay` and `check` start fast.
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import type { ReplayProgress } from './commands/replay.js';
import { readConfig } from './config/load.js';
import { ErrorCode, LogwardenError } from './core/errors.js';

const EXIT_CONFIG = 2;
const EXIT_FAILURE = 1;

// SMTP from the environment; escalation without a server to send through is a configuration error.
async function connectMail(env: NodeJS.ProcessEnv) {
  const [{ readSmtpEnv }, { createSmtpTransport }, { SmtpUnconfiguredError }] = await Promise.all([
    import('./config/env.js'),
    import('./email/email-delivery.js'),
    import('./core/errors.js'),
  ]);
  const smtp = readSmtpEnv(env);
  if (!smtp.host) throw new SmtpUnconfiguredError();
  if (smtp.badPort !== undefined) throw new SmtpUnconfiguredError(smtp.badPort);
  return createSmtpTransport(smtp);
}

function fail(error: unknown): never {
  if (error instanceof LogwardenError) {
    process.stderr.write(`logwarden: ${error.message}\n`);
    // Exit 2 is "fix the configuration first" (systemd can be told not to restart on it): the file or the tokens.
    const config =
      error.code === ErrorCode.ConfigInvalid ||
      error.code === ErrorCode.ConfigUnreadable ||
      error.code === ErrorCode.SlackAuthFailed ||
      error.code === ErrorCode.SmtpUnconfigured;
    process.exit(config ? EXIT_CONFIG : EXIT_FAILURE);
  }
  process.stderr.write(`logwarden: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(EXIT_FAILURE);
}

const configOption = () =>
  new Option('-c, --config <file>', 'the config file').default('logwarden.yml').env('LOGWARDEN_CONFIG');

const program = new Command('logwarden')
  .description('Tails logs, matches rules and keeps incidents; puts a human in the loop.')
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)');

program
  .command('run')
  .description('Watch the configured sources and report incidents (as JSON lines on stdout until Slack is set up).')
  .addOption(configOption())
  .option('--stdout', 'print one JSON line per incident event on stdout (always, while Slack is not configured)')
  .option('--dry-run', 'response actions record and show the argv they would run, and run nothing')
  .addHelpText(
    'after',
    '\nEach stdout line: {"event":"opened"|"updated"|"closed","incident":{...}}. Logs go to stderr.\nStops cleanly on SIGTERM or SIGINT.',
  )
  .action(async (options: { config: string; stdout?: boolean; dryRun?: boolean }) => {
    const loaded = readConfig(options.config);
    const [{ pino }, { SqliteStore }, { createLogwarden }, { renderIncidentJson }, { connectSlack }] =
      await Promise.all([
        import('pino'),
        import('./store/sqlite-store.js'),
        import('./main.js'),
        import('./incidents/render-json.js'),
        import('./slack/connect-slack.js'),
      ]);
    const logger = pino(
      { level: process.env.LOG_LEVEL || 'info', base: undefined },
      pino.destination({ fd: 2, sync: true }),
    );
    const store = new SqliteStore(loaded.config.store.path);
    const slack = loaded.config.slack
      ? await connectSlack(loaded.config.slack, loaded.config.roles, loaded.config.sources, {
          store,
          clock: Date.now,
          logger,
          env: process.env,
          actions: { catalog: loaded.actions, byRule: Object.fromEntries(loaded.rules.map((r) => [r.id, r.actions])) },
          ...(loaded.config.escalation ? { escalation: loaded.config.escalation } : {}),
        })
      : undefined;
    const mail = loaded.config.escalation ? await connectMail(process.env) : undefined;
    const printEvents = options.stdout === true || slack === undefined;
    const app = createLogwarden(loaded, {
      store,
      clock: Date.now,
      logger,
      ...(slack ? { slack: slack.delivery } : {}),
      onEvent: (event) => {
        if (printEvents) process.stdout.write(`${renderIncidentJson(event)}\n`);
      },
      onFatal: (error) => {
        logger.fatal({ code: error.code }, error.message);
        process.exit(1);
      },
      env: process.env,
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(mail ? { mail: { transport: mail, ...(slack ? { permalinkOf: slack.permalinkOf } : {}) } } : {}),
    });
    if (options.dryRun) logger.info({}, 'dry run: response actions show what they would run and run nothing');
    let stopping = false;
    let listener: { stop(): Promise<void> } | undefined;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      await listener?.stop();
      await app.stop();
      store.close();
      // Writes to a pipe are asynchronous: let the last incident lines out before exiting.
      await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    await app.start();
    listener = await slack?.listen(app);
    logger.info({ config: loaded.file, sources: loaded.config.sources.length, rules: loaded.rules.length }, 'watching');
  });

program
  .command('check')
  .description('Validate a config file and summarise it; exit 0 when valid, 2 when not.')
  .addOption(configOption())
  .action(async (options: { config: string }) => {
    const loaded = readConfig(options.config);
    const { checkMailOnHost, checkSourcesOnHost, renderCheckSummary } = await import('./commands/check.js');
    const warnings = [
      ...checkSourcesOnHost(loaded.config.sources, process.env),
      ...checkMailOnHost(loaded, process.env),
    ];
    process.stdout.write(renderCheckSummary(loaded, warnings, Date.now()));
  });

program
  .command('replay')
  .description('Run the rules over log files from the start, without touching the store (like fail2ban-regex).')
  .addOption(configOption())
  .option('--rule <id>', 'only this rule')
  .option('--json', 'print one JSON line per match: {"file","line","text","rule","fields"}')
  .option(
    '-j, --jobs <n>',
    'threads for large files (--json uses one)',
    (v) => Number.parseInt(v, 10),
    Math.min(4, availableParallelism()),
  )
  .argument('<logfile...>', 'files to read; - reads standard input')
  .action(async (files: string[], options: { config: string; rule?: string; json?: boolean; jobs: number }) => {
    const loaded = readConfig(options.config);
    const rules = options.rule ? loaded.rules.filter((r) => r.id === options.rule) : loaded.rules;
    if (rules.length === 0) {
      process.stderr.write(
        `logwarden: no rule has id "${options.rule}". Rules: ${loaded.rules.map((r) => r.id).join(', ')}\n`,
      );
      process.exit(EXIT_CONFIG);
    }
    const { renderReplayReport, replayFiles } = await import('./commands/replay.js');
    const maxLineBytes = Math.max(...loaded.config.sources.map((s) => s.maxLineBytes));
    const report = await replayFiles(files, {
      rules,
      maxLineBytes,
      json: options.json === true,
      jobs: options.jobs,
      write: (text) => process.stdout.write(text),
      // A progress line for people watching a terminal; never in pipes or files.
      ...(process.stderr.isTTY
        ? {
            onProgress: (p: ReplayProgress) => {
              const share = p.fileSize ? ` ${Math.floor((100 * p.fileBytes) / p.fileSize)}%` : '';
              const rate = Math.round(p.lines / p.seconds).toLocaleString('en-US');
              process.stderr.write(
                `\r\x1b[Kreplaying ${p.file}${share}: ${p.lines.toLocaleString('en-US')} lines, ${rate} lines/s`,
              );
            },
          }
        : {}),
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    (options.json ? process.stderr : process.stdout).write(renderReplayReport(report));
  });

program
  .command('audit')
  .description('Print the audit log and verify its hash chain; exit 1 when a row was changed, removed or added.')
  .addOption(configOption())
  .option('--since <duration>', 'only rows from the last 15m, 2h, 1d …')
  .option('--json', 'one JSON object per row')
  .action(async (options: { config: string; since?: string; json?: boolean }) => {
    const loaded = readConfig(options.config);
    const [{ SqliteStore }, { findBrokenLink }, { parseDuration }] = await Promise.all([
      import('./store/sqlite-store.js'),
      import('./store/audit-chain.js'),
      import('./config/duration.js'),
    ]);
    const since = options.since === undefined ? 0 : parseDuration(options.since);
    if (since === undefined) {
      process.stderr.write(`logwarden: --since ${options.since} is not a duration. Write e.g. 15m, 2h or 1d.\n`);
      process.exit(EXIT_CONFIG);
    }
    const store = new SqliteStore(loaded.config.store.path);
    const rows = store.readAudit();
    store.close();
    const from = since ? Date.now() - since : 0;
    for (const row of rows.filter((r) => r.at >= from)) {
      const data = JSON.parse(row.dataJson) as Record<string, unknown>;
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ id: row.id, at: new Date(row.at).toISOString(), actor: row.actor, action: row.action, incident: row.incidentId, data, hash: row.hash })}\n`
          : `${row.id}\t${new Date(row.at).toISOString()}\t${row.actor}\t${row.action}\t${row.incidentId ?? '-'}\t${row.dataJson}\n`,
      );
    }
    const broken = findBrokenLink(rows);
    if (broken) {
      process.stderr.write(`logwarden: the audit chain is broken at row ${broken.id}: ${broken.reason}.\n`);
      process.exit(EXIT_FAILURE);
    }
    process.stderr.write(`audit chain verified: ${rows.length} rows\n`);
  });

program
  .command('schema')
  .description("Print the config file's JSON Schema, for editors (e.g. yaml-language-server).")
  .action(async () => {
    const { renderJsonSchema } = await import('./config/schema.js');
    process.stdout.write(`${JSON.stringify(renderJsonSchema(), null, 2)}\n`);
  });

program.parseAsync(process.argv).catch(fail);
