// Turns the rules of a parsed config (and the packs they use) into ready-to-run rules, collecting every problem a
// config can have that its schema cannot see: regexes that do not compile or backtrack catastrophically, fields
// named but never captured, sources that do not exist, ignore values that are not addresses.
import { isIP } from 'node:net';
import type { ActionCatalog } from '../actions/action-catalog.js';
import { RUNNABLE_TYPES } from '../actions/render-argv.js';
import type { CustomRuleConfig, IgnoreConfig, PackRuleConfig, RuleEntry } from '../config/schema.js';
import type { ConfigProblem } from '../core/errors.js';
import type { FieldType, Severity } from '../core/types.js';
import { webServerOf } from '../envelope/web-server-logs.js';
import { compileFail2banRule, type Fail2banRuleState, fail2banRuleId } from './fail2ban/fail2ban-rule.js';
import { FIELD_TYPE_HELP } from './field-types.js';
import { PACKS } from './packs/index.js';
import type { MessagePackRule, MessagePattern, WebPackRule } from './packs/pack.js';
import { analyzePattern } from './pattern-analysis.js';
import type { FieldIgnore, RuleIgnore } from './verdict.js';
import { WEB_FIELDS } from './web/web-rule.js';
import type { WebCategory } from './web/web-signatures.js';

export interface CompiledPattern {
  regex: RegExp;
  /** Every match contains one of these (empty: no prefilter possible). */
  anchors: string[];
  /** Each of these sets is one the pattern's matches all contain a literal of: the screen picks among them. */
  anchorSets: string[][];
  captures: string[];
  /** A PAM failure, or the program's own line that may follow one for the same attempt (counted once). */
  counts?: 'pam' | 'after-pam' | 'follow-up';
  /** The capture holding how many attempts the line stands for. */
  timesFrom?: string;
  /** The address comes from earlier lines of the same process. */
  ipFromProcess?: boolean;
  /** Its address is remembered for later lines of the process (the rule has patterns that take it from there). */
  remember?: boolean;
  /** The address is the client the web server wrote outside the message. */
  ipFromClient?: boolean;
  /** The captured `path` must look like a probe for the line to count. */
  check?: 'probe-path';
  /** The `detail` field when the pattern captures none. */
  detail?: string;
}

/** How a rule reads lines: regular expressions, a fail2ban filter, or a category of the web access-log classifier. */
export type RuleKind = 'regex' | 'fail2ban' | 'web';

export interface CompiledRule {
  id: string;
  kind: RuleKind;
  severity: Severity;
  title: string;
  sources: string[];
  /** Programs whose messages the patterns read (from the message's start); undefined: whole lines. */
  programs?: string[];
  patterns: CompiledPattern[];
  ignore: RuleIgnore;
  /** The type of every field a match can carry (captures the config does not type are `text`). */
  fields: Record<string, FieldType>;
  /** Fields the count is keyed by (threshold and dedupe): a value failing its type rejects the line. */
  keyFields: string[];
  /** Fields every match carries when their values are valid: what a response action may use. */
  captured: string[];
  threshold: { count: number; within: number; by: string[]; ipv6Prefix: number };
  dedupe?: { by: string[]; within: number };
  /** The pack this rule came from, if any. */
  pack?: string;
  /** Response actions its incidents offer. */
  actions: string[];
  /** A fail2ban filter run as it is. */
  fail2ban?: Fail2banRuleState;
  /** The access-log category a web rule counts. */
  web?: { category: WebCategory };
}

export interface CompileResult {
  rules: CompiledRule[];
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
}

/** A regex rule before compiling: a custom rule's config, or a pack's message rule with its entry's settings. */
interface RegexRuleSpec {
  id: string;
  path: string;
  /** Where pattern problems are reported. */
  patternPath: (j: number) => string;
  pack?: string;
  sources: string[];
  programs?: readonly string[];
  patterns: {
    source: string;
    counts?: 'pam' | 'after-pam' | 'follow-up';
    timesFrom?: string;
    ipFromProcess?: boolean;
    ipFromClient?: boolean;
    check?: 'probe-path';
    detail?: string;
  }[];
  caseInsensitive: boolean;
  fields: Record<string, FieldType>;
  ignore: IgnoreConfig;
  severity: Severity;
  threshold: CompiledRule['threshold'];
  dedupe?: { by: string[]; within: number };
  title?: string;
  actions: string[];
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

function compileRegexRule(
  spec: RegexRuleSpec,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): CompiledRule | undefined {
  const before = problems.length;
  const { path } = spec;
  const flags = spec.caseInsensitive ? 'i' : '';
  const patterns: CompiledPattern[] = [];
  spec.patterns.forEach((p, j) => {
    // With programs, a pattern reads the message from its start: text further in cannot pose as its beginning.
    const source = spec.programs ? `^(?:${p.source})` : p.source;
    const compiled = compilePattern(source, flags, spec.patternPath(j), problems, warnings);
    if (!compiled) return;
    // A message pattern without a literal of its own is still only worth trying on lines holding its programs' tags
    // (`sshd[`, `sshd:`, `sshd(pam_unix)`, `gdm-password]`); a web server's own log files hold no tag at all.
    if (compiled.anchors.length === 0 && spec.programs?.every((program) => program !== '*' && !webServerOf(program))) {
      compiled.anchors = spec.programs.flatMap((program) => ['[', ':', ' ', '(', ']'].map((end) => `${program}${end}`));
      compiled.anchorSets = [compiled.anchors];
    }
    if (p.counts) compiled.counts = p.counts;
    if (p.timesFrom) compiled.timesFrom = p.timesFrom;
    if (p.check) compiled.check = p.check;
    if (p.detail) compiled.detail = p.detail;
    if (p.ipFromProcess) compiled.ipFromProcess = true;
    if (p.ipFromClient) compiled.ipFromClient = true;
    if ((p.ipFromProcess || p.ipFromClient) && !compiled.captures.includes('ip')) compiled.captures.push('ip');
    patterns.push(compiled);
  });
  if (patterns.length < spec.patterns.length) return undefined;
  if (patterns.some((p) => p.ipFromProcess)) for (const p of patterns) if (!p.ipFromProcess) p.remember = true;
  checkFieldNames(spec, patterns, problems);
  if (problems.length > before) return undefined;
  const fields: Record<string, FieldType> = {};
  for (const p of patterns) for (const c of p.captures) fields[c] = spec.fields[c] ?? 'text';
  const ignore = compileIgnore(spec.ignore, fields, path, spec.pack, problems, warnings);
  if (!ignore) return undefined;
  const captured = Object.keys(fields).filter((f) => patterns.every((p) => p.captures.includes(f)));
  return {
    id: spec.id,
    kind: 'regex',
    severity: spec.severity,
    title: spec.title ?? defaultTitle(spec),
    actions: spec.actions,
    sources: spec.sources,
    ...(spec.programs ? { programs: [...spec.programs] } : {}),
    patterns,
    ignore,
    fields,
    keyFields: [...new Set([...spec.threshold.by, ...(spec.dedupe?.by ?? [])])],
    captured,
    threshold: spec.threshold,
    ...(spec.dedupe ? { dedupe: spec.dedupe } : {}),
  };
}

// Types a capture can hold text of the attacker's choosing in: a whole-line ignore pattern can be met through them.
const FREE_TYPES: ReadonlySet<FieldType> = new Set(['text', 'user', 'word', 'host']);

function compileIgnore(
  ignore: IgnoreConfig,
  fields: Record<string, FieldType>,
  path: string,
  pack: string | undefined,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): RuleIgnore | undefined {
  const before = problems.length;
  if (Array.isArray(ignore)) {
    const lines: RegExp[] = [];
    const isFree = (f: string) => fields[f] !== undefined && FREE_TYPES.has(fields[f]!);
    const free = isFree('user') ? 'user' : Object.keys(fields).find(isFree);
    ignore.forEach((source, j) => {
      const at = `${path}.ignore[${j}]`;
      const compiled = compilePattern(source, '', at, problems, warnings);
      if (!compiled) return;
      lines.push(compiled.regex);
      if (free !== undefined && !warnings.some((w) => w.path === at)) {
        warnings.push({
          path: at,
          message: `is tried on the whole line, and ${pack ? `pack ${pack}'s` : 'the'} capture {${free}} (${fields[free]}) can hold text an attacker chooses: a ${free} containing a match hides the line. Scope it to a field instead, e.g. ignore: { ip: [10.0.0.0/8] }.`,
        });
      }
    });
    return problems.length > before ? undefined : { lines, fields: [] };
  }
  const scoped: FieldIgnore[] = [];
  for (const [field, values] of Object.entries(ignore)) {
    const type = fields[field];
    if (type === undefined) {
      if (pack === undefined) {
        problems.push({
          path: `${path}.ignore.${field}`,
          message: `no capture named "${field}". Captures: ${Object.keys(fields).join(', ') || '(none)'}.`,
        });
      }
      continue;
    }
    if (type !== 'ip' && type !== 'cidr') {
      scoped.push({ field, values });
      continue;
    }
    const subnets: { address: string; prefix: number; family: 'ipv4' | 'ipv6' }[] = [];
    values.forEach((entry, j) => {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address);
      const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
      if (!family || !/^\d{0,3}$/.test(prefix ?? '') || bits < 0 || bits > (family === 6 ? 128 : 32)) {
        problems.push({
          path: `${path}.ignore.${field}${values.length > 1 ? `[${j}]` : ''}`,
          message: `"${entry}" is not an address or a CIDR range. Write e.g. 127.0.0.1, 10.0.0.0/8 or 2001:db8::/32 (host names are not looked up).`,
        });
        return;
      }
      subnets.push({ address, prefix: bits, family: family === 6 ? 'ipv6' : 'ipv4' });
    });
    scoped.push({ field, values, subnets });
  }
  return problems.length > before ? undefined : { lines: [], fields: scoped };
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

function defaultTitle(rule: RegexRuleSpec): string {
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
  // The best set first: a screen that finds no shared word for the pattern searches for that one.
  const anchorSets = [analysis.anchors, ...analysis.anchorSets.filter((set) => set !== analysis.anchors)].filter(
    (set) => set.length > 0,
  );
  return { regex, anchors: analysis.anchors, anchorSets, captures: analysis.captures };
}

function checkFieldNames(spec: RegexRuleSpec, patterns: CompiledPattern[], problems: ConfigProblem[]): void {
  // A pack's fields are declared once for all its patterns (tests check each is captured by some pattern); a line
  // without the key field (shadow su's "pam_authenticate: …") is matched but counted for no one; its title may name a
  // field only some patterns capture (a match without it shows "?").
  if (spec.pack !== undefined) return;
  const { path } = spec;
  const all = new Set(patterns.flatMap((p) => p.captures));
  const known = [...all].join(', ') || '(none)';
  const patternWord = patterns.length > 1 ? 'every pattern' : 'the pattern';
  const inEvery = (name: string) => patterns.every((p) => p.captures.includes(name));
  for (const [name, type] of Object.entries(spec.fields)) {
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
  requireEverywhere(spec.threshold.by, (i) => `${path}.threshold.by[${i}]`, 'threshold field');
  if (spec.dedupe) requireEverywhere(spec.dedupe.by, (i) => `${path}.dedupe.by[${i}]`, 'dedupe field');
  if (spec.title) {
    const names = [...spec.title.matchAll(PLACEHOLDER)].map((m) => m[1]!);
    requireEverywhere(names, () => `${path}.title`, 'title placeholder');
  }
}
