// The detect entry kind (`detect: success-after-failures`): the detector's own lines compiled as a regex rule over
// its programs' messages, which the incident tracker weighs against the events of the rules reading the same sources.
import { detectRule } from '../../config/rule-schema.js';
import { compileRegexRule } from '../compile-regex-rule.js';
import { definedOnly, defineRuleEntryKind, keepOfferable } from '../entry-kind.js';
import { DETECTORS } from './detectors.js';

export const detectEntryKind = defineRuleEntryKind({
  schema: detectRule,
  owns: (entry) => 'detect' in entry,
  compile(entry, context) {
    const { path, problems, warnings } = context;
    const detector = DETECTORS[entry.detect];
    const id = entry.id ?? entry.detect;
    context.claimId(id, entry.id ? `${path}.id` : path, 'Give each rule its own id: add id: to this entry.');
    const threshold = { ...detector.threshold, ipv6Prefix: 64, ...definedOnly(entry.threshold ?? {}) };
    for (const [j, field] of threshold.by.entries()) {
      if (detector.fields[field]) continue;
      problems.push({
        path: `${path}.threshold.by[${j}]`,
        message: `detector ${entry.detect} keys by ${Object.keys(detector.fields).join(', ')}, not "${field}".`,
      });
      return;
    }
    const rule = compileRegexRule(
      {
        id,
        path,
        patternPath: () => `${path} (detector ${entry.detect})`,
        sources: entry.source,
        programs: detector.programs,
        patterns: detector.patterns.map((p) => ({ source: p.re })),
        caseInsensitive: false,
        fields: detector.fields,
        ignore: entry.ignore,
        severity: entry.severity ?? detector.severity,
        threshold,
        actions: entry.actions,
      },
      problems,
      warnings,
    );
    if (!rule) return;
    // Set here, not checked against the captures: {failures} and {span} are the tracker's, filled when it opens.
    rule.title = detector.title;
    rule.event = detector.event;
    rule.detect = { detector: entry.detect, after: detector.after };
    keepOfferable(rule, context);
    context.add(rule);
  },
});
