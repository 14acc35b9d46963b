// A web rule is one category of the access-log classifier with its own threshold. The address is the client the
// server wrote first on the line, never anything inside the request or its headers.
import type { FieldType } from '../../core/types.js';
import type { LineContext } from '../line-context.js';
import { matchRegexRule } from '../regex-rule.js';
import type { CompiledRule, MatchState } from '../rule.js';
import { type RuleVerdict, settleMatch } from '../verdict.js';
import { classifyRequest, type RequestFindings } from './classify-request.js';

export const WEB_FIELDS = {
  ip: 'ip',
  method: 'word',
  path: 'text',
  status: 'int',
  category: 'word',
  request: 'text',
  detail: 'text',
  user: 'text',
} as const satisfies Record<string, FieldType>;

/** Requests are shown cut to this many characters. */
const SHOWN = 1000;

export function matchWebRule(rule: CompiledRule, line: LineContext, state: MatchState): RuleVerdict | undefined {
  const access = line.envelope.access;
  if (!rule.web) return undefined;
  if (!access) {
    // The server's error log: the category's own patterns.
    const verdict = rule.patterns.length > 0 ? matchRegexRule(rule, line, state) : undefined;
    if (verdict?.outcome === 'matched') verdict.fields.category = rule.web.category;
    return verdict;
  }
  let findings = line.web as RequestFindings | undefined;
  if (!findings) {
    findings = classifyRequest(access);
    line.web = findings;
  }
  const detail = findings.categories.get(rule.web.category);
  if (detail === undefined) return undefined;
  return settleMatch(rule, line.text, {
    ip: access.client,
    method: access.method,
    path: findings.path.slice(0, SHOWN),
    status: String(access.status),
    category: rule.web.category,
    request: findings.request.slice(0, SHOWN),
    detail,
    user: access.user === '-' ? undefined : access.user,
  });
}
