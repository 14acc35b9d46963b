// Turns the rules of a parsed config (and the packs they use) into ready-to-run rules, collecting every problem a
// config can have that its schema cannot see: regexes that do not compile or backtrack catastrophically, fields
// named but never captured, sources that do not exist, ignore values that are not addresses.
import type { ActionCatalog } from '../actions/action-catalog.js';
import { RUNNABLE_TYPES } from '../actions/render-argv.js';
import type { CustomRuleConfig, IgnoreConfig, PackRuleConfig, RuleEntry } from '../config/schema.js';
import type { ConfigProblem } from '../core/errors.js';
import type { FieldType, Severity } from '../core/types.js';
import { compileIgnore, compileRegexRule, type RegexRuleSpec } from './compile-regex-rule.js';
import { compileFail2banRule, fail2banRuleId } from './fail2ban/fail2ban-rule.js';
import { PACKS } from './packs/index.js';
import type { MessagePackRule, MessagePattern, WebPackRule } from './packs/pack.js';
import type { CompiledRule } from './rule.js';
import { WEB_FIELDS } from './web/web-rule.js';

export interface CompileResult {
  rules: CompiledRule[];
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
}

export function compileRules(
  entries: readonly RuleEntry[],
  sourceIds: readonly string[],
  catalog: ActionCatalog = new Map(),
): CompileResult {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const rules: CompiledRule[] = [];
  const seen = new Map<string, string>();
  const claimId = (id: string, path: string, idPath: string, hint: string) => {
    const other = seen.get(id);
    if (other !== undefined) {
      problems.push({ path: idPath, message: `rule id "${id}" is used twice (also by ${other}). ${hint}` });
    }
    seen.set(id, path);
  };
  const checkSources = (sources: readonly string[], path: string) => {
    sources.forEach((s, j) => {
      if (!sourceIds.includes(s)) {
        problems.push({
          path: `${path}.source${sources.length > 1 ? `[${j}]` : ''}`,
          message: `no source has id "${s}". Known sources: ${sourceIds.join(', ') || '(none)'}.`,
        });
      }
    });
  };

  entries.forEach((entry, i) => {
    const path = `rules[${i}]`;
    checkSources(entry.source, path);
    if ('use' in entry) {
      compilePackEntry(entry, path, catalog, claimId, rules, problems, warnings);
    } else if ('fail2ban' in entry) {
      const before = problems.length;
      claimId(fail2banRuleId(entry), path, `${path}.id`, 'Give this fail2ban entry an id:.');
      const rule = compileFail2banRule(entry, path, problems);
      if (!rule || problems.length > before) return;
      rule.actions = rule.actions.filter((actionId, j) => {
        const problem = checkAction(actionId, catalog, rule);
        if (problem) problems.push({ path: `${path}.actions[${j}]`, message: problem });
        return problem === undefined;
      });
      rules.push(rule);
    } else {
      claimId(entry.id, path, `${path}.id`, 'Give each rule its own id.');
      const rule = compileRegexRule(customSpec(entry, path), problems, warnings);
      if (!rule) return;
      rule.actions = rule.actions.filter((actionId, j) => {
        const problem = checkAction(actionId, catalog, rule);
        if (problem) problems.push({ path: `${path}.actions[${j}]`, message: problem });
        return problem === undefined;
      });
      rules.push(rule);
    }
  });
  // A pack entry's problems (an ignore value) are found once per rule of the pack: say each once.
  const unique = (list: ConfigProblem[]) =>
    list.filter((p, i) => list.findIndex((q) => q.path === p.path && q.message === p.message) === i);
  return { rules, problems: unique(problems), warnings: unique(warnings) };
}

function customSpec(rule: CustomRuleConfig, path: string): RegexRuleSpec {
  return {
    id: rule.id,
    path,
    patternPath: (j) => `${path}.pattern${rule.pattern.length > 1 ? `[${j}]` : ''}`,
    sources: rule.source,
    ...(rule.program ? { programs: rule.program } : {}),
    patterns: rule.pattern.map((source) => ({ source })),
    caseInsensitive: rule.caseInsensitive,
    fields: rule.fields,
    ignore: rule.ignore,
    severity: rule.severity,
    threshold: rule.threshold,
    ...(rule.dedupe ? { dedupe: rule.dedupe } : {}),
    ...(rule.title ? { title: rule.title } : {}),
    actions: rule.actions,
  };
}

function compilePackEntry(
  entry: PackRuleConfig,
  path: string,
  catalog: ActionCatalog,
  claimId: (id: string, path: string, idPath: string, hint: string) => void,
  rules: CompiledRule[],
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): void {
  const prefix = entry.id ?? entry.use;
  const compiled: CompiledRule[] = [];
  for (const p of PACKS[entry.use]) {
    const id = p.suffix ? `${prefix}-${p.suffix}` : prefix;
    claimId(id, path, path, 'Give each rule its own id, or give this pack entry an id: prefix.');
    const threshold = { ...p.threshold, ipv6Prefix: 64, ...definedOnly(entry.threshold ?? {}) };
    const severity = entry.severity ?? p.severity;
    const at = `${path} (pack ${entry.use}, rule ${id})`;
    const rule =
      p.kind === 'web'
        ? compileWebRule(p, id, entry, threshold, severity, path, problems, warnings)
        : compileRegexRule(packSpec(p, id, at, entry, threshold, severity, path), problems, warnings);
    if (rule) compiled.push({ ...rule, pack: entry.use });
  }
  // An ignore field or an action needs only one of the pack's rules to capture it; the others do without.
  if (!Array.isArray(entry.ignore)) {
    for (const field of Object.keys(entry.ignore)) {
      if (!compiled.some((r) => r.fields[field] !== undefined)) {
        problems.push({
          path: `${path}.ignore.${field}`,
          message: `no rule of pack ${entry.use} captures "${field}". Captures: ${[...new Set(compiled.flatMap((r) => Object.keys(r.fields)))].join(', ')}.`,
        });
      }
    }
  }
  entry.actions.forEach((actionId, j) => {
    const action = catalog.get(actionId);
    if (!action) {
      problems.push({ path: `${path}.actions[${j}]`, message: checkAction(actionId, catalog, compiled[0]!)! });
      return;
    }
    if (compiled.some((r) => checkAction(actionId, catalog, r) === undefined)) return;
    problems.push({
      path: `${path}.actions[${j}]`,
      message: `no rule of pack ${entry.use} captures every field action "${actionId}" uses (${action.fields.map((f) => `{${f}}`).join(', ')}), so no incident could offer it. Pick an action that uses the pack's fields.`,
    });
  });
  for (const rule of compiled) {
    rule.actions = entry.actions.filter((actionId) => checkAction(actionId, catalog, rule) === undefined);
    rules.push(rule);
  }
}

function packSpec(
  p: MessagePackRule,
  id: string,
  at: string,
  entry: PackRuleConfig,
  threshold: CompiledRule['threshold'],
  severity: Severity,
  path: string,
): RegexRuleSpec {
  return {
    id,
    path,
    patternPath: () => at,
    pack: entry.use,
    sources: entry.source,
    programs: p.programs,
    patterns: p.patterns.map(patternSpec),
    caseInsensitive: false,
    fields: p.fields,
    ignore: scopeIgnore(entry.ignore, p.fields),
    severity,
    threshold,
    ...(p.dedupe ? { dedupe: p.dedupe } : {}),
    title: p.title,
    actions: [],
  };
}

function patternSpec(x: MessagePattern): RegexRuleSpec['patterns'][number] {
  return {
    source: x.re,
    ...(x.counts ? { counts: x.counts } : {}),
    ...(x.timesFrom ? { timesFrom: x.timesFrom } : {}),
    ...(x.ipFromProcess ? { ipFromProcess: true } : {}),
    ...(x.ipFromClient ? { ipFromClient: true } : {}),
    ...(x.check ? { check: x.check } : {}),
    ...(x.detail ? { detail: x.detail } : {}),
  };
}

/** A pack entry's field-scoped ignore, limited to the fields this rule of the pack captures. */
function scopeIgnore(ignore: IgnoreConfig, fields: Record<string, FieldType>): IgnoreConfig {
  if (Array.isArray(ignore)) return ignore;
  return Object.fromEntries(Object.entries(ignore).filter(([field]) => fields[field] !== undefined));
}

function compileWebRule(
  p: WebPackRule,
  id: string,
  entry: PackRuleConfig,
  threshold: CompiledRule['threshold'],
  severity: Severity,
  path: string,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): CompiledRule | undefined {
  const fields: Record<string, FieldType> = { ...WEB_FIELDS };
  const ignore = compileIgnore(scopeIgnore(entry.ignore, fields), fields, path, undefined, problems, []);
  if (!ignore) return undefined;
  const keyFields = [...threshold.by, ...(p.dedupe?.by ?? [])];
  // The server's own error-log lines of this category are regex patterns over its messages, typed as web fields.
  const errors = p.errors
    ? compileRegexRule(
        {
          id,
          path,
          patternPath: () => `${path} (pack ${entry.use}, rule ${id})`,
          pack: entry.use,
          sources: entry.source,
          programs: p.errors.programs,
          patterns: p.errors.patterns.map(patternSpec),
          caseInsensitive: false,
          fields,
          ignore: [],
          severity,
          threshold,
          title: p.title,
          actions: [],
        },
        problems,
        warnings,
      )
    : undefined;
  return {
    id,
    kind: 'web',
    severity,
    title: p.title,
    sources: entry.source,
    ...(errors?.programs ? { programs: errors.programs } : {}),
    patterns: errors?.patterns ?? [],
    ignore,
    fields,
    keyFields,
    // Error-log lines carry no request: an action may rely on the address and what was seen, not on the method.
    captured: errors ? ['ip', 'category', 'detail'] : Object.keys(WEB_FIELDS).filter((f) => f !== 'user'),
    threshold,
    ...(p.dedupe ? { dedupe: p.dedupe } : {}),
    actions: [],
    web: { category: p.category },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// Why a rule cannot offer an action: unknown, or its command needs a field the rule does not capture with a type.
function checkAction(actionId: string, catalog: ActionCatalog, rule: CompiledRule): string | undefined {
  const action = catalog.get(actionId);
  if (!action) {
    const known = [...catalog.keys()].join(', ') || '(none)';
    return `no action has id "${actionId}". Actions: ${known}. Define it under actions: or remove it here.`;
  }
  for (const field of action.fields) {
    if (!rule.captured.includes(field)) {
      return `action "${actionId}" uses {${field}}, which rule ${rule.id} does not capture in every pattern. Add (?<${field}>…) or offer another action.`;
    }
    if (!RUNNABLE_TYPES.has(rule.fields[field]!)) {
      return `action "${actionId}" uses {${field}}, which rule ${rule.id} captures as free text; text never goes into a command. Give it a type under fields: (ip, cidr, user, host, port, int or word).`;
    }
  }
  return undefined;
}
