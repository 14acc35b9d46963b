// A pack compiled as a config entry would compile it, and the matched verdicts it gives one line.
import { expect } from 'vitest';
import type { RuleEntry } from '../../../src/config/schema.js';
import { compileRules } from '../../../src/rules/compile.js';
import { matchChunk, SourceMatcher } from '../../../src/rules/match.js';
import type { PackName } from '../../../src/rules/packs/index.js';

const NOW = Date.parse('2026-11-24T00:00:00Z');

export function packMatcher(use: PackName): SourceMatcher {
  const { rules, problems } = compileRules([{ use, source: ['s'], ignore: [], actions: [] } as RuleEntry], ['s']);
  expect(problems).toEqual([]);
  return new SourceMatcher(rules, 65536);
}

/** The matched verdicts for one line, through the same prefilter and envelope the engine uses. */
export function matchesOf(matcher: SourceMatcher, line: string) {
  const found: { rule: string; fields: Record<string, string> }[] = [];
  matchChunk(
    matcher,
    Buffer.from(`${line}\n`),
    (_l, verdicts) => {
      // A quiet rule's match (a login that succeeded) is an event for the detectors, not a finding.
      for (const v of verdicts)
        if (v.outcome === 'matched' && !v.rule.quiet) found.push({ rule: v.rule.id, fields: v.fields });
    },
    NOW,
  );
  return found;
}
