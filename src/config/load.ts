// Reads logwarden.yml once at start-up: YAML → zod → rule compilation, every problem reported together with the
// file, line, config path and a fix. What comes out is frozen and complete (all defaults filled in).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Document, isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type * as z from 'zod';
import { type ActionCatalog, createActionCatalog } from '../actions/action-catalog.js';
import { ConfigInvalidError, type ConfigProblem, ConfigUnreadableError, describeSystemError } from '../core/errors.js';
import { compileRules } from '../rules/compile.js';
import type { CompiledRule } from '../rules/rule.js';
import { formatDuration } from './duration.js';
import { BUILT_IN_KINDS, type ConfigKinds, configSchemaFor } from './kinds.js';
import { readTextIfExists } from './read-text.js';
import { type Config, configSchema } from './schema.js';

export interface LoadedConfig {
  file: string;
  config: Config;
  rules: CompiledRule[];
  /** The response actions, presets filled in. */
  actions: ActionCatalog;
  /** Problems that do not stop logwarden (slow patterns); `check` prints them. */
  warnings: ConfigProblem[];
  /** The kinds of source and rule it was read with. */
  kinds: ConfigKinds;
}

export function readConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const hint =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? '. Create it (see examples/logwarden.yml) or pass another file with -c'
        : '';
    throw new ConfigUnreadableError(file, `${describeSystemError(error)}${hint}`, { cause: error });
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, file: string, kinds: ConfigKinds = BUILT_IN_KINDS): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigInvalidError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return {
          path: '',
          message: `is not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}.`,
          ...(pos ? { line: pos.line, column: pos.col } : {}),
        };
      }),
    );
  }
  const locate = (path: readonly PropertyKey[], problem: ConfigProblem): ConfigProblem => {
    const offset = findOffset(doc, path);
    if (offset === undefined) return problem;
    const { line, col } = lineCounter.linePos(offset);
    return { ...problem, line, column: col };
  };
  // Other kinds than the built-in ones (a test's, a plugin's) extend the schema; the built-in schema is made once.
  const schema = kinds === BUILT_IN_KINDS ? configSchema : configSchemaFor(kinds);
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const problems = flattenIssues(parsed.error.issues, doc.toJS()).map(({ path, message }) =>
      locate(path, { path: renderPath(path), message }),
    );
    throw new ConfigInvalidError(file, problems, { cause: parsed.error });
  }
  // Entries of other kinds than the built-in ones are typed as these: each is handled by its own kind.
  const config = parsed.data as Config;
  const sourceIds = config.sources.map((s) => s.id);
  const problems: ConfigProblem[] = [];
  // A network source's copies of recent lines sit beside the store unless the config says where; none in memory.
  const spools = new Map<string, number>();
  (config.sources as { id: string; spool?: { dir?: string; maxBytes: number } }[]).forEach((s, i) => {
    if (s.spool && s.spool.dir === undefined && config.store.path !== ':memory:') {
      s.spool.dir = join(dirname(config.store.path), 'spool', s.id);
    }
    if (s.spool?.dir && s.spool.maxBytes > 0) {
      const other = spools.get(resolve(s.spool.dir));
      if (other !== undefined) {
        problems.push({
          path: `sources[${i}].spool.dir`,
          message: `is also sources[${other}]'s: /logs would show one source's lines as the other's. Give each its own.`,
        });
      }
      spools.set(resolve(s.spool.dir), i);
    }
  });
  const seen = new Set<string>();
  config.sources.forEach((s, i) => {
    if (seen.has(s.id)) {
      problems.push({
        path: `sources[${i}].id`,
        message: `source id "${s.id}" is used twice. Give each source its own id.`,
      });
    }
    seen.add(s.id);
  });
  const roleNames = Object.keys(config.roles);
  if (config.slack && roleNames.length > 0) {
    for (const [button, roles] of Object.entries(config.slack.allow)) {
      roles.forEach((role, i) => {
        if (!roleNames.includes(role)) {
          problems.push({
            path: `slack.allow.${button}[${i}]`,
            message: `no role named "${role}". Roles: ${roleNames.join(', ')}. Add it under roles: or name another.`,
          });
        }
      });
    }
  }
  for (const [name, role] of Object.entries(config.roles)) {
    (role.sources ?? []).forEach((source, i) => {
      if (!sourceIds.includes(source)) {
        problems.push({
          path: `roles.${name}.sources[${i}]`,
          message: `no source has id "${source}". Known sources: ${sourceIds.join(', ')}.`,
        });
      }
    });
  }
  if (config.escalation) problems.push(...checkEscalation(config.escalation));
  if (config.audit.anchorChannel !== undefined && !config.slack) {
    problems.push({
      path: 'audit.anchorChannel',
      message: 'posts to Slack, which is not configured. Add slack: (see README: Slack), or remove anchorChannel.',
    });
  }
  const networkSources = config.sources.flatMap((s) => ('spool' in s ? [s.id] : []));
  const actions = createActionCatalog(config.actions, roleNames, config.fleet, networkSources);
  problems.push(...actions.problems);
  const compiled = compileRules(config.rules, sourceIds, {
    catalog: actions.catalog,
    entryKinds: kinds.rules,
    readText: readTextIfExists,
  });
  problems.push(...compiled.problems);
  const withLines = (list: ConfigProblem[]) => list.map((p) => locate(parsePath(p.path), p));
  if (problems.length > 0) throw new ConfigInvalidError(file, withLines(problems));
  const warnings = withLines(compiled.warnings);
  if (config.slack && roleNames.length === 0) {
    warnings.push({
      path: 'roles',
      message:
        'no roles are configured, so every button click will be refused. Add roles: { responders: { users: [U…] } }.',
    });
  }
  return { file, config: deepFreeze(config), rules: compiled.rules, actions: actions.catalog, warnings, kinds };
}

// Policies that name the on-call people need a schedule; overrides must end after they begin.
function checkEscalation(escalation: NonNullable<Config['escalation']>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [severity, policy] of Object.entries(escalation.policies)) {
    policy.levels.forEach((level, i) => {
      const previous = policy.levels[i - 1];
      if (previous && level.after < previous.after) {
        problems.push({
          path: `escalation.policies.${severity}.levels[${i}].after`,
          message: `${formatDuration(level.after)} comes before the previous level's ${formatDuration(previous.after)}. Levels run in order: give each an after at least as long as the one before.`,
        });
      }
      level.notify.forEach((target, j) => {
        if ((target === 'primary' || target === 'secondary') && !escalation.oncall) {
          problems.push({
            path: `escalation.policies.${severity}.levels[${i}].notify[${j}]`,
            message: `${target} means the ${target} on call, but there is no escalation.oncall schedule. Add one, or name an email address.`,
          });
        }
      });
    });
  }
  escalation.oncall?.overrides.forEach((o, i) => {
    if (o.to <= o.from) {
      problems.push({
        path: `escalation.oncall.overrides[${i}].to`,
        message: `"${o.to}" is not after from ("${o.from}"). An override ends after it begins.`,
      });
    }
  });
  return problems;
}

// How far input is from a union branch: its issue count, and much more when the branch's own tag (`use:` for a pack
// entry, `detect:` for a detector, `type:` for a source) is what it lacks.
function branchScore(issues: readonly z.core.$ZodIssue[], input: unknown, at: PropertyKey[]): number {
  return issues.reduce((score, issue) => {
    const key = issue.path[issue.path.length - 1];
    const tagged =
      issue.path.length === 1 && (key === 'use' || key === 'type' || key === 'fail2ban' || key === 'detect');
    return score + (tagged && valueAt(input, [...at, ...issue.path]) === undefined ? 10 : 1);
  }, 0);
}

interface FlatIssue {
  path: PropertyKey[];
  message: string;
}

// A union (a pack entry or a custom rule; a file or a journald source) reports the issues of the branch it came
// closest to matching, rather than of every branch.
function flattenIssues(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: PropertyKey[] = []): FlatIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = issue.errors.reduce((a, b) => (branchScore(b, input, path) < branchScore(a, input, path) ? b : a));
      return flattenIssues(best, input, path);
    }
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `is not a known key. Check the spelling, or run \`logwarden schema\` for the keys allowed here.`,
      }));
    }
    return [{ path, message: describeIssue(issue, valueAt(input, path)) }];
  });
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? 'is required.' : `must be ${article(issue.expected)}, not ${JSON.stringify(value)}.`;
    default:
      return `${value === undefined || typeof value === 'object' ? '' : `${JSON.stringify(value)} `}${issue.message}.`
        .replace(/\.\.$/, '.')
        .replace(/^Too small: expected array to have >=1 items\.$/, 'must not be empty.');
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** `rules[2].threshold.within` for ['rules', 2, 'threshold', 'within']. */
export function renderPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

function parsePath(path: string): PropertyKey[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

// The source offset of the deepest node on the path that exists, so problems point at a line.
function findOffset(doc: Document, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as { range?: number[] } | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      offset = (pair.key as { range?: number[] } | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      offset = (node as { range?: number[] } | null)?.range?.[0] ?? offset;
    } else break;
  }
  return offset;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
