// A regex rule's compilation, for custom rules and packs alike: its patterns (each checked for catastrophic
// backtracking, its literals found for the screen), the names they capture against the fields, titles and keys the
// rule declares, and its ignore list.

import type { IgnoreConfig } from '../config/rule-schema.js';
import { addressFamily } from '../core/address-family.js';
import type { ConfigProblem } from '../core/errors.js';
import { placeholdersOf } from '../core/template.js';
import type { FieldType, PatternCheck, Severity } from '../core/types.js';
import { webServerOf } from '../envelope/web-server-logs.js';
import { FIELD_TYPE_HELP } from './field-types.js';
import { analyzePattern } from './pattern-analysis.js';
import { unnameGroups } from './regex-groups.js';
import type { CompiledPattern, CompiledRule, FieldIgnore, RuleIgnore } from './rule.js';

/** A regex rule before compiling: a custom rule's config, or a pack's message rule with its entry's settings. */
export interface RegexRuleSpec {
  id: string;
  path: string;
  /** Where pattern problems are reported. */
  patternPath: (j: number) => string;
  pack?: string;
  sources: string[];
  programs?: readonly string[];
  patterns: {
    source: string;
    counts?: 'pam' | 'after-pam' | 'follow-up' | 'pam-more';
    timesFrom?: string;
    ipFromProcess?: boolean;
    ipFromClient?: boolean;
    programAs?: string;
    check?: PatternCheck;
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

export function compileRegexRule(
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
    if (p.programAs) {
      compiled.programAs = p.programAs;
      if (!compiled.captures.includes(p.programAs)) compiled.captures.push(p.programAs);
    }
    patterns.push(compiled);
  });
  if (patterns.length < spec.patterns.length) return undefined;
  // A key or title by `host`, in a rule over a program's messages: the host the line's envelope names (a central log,
  // a syslog or HTTP source), typed as a host name — never a `host` the message's own text names (sshd's client).
  const wantsHost = [...spec.threshold.by, ...(spec.dedupe?.by ?? []), ...placeholdersOf(spec.title ?? '')].includes(
    'host',
  );
  const hostFromEnvelope = spec.programs !== undefined && wantsHost;
  if (hostFromEnvelope) {
    for (const p of patterns) {
      p.hostFromEnvelope = true;
      if (!p.captures.includes('host')) p.captures.push('host');
    }
  }
  if (patterns.some((p) => p.ipFromProcess)) for (const p of patterns) if (!p.ipFromProcess) p.remember = true;
  checkFieldNames(spec, patterns, problems);
  if (problems.length > before) return undefined;
  const fields: Record<string, FieldType> = {};
  for (const p of patterns) for (const c of p.captures) fields[c] = spec.fields[c] ?? 'text';
  if (hostFromEnvelope) fields.host = 'host';
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
// Types a capture can hold text of the attacker's choosing in: a whole-line ignore pattern can be met through them.
const FREE_TYPES: ReadonlySet<FieldType> = new Set(['text', 'user', 'word', 'host']);

export function compileIgnore(
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
      const family = addressFamily(address);
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
  try {
    // Checked as written: errors name the groups the operator wrote.
    new RegExp(source, flags);
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
  // Matched without names: the groups are read by number.
  const numbered = unnameGroups(source);
  return {
    regex: new RegExp(numbered.source, flags),
    groups: numbered.names,
    anchors: analysis.anchors,
    anchorSets,
    captures: analysis.captures,
  };
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
    const names = placeholdersOf(spec.title);
    requireEverywhere(names, () => `${path}.title`, 'title placeholder');
  }
}
