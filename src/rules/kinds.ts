// The kinds of rule, the only lists of them: the entries a config's rules: may hold (each compiled into rules), and
// how each compiled kind reads a line. A new kind is a folder and a line in each list it needs.
import { customEntryKind } from './custom-entry.js';
import { detectEntryKind } from './detect/detect-entry.js';
import type { RuleEntryKind } from './entry-kind.js';
import { fail2banEntryKind } from './fail2ban/fail2ban-entry.js';
import { matchFail2banRule } from './fail2ban/fail2ban-rule.js';
import type { LineContext } from './line-context.js';
import { packEntryKind } from './packs/pack-entry.js';
import { matchRegexRule } from './regex-rule.js';
import type { CompiledRule, MatchState, RuleKind } from './rule.js';
import type { RuleVerdict } from './verdict.js';
import { matchWebRule } from './web/web-rule.js';

/** Config entries, in the order their schemas are tried. */
export const RULE_ENTRY_KINDS = [packEntryKind, fail2banEntryKind, detectEntryKind, customEntryKind] as const;

/** The entry kinds' schemas, for the config's union. */
export const RULE_ENTRY_SCHEMAS = RULE_ENTRY_KINDS.map((kind) => kind.schema) as unknown as SchemasOf<
  typeof RULE_ENTRY_KINDS
>;

type SchemasOf<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { schema: infer S } ? S : never;
};

/** The kind of a parsed entry, among these kinds (default: the built-in ones). */
export function ruleEntryKindOf(
  entry: object,
  kinds: readonly RuleEntryKind[] = RULE_ENTRY_KINDS as never,
): RuleEntryKind {
  const kind = kinds.find((k) => k.owns(entry));
  if (!kind) throw new Error(`no rule entry kind takes ${Object.keys(entry).join(', ')}`);
  return kind as unknown as RuleEntryKind;
}

/** How each kind of compiled rule reads a line. */
export const RULE_MATCHERS: Record<
  RuleKind,
  (rule: CompiledRule, line: LineContext, state: MatchState) => RuleVerdict | undefined
> = {
  regex: (rule, line, state) => matchRegexRule(rule, line, state),
  fail2ban: (rule, line, state) => matchFail2banRule(rule, rule.fail2ban!, line.text, state.now),
  web: (rule, line, state) => matchWebRule(rule, line, state),
};
