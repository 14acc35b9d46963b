// `logwarden check`: the config's problems (or a summary of what it will watch), plus what only the running
// machine can tell — are the files there and readable, is journalctl on PATH — as warnings.

import { accessSync, constants } from 'node:fs';
import { formatDuration } from '../config/duration.js';
import { readSmtpEnv } from '../config/env.js';
import type { LoadedConfig } from '../config/load.js';
import type { EscalationConfig, Person } from '../config/schema.js';
import { type ConfigProblem, formatProblemLocation } from '../core/errors.js';
import { formatCount } from '../core/format-count.js';
import { isOnPath } from '../core/on-path.js';
import { whoIsOnCall } from '../escalation/oncall-schedule.js';
import { detectorNamed } from '../rules/detect/detectors.js';
import { sourceKindOf } from '../sources/registry.js';

/**
 * What makes sources unusable on this machine (a file source's path that is a FIFO, a device, a directory): errors,
 * as logwarden would never read them.
 */
export function sourcesNotFiles(loaded: LoadedConfig): ConfigProblem[] {
  return loaded.config.sources.flatMap(
    (s, i) => sourceKindOf(s.type, loaded.kinds.sources).refuse?.(s, `sources[${i}]`) ?? [],
  );
}

/** What only this machine can tell of the config (its sources, mail server and fleet), as warning texts. */
export function checkOnHost(loaded: LoadedConfig, env: NodeJS.ProcessEnv): string[] {
  return [...checkSourcesOnHost(loaded, env), ...checkMailOnHost(loaded, env), ...checkFleetOnHost(loaded, env)];
}

/** What the machine says about each source, as warning texts. */
export function checkSourcesOnHost(loaded: LoadedConfig, env: NodeJS.ProcessEnv): string[] {
  return loaded.config.sources.flatMap((s) => sourceKindOf(s.type, loaded.kinds.sources).checkOnHost(s, env));
}

/**
 * Fleet actions need the key and known_hosts logwarden connects with, readable by it, and ssh (and ansible-playbook
 * for via: ansible) on PATH: else every host of every run fails.
 */
export function checkFleetOnHost(loaded: LoadedConfig, env: NodeJS.ProcessEnv): string[] {
  const fleet = loaded.config.fleet;
  if (!fleet) return [];
  const vias = new Set([...loaded.actions.values()].flatMap((a) => (a.via && a.target ? [a.via] : [])));
  const unreadable = [fleet.ssh.key, fleet.ssh.knownHosts].flatMap((file) => {
    try {
      accessSync(file, constants.R_OK);
      return [];
    } catch {
      return [`fleet.ssh: ${file} cannot be read by this user; every fleet action will fail until it can`];
    }
  });
  const programs = [fleet.ssh.program, ...(vias.has('ansible') ? [fleet.ansible.program] : [])];
  const missing = programs.flatMap((program) =>
    isOnPath(program, env) ? [] : [`fleet: ${program} is not on PATH (apt install openssh-client, or ansible-core)`],
  );
  return [...unreadable, ...missing];
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

/** Whether a learning detector speaks yet, as `check` says it. */
function learningStatus(since: number | undefined, period: number, now: number): string {
  const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;
  if (since === undefined) {
    return `learning: nothing read yet; it learns for ${formatDuration(period)} from its first line (or from old logs: logwarden learn)`;
  }
  return since + period > now
    ? `learning since ${when(since)}: it speaks from ${when(since + period)}`
    : `speaking: learned since ${when(since)}`;
}

/**
 * The config summarised. `learningSince` is when each rule's detector started learning, from the store (undefined
 * when there is no store yet): a learning detector says whether it speaks yet.
 */
export function renderCheckSummary(
  loaded: LoadedConfig,
  hostWarnings: readonly string[],
  now: number,
  learningSince?: ReadonlyMap<string, number> | { unreadable: string },
): string {
  const { config, rules } = loaded;
  const packs = [...new Set(rules.flatMap((r) => (r.pack ? [r.pack] : [])))];
  const lines = [
    `${loaded.file} is valid: ${config.sources.length} ${config.sources.length === 1 ? 'source' : 'sources'}, ${rules.length} ${rules.length === 1 ? 'rule' : 'rules'}${packs.length ? ` (packs: ${packs.join(', ')})` : ''}.`,
    '',
    'sources:',
    ...config.sources.map((s) => `  ${s.id}  ${sourceKindOf(s.type, loaded.kinds.sources).describe(s)}`),
    'rules:',
    ...rules.map((r) => {
      const t = r.threshold;
      const by = t.by.length ? ` by ${t.by.join(', ')}` : '';
      // A detector says when it speaks itself.
      const when = r.detect
        ? detectorNamed(r.detect.detector).explain({ ...r.detect.limits, by: t.by }, r.detect.learn)
        : r.quiet
          ? `opens nothing: ${r.event} for the detectors`
          : `${t.count} within ${formatDuration(t.within)}${by}`;
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
        : r.detect && r.patterns.length === 0
          ? 'no lines of its own'
          : `${r.patterns.length} ${r.patterns.length === 1 ? 'pattern' : 'patterns'}${r.programs ? ` on messages of ${r.programs[0] === '*' ? 'any program' : r.programs.length > 4 ? `${r.programs.slice(0, 4).join(', ')}…` : r.programs.join(', ')}` : ''}`;
      const rule = `  ${r.id}  ${r.severity}, ${when}, ${what}, reads ${r.sources.join(', ')}${r.pack ? ` [pack ${r.pack}]` : ''}${r.detect ? ` [detector ${r.detect.detector}]` : ''}${offers}`;
      return r.detect && detectorNamed(r.detect.detector).learns
        ? `${rule}\n    ${
            learningSince && 'unreadable' in learningSince
              ? `learning: unknown, the store cannot be read (${learningSince.unreadable})`
              : learningStatus(learningSince?.get(r.id), r.detect.learn.period, now)
          }`
        : rule;
    }),
    ...(loaded.actions.size ? ['actions:'] : []),
    ...[...loaded.actions.values()].flatMap((a) => [
      `  ${a.id}  "${a.label}"${a.dryRun ? ' (dry run)' : ''}, roles ${a.roles.join(', ')}${a.approvals > 1 ? ', two-person' : ''}, timeout ${formatDuration(a.timeout)}`,
      ...(a.target
        ? [
            `    where:  ${a.target.kind === 'origin' ? 'the fleet host the incident came from' : `${a.target.label} (${a.target.hosts.join(', ')})`}, over ${a.via}`,
          ]
        : []),
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
