// Turns the rules of a parsed config (and the packs they use) into ready-to-run rules, collecting every problem a
// config can have that its schema cannot see: regexes that do not compile or backtrack catastrophically, fields
// named but never captured, sources that do not exist.
import type { ActionCatalog } from '../actions/action-catalog.js';
import { RUNNABLE_TYPES } from '../actions/render-argv.js';
import type { CustomRuleConfig, PackRuleConfig, RuleEntry } from '../config/schema.js';
import type { ConfigProblem } from '../core/errors.js';
import type { FieldType, Severity } from '../core/types.js';
import { compileFail2banRule, type Fail2banRuleState, fail2banRuleId } from './fail2ban/fail2ban-rule.js';
import { FIELD_TYPE_HELP } from './field-types.js';
import { PACKS } from './packs/index.js';
import { analyzePattern } from './pattern-analysis.js';

export interface CompiledPattern {
  regex: RegExp;
  /** Every match contains one of these (empty: no prefilter possible). */
  anchors: string[];
  captures: string[];
}

export interface CompiledRule {
  id: string;
  severity: Severity;
  title: string;
  sources: string[];
  patterns: CompiledPattern[];
  ignore: RegExp[];
  /** The type of every capture (captures the config does not type are `text`). */
  fields: Record<string, FieldType>;
  threshold: { count: number; within: number; by: string[] };
  dedupe?: { by: string[]; within: number };
  /** The pack this rule came from, if any. */
  pack?: string;
  /** Response actions its incidents offer. */
  actions: string[];
  /** A fail2ban filter run as it is (its patterns are a stand-in for the prefilter). */
  fail2ban?: Fail2banRuleState;
}

export interface CompileResult {
  rules: CompiledRule[];
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
}

interface ExpandedRule {
  rule: CustomRuleConfig;
  /** Where problems are reported: `rules[2]`. */
  path: string;
  pack?: string;
}

/** Rule configs with every `use:` entry replaced by the pack's rules. */
export function expandRuleEntries(entries: readonly RuleEntry[]): ExpandedRule[] {
  return entries.flatMap((entry, i) =>
    'use' in entry
      ? expandPack(entry, `rules[${i}]`)
      : 'fail2ban' in entry
        ? []
        : [{ rule: entry, path: `rules[${i}]` }],
  );
}

function expandPack(entry: PackRuleConfig, path: string): ExpandedRule[] {
  const prefix = entry.id ?? entry.use;
  return PACKS[entry.use].map((p) => ({
    path,
    pack: entry.use,
    rule: {
      id: p.suffix ? `${prefix}-${p.suffix}` : prefix,
      source: entry.source,
      pattern: p.patterns,
      ignore: entry.ignore,
      caseInsensitive: false,
      severity: entry.severity ?? p.severity,
      fields: p.fields,
      threshold: { ...p.threshold, ...definedOnly(entry.threshold ?? {}) },
      ...(p.dedupe ? { dedupe: p.dedupe } : {}),
      title: p.title,
      actions: entry.actions,
    },
  }));
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function compileRules(
  entries: readonly RuleEntry[],
  sourceIds: readonly string[],
  catalog: ActionCatalog = new Map(),
): CompileResult {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const rules: CompiledRule[] = [];
  const seen = new Map<string, string>();
  // A pack entry's action needs only one of the pack's rules to capture its fields; the others do not offer it.
  const offered = new Map<string, Set<string>>();
  for (const { rule, path, pack } of expandRuleEntries(entries)) {
    const before = problems.length;
    const idPath = pack ? path : `${path}.id`;
    const other = seen.get(rule.id);
    if (other !== undefined) {
      problems.push({
        path: idPath,
        message: `rule id "${rule.id}" is used twice (also by ${other}). Give each rule its own id${pack ? ', or give this pack entry an id: prefix' : ''}.`,
      });
    }
    seen.set(rule.id, path);
    rule.source.forEach((s, j) => {
      if (!sourceIds.includes(s)) {
        problems.push({
          path: `${path}.source${rule.source.length > 1 ? `[${j}]` : ''}`,
          message: `no source has id "${s}". Known sources: ${sourceIds.join(', ') || '(none)'}.`,
        });
      }
    });
    const flags = rule.caseInsensitive ? 'i' : '';
    const patterns: CompiledPattern[] = [];
    rule.pattern.forEach((source, j) => {
      const at = pack
        ? `${path} (pack ${pack}, rule ${rule.id})`
        : `${path}.pattern${rule.pattern.length > 1 ? `[${j}]` : ''}`;
      const compiled = compilePattern(source, flags, at, problems, warnings);
      if (compiled) patterns.push(compiled);
    });
    const ignore: RegExp[] = [];
    rule.ignore.forEach((source, j) => {
      const compiled = compilePattern(source, flags, `${path}.ignore[${j}]`, problems, warnings);
      if (compiled) ignore.push(compiled.regex);
    });
    if (patterns.length === rule.pattern.length) {
      checkFieldNames(rule, path, patterns, problems);
    }
    if (problems.length > before) continue;
    const fields: Record<string, FieldType> = {};
    for (const p of patterns) for (const c of p.captures) fields[c] = rule.fields[c] ?? 'text';
    const actions = rule.actions.filter((actionId, j) => {
      const problem = checkAction(actionId, catalog, rule.id, fields, patterns);
      if (problem && !(pack && catalog.has(actionId)))
        problems.push({ path: `${path}.actions[${j}]`, message: problem });
      if (problem) return false;
      offered.set(path, (offered.get(path) ?? new Set()).add(actionId));
      return true;
    });
    rules.push({
      id: rule.id,
      severity: rule.severity,
      title: rule.title ?? defaultTitle(rule),
      actions,
      sources: rule.source,
      patterns,
      ignore,
      fields,
      threshold: rule.threshold,
      ...(rule.dedupe ? { dedupe: rule.dedupe } : {}),
      ...(pack ? { pack } : {}),
    });
  }
  entries.forEach((entry, i) => {
    if (!('fail2ban' in entry)) return;
    const path = `rules[${i}]`;
    const before = problems.length;
    const id = fail2banRuleId(entry);
    const other = seen.get(id);
    if (other !== undefined) {
      problems.push({
        path: `${path}.id`,
        message: `rule id "${id}" is used twice (also by ${other}). Give this fail2ban entry an id:.`,
      });
    }
    seen.set(id, path);
    entry.source.forEach((s, j) => {
      if (!sourceIds.includes(s)) {
        problems.push({
          path: `${path}.source${entry.source.length > 1 ? `[${j}]` : ''}`,
          message: `no source has id "${s}". Known sources: ${sourceIds.join(', ') || '(none)'}.`,
        });
      }
    });
    const rule = compileFail2banRule(entry, path, problems);
    if (!rule || problems.length > before) return;
    rule.actions = rule.actions.filter((actionId, j) => {
      const problem = checkAction(actionId, catalog, rule.id, rule.fields, rule.patterns);
      if (problem) problems.push({ path: `${path}.actions[${j}]`, message: problem });
      return problem === undefined;
    });
    rules.push(rule);
  });
  entries.forEach((entry, i) => {
    if (!('use' in entry)) return;
    entry.actions.forEach((actionId, j) => {
      const action = catalog.get(actionId);
      if (!action || offered.get(`rules[${i}]`)?.has(actionId)) return;
      problems.push({
        path: `rules[${i}].actions[${j}]`,
        message: `no rule of pack ${entry.use} captures every field action "${actionId}" uses (${action.fields.map((f) => `{${f}}`).join(', ')}), so no incident could offer it. Pick an action that uses the pack's fields.`,
      });
    });
  });
  return { rules, problems, warnings };
}

// Why a rule cannot offer an action: unknown, or its command needs a field the rule does not capture with a type.
function checkAction(
  actionId: string,
  catalog: ActionCatalog,
  ruleId: string,
  fields: Record<string, FieldType>,
  patterns: CompiledPattern[],
): string | undefined {
  const action = catalog.get(actionId);
  if (!action) {
    const known = [...catalog.keys()].join(', ') || '(none)';
    return `no action has id "${actionId}". Actions: ${known}. Define it under actions: or remove it here.`;
  }
  for (const field of action.fields) {
    if (!patterns.every((p) => p.captures.includes(field))) {
      return `action "${actionId}" uses {${field}}, which rule ${ruleId} does not capture in every pattern. Add (?<${field}>…) or offer another action.`;
    }
    if (!RUNNABLE_TYPES.has(fields[field]!)) {
      return `action "${actionId}" uses {${field}}, which rule ${ruleId} captures as free text; text never goes into a command. Give it a type under fields: (ip, cidr, user, host, port, int or word).`;
    }
  }
  return undefined;
}

function defaultTitle(rule: CustomRuleConfig): string {
  return rule.threshold.by.length ? `${rule.id}: ${rule.threshold.by.map((f) => `{${f}}`).join(' ')}` : rule.id;
}

function compilePattern(
  source: string,
  flags: string,
  path: string,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): CompiledPattern | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    problems.push({ path, message: `is not a valid regular expression (${reason}). Check brackets and escapes.` });
    return undefined;
  }
  const analysis = analyzePattern(source, flags.includes('i'));
  if (analysis.catastrophic) {
    problems.push({ path, message: `is unsafe: it ${analysis.catastrophic}.` });
    return undefined;
  }
  for (const w of analysis.warnings) warnings.push({ path, message: w });
  return { regex, anchors: analysis.anchors, captures: analysis.captures };
}

function checkFieldNames(
  rule: CustomRuleConfig,
  path: string,
  patterns: CompiledPattern[],
  problems: ConfigProblem[],
): void {
  const all = new Set(patterns.flatMap((p) => p.captures));
  const known = [...all].join(', ') || '(none)';
  const patternWord = patterns.length > 1 ? 'every pattern' : 'the pattern';
  const inEvery = (name: string) => patterns.every((p) => p.captures.includes(name));
  for (const [name, type] of Object.entries(rule.fields)) {
    if (!all.has(name)) {
      problems.push({
        path: `${path}.fields.${name}`,
        message: `no capture named "${name}" in the pattern (${type}: ${FIELD_TYPE_HELP[type]}). Add (?<${name}>…) to the pattern or remove the field. Captures: ${known}.`,
      });
    }
  }
  const requireEverywhere = (names: string[], at: (i: number) => string, what: string) => {
    names.forEach((name, i) => {
      if (!inEvery(name)) {
        problems.push({
          path: at(i),
          message: `${what} "${name}" is not captured by ${patternWord}. Add (?<${name}>…) to ${patternWord}. Captures: ${known}.`,
        });
      }
    });
  };
  requireEverywhere(rule.threshold.by, (i) => `${path}.threshold.by[${i}]`, 'threshold field');
  if (rule.dedupe) requireEverywhere(rule.dedupe.by, (i) => `${path}.dedupe.by[${i}]`, 'dedupe field');
  if (rule.title) {
    const names = [...rule.title.matchAll(PLACEHOLDER)].map((m) => m[1]!);
    requireEverywhere(names, () => `${path}.title`, 'title placeholder');
  }
}
