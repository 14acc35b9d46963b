// `logwarden replay --fail2ban-filter`: its options read and checked, the filter read from the user's system (no
// config needed), the report written. Loaded only by that command.
import { EXIT_CONFIG } from './exit-codes.js';

/** The options of `logwarden replay`, the fail2ban ones among them. */
export interface ReplayCommandOptions {
  config: string;
  rule?: string;
  json?: boolean;
  jobs: number;
  fail2banFilter?: string;
  mode?: string;
  set: string[];
  maxretry: number;
  findtime: string;
}

export async function replayFail2ban(files: string[], options: ReplayCommandOptions) {
  const vars: Record<string, string> = {};
  for (const pair of options.set) {
    const m = /^([\w-]+)=([\s\S]*)$/.exec(pair);
    if (!m) {
      process.stderr.write(`logwarden: --set ${pair} is not key=value. Write e.g. --set publickey=any.\n`);
      process.exit(EXIT_CONFIG);
    }
    vars[m[1]!] = m[2]!;
  }
  const [
    { readFail2banFilter },
    { readTextIfExists },
    { compileFail2banFilter },
    { replayFail2banFilter, renderFail2banReport },
    { parseDuration },
  ] = await Promise.all([
    import('../rules/fail2ban/read-filter.js'),
    import('../config/read-text.js'),
    import('../rules/fail2ban/fail2ban-filter.js'),
    import('./replay-fail2ban.js'),
    import('../config/duration.js'),
  ]);
  const findtime = parseDuration(options.findtime);
  if (findtime === undefined || !Number.isInteger(options.maxretry) || options.maxretry < 1) {
    process.stderr.write(
      `logwarden: --maxretry ${options.maxretry} --findtime ${options.findtime}: give a count of 1 or more and a duration like 10m.\n`,
    );
    process.exit(EXIT_CONFIG);
  }
  const filter = readFail2banFilter(options.fail2banFilter!, readTextIfExists, {
    vars,
    ...(options.mode ? { mode: options.mode } : {}),
  });
  const compiled = compileFail2banFilter(filter);
  const report = await replayFail2banFilter(files, {
    compiled,
    jail: { maxretry: options.maxretry, findtime },
    maxLineBytes: 64 * 1024,
    json: options.json === true,
    write: (text) => process.stdout.write(text),
  });
  (options.json ? process.stderr : process.stdout).write(renderFail2banReport(report, filter.failregex));
}
