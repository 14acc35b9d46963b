// The custom entry kind (`pattern:`): the operator's own regexes with typed captures, matched against whole lines
// (or, with `program:`, against the messages of those programs).
import { type CustomRuleConfig, customRule } from '../config/rule-schema.js';
import { compileRegexRule, type RegexRuleSpec } from './compile-regex-rule.js';
import { defineRuleEntryKind, keepOfferable } from './entry-kind.js';

export const customEntryKind = defineRuleEntryKind({
  schema: customRule,
  owns: (entry) => 'pattern' in entry,
  compile(entry, context) {
    const { path, problems, warnings } = context;
    context.claimId(entry.id, `${path}.id`, 'Give each rule its own id.');
    const rule = compileRegexRule(customSpec(entry, path), problems, warnings);
    if (!rule) return;
    if (entry.event && !entry.program) {
      // A detector's response acts on whoever its events name: they must be the program's own words, not any line's.
      problems.push({
        path: `${path}.event`,
        message:
          "an event for detectors needs program: (the program whose messages the pattern reads), so text inside another program's line cannot pose as it. Add program:, or remove event:.",
      });
      return;
    }
    if (entry.event) rule.event = entry.event;
    keepOfferable(rule, context);
    context.add(rule);
  },
});

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
