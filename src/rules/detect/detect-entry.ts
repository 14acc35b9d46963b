// The detect entry kind (`detect: success-after-failures`): the detector's own lines compiled as a regex rule over
// its programs' messages, which the incident tracker weighs against the events of the rules reading the same sources.
import { detectRule } from '../../config/rule-schema.js';
import { compileRegexRule } from '../compile-regex-rule.js';
import { definedOnly, defineRuleEntryKind, keepOfferable } from '../entry-kind.js';
import type { LearnSettings } from './detector.js';
import { DETECTOR_NAMES, DETECTORS } from './detectors.js';

const learners = () => DETECTOR_NAMES.filter((name) => DETECTORS[name].learns).join(', ');

/** What every learning detector starts from, before its own defaults and the rule's learn:. */
const LEARN_DEFAULTS: Omit<LearnSettings, 'timezone'> = {
  period: 30 * 24 * 3_600_000,
  ipv4Prefix: 24,
  ipv6Prefix: 48,
  history: 20,
  floor: 20,
};

export const detectEntryKind = defineRuleEntryKind({
  schema: detectRule,
  owns: (entry) => 'detect' in entry,
  compile(entry, context) {
    const { path, problems, warnings } = context;
    const detector = DETECTORS[entry.detect];
    const id = entry.id ?? entry.detect;
    context.claimId(id, entry.id ? `${path}.id` : path, 'Give each rule its own id: add id: to this entry.');
    const threshold = { ...detector.threshold, ipv6Prefix: 64, ...definedOnly(entry.threshold ?? {}) };
    const fields = { ...detector.fields, ...detector.adds };
    for (const [j, field] of threshold.by.entries()) {
      if (fields[field]) continue;
      problems.push({
        path: `${path}.threshold.by[${j}]`,
        message: `detector ${entry.detect} keys by ${Object.keys(fields).join(', ')}, not "${field}".`,
      });
      return;
    }
    if (entry.learn && !detector.learns) {
      problems.push({
        path: `${path}.learn`,
        message: `detector ${entry.detect} learns nothing; learn: is for ${learners()}. Remove it.`,
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
        // Keyed by captures only here: the fields the detector adds (the network) are filled in by the tracker.
        threshold: { ...threshold, count: 1, by: threshold.by.filter((f) => detector.fields[f]) },
        actions: entry.actions,
      },
      problems,
      warnings,
    );
    if (!rule) return;
    // Set here, not checked against the captures: {failures} and {span} are the tracker's, filled when it opens.
    rule.title = detector.title;
    if (detector.event) rule.event = detector.event;
    // A judge opens an incident on the input it finds anomalous; its count and window are its own.
    rule.threshold = detector.judge ? { ...threshold, count: 1 } : threshold;
    rule.fields = { ...rule.fields, ...detector.adds };
    rule.detect = {
      detector: entry.detect,
      after: detector.after,
      triggers: detector.triggers ?? [],
      ...(detector.untitled ? { untitled: detector.untitled } : {}),
      // A finding that grows (more hosts) is told as it is now; another keeps what it first found.
      adds: detector.grows ? [] : Object.keys(detector.adds),
      limits: { count: threshold.count, within: threshold.within },
      learn: {
        ...LEARN_DEFAULTS,
        // This host's zone, as the sources' stamps.
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        ...detector.learns,
        ...definedOnly(entry.learn ?? {}),
      },
    };
    keepOfferable(rule, context);
    context.add(rule);
  },
});
