// The pack entry kind (`use: sshd`): each of the pack's rules compiled as a regex rule over its program's messages (or,
// for web packs, as a web rule over access-log lines), with the entry's sources, ignore list, severity and threshold.

import { type IgnoreConfig, type PackRuleConfig, packRule } from '../../config/rule-schema.js';
import type { ConfigProblem } from '../../core/errors.js';
import type { FieldType, Severity } from '../../core/types.js';
import { compileIgnore, compileRegexRule, type RegexRuleSpec } from '../compile-regex-rule.js';
import { checkAction, definedOnly, defineRuleEntryKind } from '../entry-kind.js';
import type { CompiledRule } from '../rule.js';
import { WEB_FIELDS } from '../web/web-rule.js';
import { PACKS } from './index.js';
import type { MessagePackRule, MessagePattern, WebPackRule } from './pack.js';

export const packEntryKind = defineRuleEntryKind({
  schema: packRule,
  owns: (entry) => 'use' in entry,
  compile(entry, context) {
    const { path, catalog, problems, warnings } = context;

    const prefix = entry.id ?? entry.use;
    const compiled: CompiledRule[] = [];
    for (const p of PACKS[entry.use]) {
      const id = p.suffix ? `${prefix}-${p.suffix}` : prefix;
      context.claimId(id, path, 'Give each rule its own id, or give this pack entry an id: prefix.');
      const threshold = { ...p.threshold, ipv6Prefix: 64, ...definedOnly(entry.threshold ?? {}) };
      const severity = entry.severity ?? p.severity;
      const at = `${path} (pack ${entry.use}, rule ${id})`;
      const rule =
        p.kind === 'web'
          ? compileWebRule(p, id, entry, threshold, severity, path, problems, warnings)
          : compileRegexRule(packSpec(p, id, at, entry, threshold, severity, path), problems, warnings);
      if (rule) compiled.push({ ...rule, pack: entry.use, event: p.event });
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
      context.add(rule);
    }
  },
});

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
    ...(x.programAs ? { programAs: x.programAs } : {}),
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
    ...(p.quiet ? { quiet: true as const } : {}),
  };
}
