// `logwarden check`: the config's problems (or a summary of what it will watch), plus what only the running
// machine can tell — are the files there and readable, is journalctl on PATH — as warnings.
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import picomatch from 'picomatch';
import { formatDuration } from '../config/duration.js';
import { readSmtpEnv } from '../config/env.js';
import type { LoadedConfig } from '../config/load.js';
import type { EscalationConfig, Person, SourceConfig } from '../config/schema.js';
import { type ConfigProblem, describeSystemError, formatProblemLocation } from '../core/errors.js';
import { formatCount } from '../core/format-count.js';
import { whoIsOnCall } from '../escalation/oncall-schedule.js';
import { notAFile } from '../sources/open-log-file.js';

/**
 * Sources whose path is there but is no regular file (a FIFO, a device, a directory): errors, as logwarden would
 * never read them (`run` says so once and looks again, in case the path becomes a file).
 */
export function sourcesNotFiles(sources: readonly SourceConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  sources.forEach((s, i) => {
    if (s.type !== 'file' || picomatch.scan(s.path).isGlob) return;
    let what: string | undefined;
    try {
      what = notAFile(statSync(s.path));
    } catch {
      return;
    }
    if (!what) return;
    const fix =
      what === 'a directory'
        ? `to read the files in it, write a glob such as ${join(s.path, '*.log')}`
        : 'point it at the log file itself (for the systemd journal, use type: journald)';
    problems.push({
      path: `sources[${i}].path`,
      message: `${s.path} is ${what}: logwarden reads regular files only; ${fix}`,
    });
  });
  return problems;
}

/** What the machine says about each source, as warning texts. */
export function checkSourcesOnHost(sources: readonly SourceConfig[], env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  for (const s of sources) {
    if (s.type === 'journald') {
      const found =
        s.journalctl.includes('/') ||
        (env.PATH ?? '').split(delimiter).some((dir) => {
          try {
            accessSync(join(dir, s.journalctl), constants.X_OK);
            return true;
          } catch {
            return false;
          }
        });
      if (!found) warnings.push(`source ${s.id}: ${s.journalctl} is not on PATH; install systemd or set journalctl:`);
      continue;
    }
    const scan = picomatch.scan(s.path);
    if (scan.isGlob) {
      try {
        readdirSync(scan.base || '.');
      } catch (error) {
        warnings.push(`source ${s.id}: cannot list ${scan.base}: ${describeSystemError(error)}; logwarden will retry`);
      }
      continue;
    }
    try {
      accessSync(s.path, constants.R_OK);
    } catch (error) {
      warnings.push(`source ${s.id}: ${s.path}: ${describeSystemError(error)}; logwarden will wait for it and retry`);
    }
  }
  return warnings;
}

/** Escalation needs a mail server from the environment; `run` refuses to start without one. */
export function checkMailOnHost(loaded: LoadedConfig, env: NodeJS.ProcessEnv): string[] {
  if (!loaded.config.escalation) return [];
  const smtp = readSmtpEnv(env);
  return [
    ...(smtp.host ? [] : ['escalation: SMTP_HOST is not set; logwarden run will refuse to start until it is']),
    ...(smtp.badPort === undefined
      ? []
      : [`escalation: SMTP_PORT "${smtp.badPort}" is not a port; run will refuse it`]),
  ];
}

function renderEscalation(escalation: EscalationConfig, now: number): string[] {
  const person = (p: Person) => `${p.name} <${p.email}>`;
  const lines = [`escalation: mail from ${escalation.from}, ${escalation.retries} retries`];
  for (const [severity, policy] of Object.entries(escalation.policies)) {
    const levels = policy.levels.map((l) => `${formatDuration(l.after)} ${l.notify.join(', ')}`).join('; then ');
    const repeat = policy.repeat ? `; ${policy.repeat}× more, ${formatDuration(policy.repeatAfter)} apart` : '';
    lines.push(`  ${severity}  ${levels}${repeat}`);
  }
  if (escalation.oncall) {
    const { timezone, rotation, handoff } = escalation.oncall;
    const who = whoIsOnCall(escalation.oncall, now);
    lines.push(
      `  on call: ${rotation.map((p) => p.name).join(' → ')}, handing over ${handoff.weekday}s at ${handoff.time} ${timezone}`,
      `  now: ${person(who.primary)}${who.override ? ' (override)' : ''} until ${new Date(who.until).toISOString().slice(0, 16)}Z, then ${person(who.next)}`,
    );
  }
  return lines;
}

export function renderCheckSummary(loaded: LoadedConfig, hostWarnings: readonly string[], now: number): string {
  const { config, rules } = loaded;
  const packs = [...new Set(rules.flatMap((r) => (r.pack ? [r.pack] : [])))];
  const lines = [
    `${loaded.file} is valid: ${config.sources.length} ${config.sources.length === 1 ? 'source' : 'sources'}, ${rules.length} ${rules.length === 1 ? 'rule' : 'rules'}${packs.length ? ` (packs: ${packs.join(', ')})` : ''}.`,
    '',
    'sources:',
    ...config.sources.map((s) =>
      s.type === 'journald'
        ? `  ${s.id}  journald ${[...(s.unit ?? []).map((u) => `unit=${u}`), ...s.matches].join(' ') || '(all entries)'} (from ${s.from})`
        : `  ${s.id}  ${s.path} (from ${s.from})`,
    ),
    'rules:',
    ...rules.map((r) => {
      const t = r.threshold;
      const when = `${t.count} within ${formatDuration(t.within)}${t.by.length ? ` by ${t.by.join(', ')}` : ''}`;
      const offers = r.actions.length ? `, offers ${r.actions.join(', ')}` : '';
      if (r.fail2ban) {
        const { compiled, mode } = r.fail2ban;
        const f = compiled.filter;
        return [
          `  ${r.id}  ${r.severity}, ${when}, reads ${r.sources.join(', ')} [fail2ban ${f.file}${mode ? `, mode ${mode}` : ''}]${offers}`,
          `    loaded: ${f.files.join(', ')}`,
          `    ${f.failregex.length} failregex, ${f.ignoreregex.length} ignoreregex${f.prefregex ? ', prefregex' : ''}, dates: ${f.datepattern?.replace(/\n/g, ' | ') ?? "fail2ban's default templates"}${compiled.literals ? '' : ' (no literal prefilter: every line is tried)'}`,
        ].join('\n');
      }
      const what = r.web
        ? `web ${r.web.category}`
        : `${r.patterns.length} ${r.patterns.length === 1 ? 'pattern' : 'patterns'}${r.programs ? ` on messages of ${r.programs[0] === '*' ? 'any program' : r.programs.length > 4 ? `${r.programs.slice(0, 4).join(', ')}…` : r.programs.join(', ')}` : ''}`;
      return `  ${r.id}  ${r.severity}, ${when}, ${what}, reads ${r.sources.join(', ')}${r.pack ? ` [pack ${r.pack}]` : ''}${offers}`;
    }),
    ...(loaded.actions.size ? ['actions:'] : []),
    ...[...loaded.actions.values()].flatMap((a) => [
      `  ${a.id}  "${a.label}"${a.dryRun ? ' (dry run)' : ''}, roles ${a.roles.join(', ')}${a.approvals > 1 ? ', two-person' : ''}, timeout ${formatDuration(a.timeout)}`,
      `    run:    ${a.command.join(' ')}`,
      ...(a.verify ? [`    verify: ${a.verify.join(' ')}`] : []),
      ...(a.undo
        ? [`    undo:   ${a.undo.join(' ')}${a.ttl ? ` (by itself after ${formatDuration(a.ttl)})` : ''}`]
        : []),
    ]),
    `threshold state: at most ${formatCount(config.incidents.maxPendingKeys)} keys counted at once (the least recently seen are dropped first, and logged)`,
    ...(config.escalation ? renderEscalation(config.escalation, now) : []),
    `store: ${config.store.path}`,
    config.http
      ? `http: /metrics, /healthz and /readyz on ${config.http.host}:${config.http.port}`
      : 'http: off (add http: {} for /metrics, /healthz and /readyz on 127.0.0.1:9464)',
  ];
  const warnings = [
    ...loaded.warnings.map((w) => `${formatProblemLocation(loaded.file, w)}: ${w.message}`),
    ...hostWarnings,
  ];
  if (warnings.length) lines.push('', 'warnings:', ...warnings.map((w) => `  ${w}`));
  return `${lines.join('\n')}\n`;
}
