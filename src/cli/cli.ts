// The `logwarden` command: run, demo, check, replay, audit, schema. The edge where arguments, the environment, stdout/stderr and
// exit codes are handled; the work is done by the modules it calls. Each command imports what only it needs when it
// runs, so `replay` and `check` start fast.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import type { LoadedConfig } from '../config/load.js';
import { ConfigInvalidError, ErrorCode, LogwardenError } from '../core/errors.js';
import { createLogger, logLevelOf } from '../core/logger.js';
import { packageVersion } from '../core/package-files.js';
import { EXIT_CONFIG, EXIT_FAILURE } from './exit-codes.js';
import type { ReplayProgress } from './replay.js';
import type { ReplayCommandOptions } from './replay-fail2ban-command.js';
import { defaultReplayJobs } from './replay-threads.js';

// The config reader pulls in zod, the YAML parser and the rule compiler: only the commands that read a config load it.
async function readConfig(file: string): Promise<LoadedConfig> {
  const { readConfig: read } = await import('../config/load.js');
  return read(file);
}

const logLevel = (fallback: string) =>
  logLevelOf(process.env.LOG_LEVEL, fallback, (text) => process.stderr.write(`logwarden: ${text}\n`));

// Exit 2 is "fix the configuration first" (systemd can be told not to restart on it): the file or the tokens.
function exitCodeOf(error: LogwardenError): number {
  const config =
    error.code === ErrorCode.ConfigInvalid ||
    error.code === ErrorCode.ConfigUnreadable ||
    error.code === ErrorCode.SlackAuthFailed ||
    error.code === ErrorCode.SmtpUnconfigured ||
    error.code === ErrorCode.Fail2banFilterInvalid ||
    error.code === ErrorCode.LearnInput ||
    error.code === ErrorCode.GeoipUnreadable;
  return config ? EXIT_CONFIG : EXIT_FAILURE;
}

function fail(error: unknown): never {
  if (error instanceof LogwardenError) {
    process.stderr.write(`logwarden: ${error.message}\n`);
    process.exit(exitCodeOf(error));
  }
  process.stderr.write(`logwarden: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(EXIT_FAILURE);
}

// Stops cleanly on SIGTERM and SIGINT (once), then exits 0 after stdout has drained.
function onSignals(stop: (signal: string) => Promise<void>) {
  let stopping = false;
  const handle = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await stop(signal);
    // Writes to a pipe are asynchronous: let the last lines out before exiting.
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    process.exit(0);
  };
  process.on('SIGTERM', () => void handle('SIGTERM'));
  process.on('SIGINT', () => void handle('SIGINT'));
}

const configOption = () =>
  new Option('-c, --config <file>', 'the config file').default('logwarden.yml').env('LOGWARDEN_CONFIG');

const program = new Command('logwarden')
  .description('Tails logs, matches rules and keeps incidents; puts a human in the loop.')
  .version(packageVersion())
  .showHelpAfterError('(add --help for usage)');

program
  .command('run')
  .description('Watch the configured sources and report incidents (as JSON lines on stdout until Slack is set up).')
  .addOption(configOption())
  .option('--stdout', 'print one JSON line per incident event on stdout (always, while Slack is not configured)')
  .option('--dry-run', 'response actions record and show the argv they would run, and run nothing')
  .addHelpText(
    'after',
    '\nEach stdout line: {"event":"opened"|"updated"|"closed","incident":{...}}. Logs go to stderr.\nStops cleanly on SIGTERM or SIGINT; SIGHUP reads the config again (an invalid one is reported and the old one kept).',
  )
  .action(async (options: { config: string; stdout?: boolean; dryRun?: boolean }) => {
    const loaded = await readConfig(options.config);
    const [logger, { startReloadable }] = await Promise.all([
      createLogger(logLevel('info')),
      import('./reloadable-run.js'),
    ]);
    const run = {
      env: process.env,
      logger,
      ...(options.stdout ? { stdout: true } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
      write: (text: string) => process.stdout.write(text),
      onFatal: (error: LogwardenError): never => {
        logger.fatal({ code: error.code }, error.message);
        process.exit(exitCodeOf(error));
      },
    };
    const service = startReloadable(loaded, { run, read: () => readConfig(options.config), logger, fail });
    // Registered before the start completes, so a signal during it still stops cleanly.
    onSignals(async (signal) => {
      logger.info({ signal }, 'stopping');
      await (await service.current().catch(() => undefined))?.stop();
    });
    process.on('SIGHUP', () => void service.reload());
    await service.current();
  });

program
  .command('demo')
  .description(
    'Try logwarden with nothing to set up: a local Slack-compatible workspace, a mailbox and generated attacks, in the browser.',
  )
  .option('-p, --port <port>', 'the web page port (0: any free port)', (v) => Number.parseInt(v, 10), 8025)
  .option('--dir <dir>', 'keep the demo data (config, logs, store) in this directory instead of a temporary one')
  .option('--interval <ms>', 'milliseconds between generated log lines', (v) => Number.parseInt(v, 10), 1500)
  .addHelpText(
    'after',
    '\nEverything listens on 127.0.0.1 only. The block-IP button runs a harmless script that writes to a file in the\ndemo directory; lock-user is a dry run. Ctrl-C stops it.',
  )
  .action(async (options: { port: number; dir?: string; interval: number }) => {
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
      process.stderr.write(`logwarden: --port ${options.port} is not a port. Give 1-65535, or 0 for any free port.\n`);
      process.exit(EXIT_CONFIG);
    }
    const [logger, { startDemo }] = await Promise.all([createLogger(logLevel('warn')), import('./demo.js')]);
    const start = (port: number) =>
      startDemo({
        port,
        ...(options.dir ? { dir: options.dir } : {}),
        interval: options.interval,
        logger,
        onFatal: (error) => {
          logger.fatal({ code: error.code }, error.message);
          process.exit(exitCodeOf(error));
        },
      });
    const demo = start(options.port).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
      process.stderr.write(`logwarden: port ${options.port} is in use; taking a free one (choose with --port).\n`);
      return start(0);
    });
    onSignals(async () => {
      await (await demo.catch(() => undefined))?.stop();
    });
    const { url, dir } = await demo;
    process.stdout.write(
      [
        `logwarden demo: open ${url}`,
        `  the #security channel, the on-call mailbox, and attacks written to the demo logs every few seconds`,
        `  config, logs and store: ${dir}${options.dir ? '' : ' (removed on exit; --dir keeps them)'}`,
        '  Ctrl-C stops it.',
        '',
      ].join('\n'),
    );
  });

program
  .command('check')
  .description('Validate a config file and summarise it; exit 0 when valid, 2 when not.')
  .addOption(configOption())
  .action(async (options: { config: string }) => {
    const loaded = await readConfig(options.config);
    const { checkOnHost, renderCheckSummary, sourcesNotFiles } = await import('./check.js');
    const notFiles = sourcesNotFiles(loaded);
    if (notFiles.length > 0) throw new ConfigInvalidError(loaded.file, notFiles);
    const warnings = checkOnHost(loaded, process.env);
    const { readLearningStarts } = await import('../store/store-files.js');
    const learningSince = readLearningStarts(loaded.config.store.path);
    process.stdout.write(renderCheckSummary(loaded, warnings, Date.now(), learningSince));
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
    defaultReplayJobs(availableParallelism()),
  )
  .option(
    '--fail2ban-filter <path>',
    "run a fail2ban filter.d file instead of the config's rules, counted as fail2ban-regex counts",
  )
  .option('--mode <mode>', "the fail2ban filter's mode, e.g. aggressive (as filter = sshd[mode=aggressive])")
  .option('--maxretry <n>', 'with --fail2ban-filter: failures that make a ban', (v) => Number.parseInt(v, 10), 5)
  .option('--findtime <duration>', 'with --fail2ban-filter: the window they fall in', '10m')
  .option(
    '--set <key=value>',
    "a fail2ban filter option, as a jail's filter = name[key=value] sets it (repeatable)",
    (v: string, all: string[]) => [...all, v],
    [] as string[],
  )
  .argument('<logfile...>', 'files to read; - reads standard input')
  .action(async (files: string[], options: ReplayCommandOptions) => {
    if (options.fail2banFilter) return (await import('./replay-fail2ban-command.js')).replayFail2ban(files, options);
    // Started first, so that they load the matcher while this thread reads the config.
    const { replayThreadsFor, startReplayThreads } = await import('./replay-threads.js');
    const threadCount = options.json ? 0 : replayThreadsFor(files, options.jobs);
    const threads = threadCount > 0 ? startReplayThreads(threadCount) : undefined;
    const loaded = await readConfig(options.config);
    const rules = options.rule ? loaded.rules.filter((r) => r.id === options.rule) : loaded.rules;
    if (rules.length === 0) {
      process.stderr.write(
        `logwarden: no rule has id "${options.rule}". Rules: ${loaded.rules.map((r) => r.id).join(', ')}\n`,
      );
      process.exit(EXIT_CONFIG);
    }
    const { renderReplayReport, renderProgress, replayFiles } = await import('./replay.js');
    const maxLineBytes = Math.max(...loaded.config.sources.map((s) => s.maxLineBytes));
    const report = await replayFiles(files, {
      rules,
      maxLineBytes,
      now: Date.now(),
      json: options.json === true,
      ...(threads ? { threads } : {}),
      write: (text) => process.stdout.write(text),
      // A progress line for people watching a terminal; never in pipes or files.
      ...(process.stderr.isTTY ? { onProgress: (p: ReplayProgress) => process.stderr.write(renderProgress(p)) } : {}),
    });
    await threads?.close();
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    (options.json ? process.stderr : process.stdout).write(renderReplayReport(report));
  });

program
  .command('audit')
  .description(
    'Print the audit log and verify it: every row against the audit key, and the last rows against an anchor. Exit 1 when a row was changed, removed or added, or the log was cut.',
  )
  .addOption(configOption())
  .option('--since <duration>', 'only rows from the last 15m, 2h, 1d …')
  .option('--json', 'one JSON object per row (same as --export jsonl)')
  .addOption(new Option('--export <format>', 'print the rows for a review: csv or jsonl').choices(['csv', 'jsonl']))
  .option(
    '--anchor <line-or-file>',
    'the latest anchor line logwarden logged or posted ("logwarden-audit-anchor rows=… sig=…"), or a file holding anchor lines, or - for stdin (the last one counts): rows deleted from the end are caught only with it',
  )
  .addHelpText(
    'after',
    '\nThe store is opened read-only. The key comes from LOGWARDEN_AUDIT_KEY or the key file beside the store (<store>.audit-key).',
  )
  .action(
    async (options: { config: string; since?: string; json?: boolean; export?: 'csv' | 'jsonl'; anchor?: string }) => {
      const loaded = await readConfig(options.config);
      const [{ readAuditRows, readAuditKey, auditKeyFile }, { parseAnchor, verifyAuditChain }, { parseDuration }] =
        await Promise.all([
          import('../store/store-files.js'),
          import('../store/audit-chain.js'),
          import('../config/duration.js'),
        ]);
      const fail = (message: string, code = EXIT_FAILURE): never => {
        process.stderr.write(`logwarden: ${message}\n`);
        process.exit(code);
      };
      const since = options.since === undefined ? 0 : parseDuration(options.since);
      if (since === undefined)
        fail(`--since ${options.since} is not a duration. Write e.g. 15m, 2h or 1d.`, EXIT_CONFIG);
      const path = loaded.config.store.path;
      const rows = readAuditRows(path);
      if (!rows) fail(`there is no store at ${path} (store.path in ${loaded.file}): no audit log to verify.`);
      let key: Buffer | undefined;
      try {
        key = readAuditKey(path, process.env.LOGWARDEN_AUDIT_KEY);
      } catch (error) {
        fail((error as Error).message, EXIT_CONFIG);
      }
      if (!key) {
        fail(`no audit key: set LOGWARDEN_AUDIT_KEY, or put the key file back at ${auditKeyFile(path)}.`, EXIT_CONFIG);
      }
      let anchor: ReturnType<typeof parseAnchor> | undefined;
      if (options.anchor !== undefined) {
        // "-": the lines come on stdin (journalctl -u logwarden -o cat | logwarden audit --anchor -).
        const text =
          options.anchor === '-'
            ? readFileSync(0, 'utf8')
            : existsSync(options.anchor)
              ? readFileSync(options.anchor, 'utf8')
              : options.anchor;
        anchor = parseAnchor(text, key!);
        if ('error' in anchor) fail(`--anchor: ${anchor.error}.`, EXIT_CONFIG);
      }
      const from = since ? Date.now() - since! : 0;
      const format = options.export ?? (options.json ? 'jsonl' : undefined);
      if (format === 'csv') process.stdout.write('id,at,actor,action,incident,data,mac\n');
      for (const row of rows!.filter((r) => r.at >= from)) {
        const at = new Date(row.at).toISOString();
        if (format === 'jsonl') {
          const data = JSON.parse(row.dataJson) as Record<string, unknown>;
          process.stdout.write(
            `${JSON.stringify({ id: row.id, at, actor: row.actor, action: row.action, incident: row.incidentId, data, hash: row.hash })}\n`,
          );
        } else if (format === 'csv') {
          const cells = [row.id, at, row.actor, row.action, row.incidentId ?? '', row.dataJson, row.hash];
          process.stdout.write(`${cells.map((c) => csvCell(String(c))).join(',')}\n`);
        } else {
          process.stdout.write(
            `${row.id}\t${at}\t${row.actor}\t${row.action}\t${row.incidentId ?? '-'}\t${row.dataJson}\n`,
          );
        }
      }
      const verdict = verifyAuditChain(rows!, key!, anchor && !('error' in anchor) ? anchor : undefined);
      if (!verdict.ok) {
        fail(
          verdict.id === undefined
            ? `the audit log does not check: ${verdict.reason}.`
            : `the audit chain is broken at row ${verdict.id}: ${verdict.reason}.`,
        );
      }
      const reached = (verdict as { anchor: { rows: number; last: number } }).anchor;
      process.stderr.write(
        `audit chain verified: ${reached.rows} rows, the last row ${reached.last}${anchor ? ', as anchored' : ' (no --anchor given: rows deleted from the end would not show)'}\n`,
      );
    },
  );

// A CSV cell: quoted when it holds a comma, a quote or a line break; a leading = + - @ is defused for spreadsheets.
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

program
  .command('learn')
  .description(
    'Teach the learned detectors from old logs (logrotate’s .1 and .gz too), oldest first: what they learn goes to the store, and no incident is opened.',
  )
  .addOption(configOption())
  .option(
    '--source <id>',
    'the source the files are old copies of (default: the one whose path they extend, or the only one)',
  )
  .argument('<logfile...>', 'files to read, e.g. /var/log/auth.log.4.gz … /var/log/auth.log')
  .addHelpText(
    'after',
    '\nRun it before `logwarden run` starts, or restart run after: a running logwarden keeps what it learned in memory.',
  )
  .action(async (files: string[], options: { config: string; source?: string }) => {
    const loaded = await readConfig(options.config);
    const [{ openStore }, { learnFiles, renderLearnReport }] = await Promise.all([
      import('../app/compose.js'),
      import('./learn.js'),
    ]);
    const store = await openStore(loaded, process.env);
    try {
      const report = await learnFiles(files, {
        loaded,
        store,
        now: Date.now(),
        ...(options.source ? { source: options.source } : {}),
      });
      process.stdout.write(renderLearnReport(report));
    } finally {
      await store.close();
    }
  });

program
  .command('schema')
  .description("Print the config file's JSON Schema, for editors (e.g. yaml-language-server).")
  .action(async () => {
    const { renderJsonSchema } = await import('../config/schema.js');
    process.stdout.write(`${JSON.stringify(renderJsonSchema(), null, 2)}\n`);
  });

program.parseAsync(process.argv).catch(fail);
