// Rules made of regular expressions: custom rules over whole lines, and pack rules (or custom rules with `program:`)
// over the message of the programs they name, from its start, so text inside one message never reads as another
// program's line and an address captured after attacker text is the one the program wrote last.
import type { PatternCheck } from '../core/types.js';
import type { Envelope } from '../envelope/envelope.js';
import type { LineContext } from './line-context.js';
import { type AttemptState, recent } from './process-memory.js';
import type { CompiledPattern, CompiledRule, MatchState } from './rule.js';
import { type RuleVerdict, settleMatch } from './verdict.js';
import { isProbePath } from './web/classify-request.js';

export function matchRegexRule(rule: CompiledRule, line: LineContext, state: MatchState): RuleVerdict | undefined {
  const { processes: memory, now, screen } = state;
  let text = line.text;
  let env: Envelope | undefined;
  if (rule.programs) {
    env = line.envelope;
    // `*`: whatever program wrote it, read from the start of its message.
    if (rule.programs[0] !== '*' && (env.program === undefined || !rule.programs.includes(env.program))) {
      return undefined;
    }
    text = env.message;
  }
  for (let i = 0; i < rule.patterns.length; i++) {
    const pattern = rule.patterns[i]!;
    if (screen) {
      // The source's screen already found which patterns this line may be for.
      if (screen.marks[screen.base + i] !== screen.stamp) continue;
    } else if (pattern.anchors.length > 0 && !pattern.anchors.some((a) => line.text.includes(a))) {
      // Literals are looked for in the whole line: a message pattern's own are in its message, its programs' tags
      // before it.
      continue;
    }
    const m = pattern.regex.exec(text);
    if (!m) continue;
    const captures = capturesOf(pattern, m);
    if (pattern.check && !passes(pattern.check, captures)) continue;
    if (pattern.detail !== undefined) captures.detail ??= pattern.detail;
    // Only lines that pair into attempts or pass an address on need their process remembered.
    const tracked = pattern.counts !== undefined || pattern.ipFromProcess || pattern.remember;
    // Lines without a pid share one process per program: sudo's (which logs none) are one user's run, but an
    // address's would be every connection it made (a scan counted once, an address taken from another connection).
    const pairs = env !== undefined && (env.pid !== undefined || !rule.threshold.by.includes('ip'));
    const process = pairs && tracked ? memory.processOf(env!) : -1;
    const at = process === -1 ? now : (line.time(now) ?? now);
    if (pattern.ipFromClient) captures.ip = env?.client;
    if (pattern.hostFromEnvelope) captures.host = env?.host;
    if (pattern.programAs && captures[pattern.programAs] === undefined) captures[pattern.programAs] = env?.program;
    if (pattern.ipFromProcess && captures.ip === undefined && process !== -1) captures.ip = memory.ipOf(process, at);
    const verdict = settleMatch(rule, line.text, captures, timesOf(pattern, captures, env));
    if (verdict.outcome !== 'matched' || process === -1) return verdict;
    if (verdict.fields.ip !== undefined) memory.remember(process, verdict.fields.ip, at);
    // Lines pair into one attempt only when they name the same key: a line that cannot be counted for anyone takes
    // no part, and one user's line never completes another's attempt.
    const key = attemptKey(rule.threshold.by, verdict.fields);
    if (key !== undefined) markAttempt(memory.attempt(process, key, at), pattern.counts, verdict, at);
    return verdict;
  }
  return undefined;
}

// One attempt, several lines: a PAM module's failure, then the program's own line, then perhaps a follow-up line.
function markAttempt(
  attempt: AttemptState,
  counts: CompiledPattern['counts'],
  verdict: Extract<RuleVerdict, { outcome: 'matched' }>,
  at: number,
): void {
  const pamPending = recent(attempt.pamPendingAt, at);
  switch (counts) {
    case 'pam':
      if (pamPending) verdict.repeat = true;
      attempt.pamPendingAt = at;
      attempt.reportedAt = undefined;
      return;
    case 'after-pam':
      // The PAM line counted one attempt of those this line reports.
      if (pamPending && (verdict.times ?? 1) > 1) verdict.times! -= 1;
      else if (pamPending) verdict.repeat = true;
      attempt.pamPendingAt = undefined;
      attempt.reportedAt = at;
      return;
    case 'pam-more':
      // The failures after the first: already counted when the program reported its attempts, else these many more.
      if (recent(attempt.reportedAt, at)) verdict.repeat = true;
      attempt.pamPendingAt = undefined;
      attempt.reportedAt = at;
      return;
    case 'follow-up':
      // A follow-up alone (no failure line before it) is an attempt; after one it belongs to it, as the next does.
      if (pamPending || recent(attempt.reportedAt, at)) verdict.repeat = true;
      attempt.reportedAt = at;
      return;
    default:
      // A failure of its own: what follows it (the connection's closing line) belongs to it.
      attempt.reportedAt = at;
  }
}

/** The values of the threshold's fields, as one string; undefined when one is missing. */
function attemptKey(by: readonly string[], fields: Readonly<Record<string, string | undefined>>): string | undefined {
  if (by.length === 1) return fields[by[0]!];
  let key = '';
  for (const f of by) {
    const value = fields[f];
    if (value === undefined) return undefined;
    key += `${value}\0`;
  }
  return key;
}

function passes(check: PatternCheck, captures: Readonly<Record<string, string | undefined>>): boolean {
  if (check === 'probe-path') return isProbePath(captures.path ?? '');
  return Number(captures.tally) > Number(captures.deny);
}

/** The pattern's named groups, by name. */
function capturesOf(pattern: CompiledPattern, match: RegExpExecArray): Record<string, string | undefined> {
  const captures: Record<string, string | undefined> = {};
  for (const [name, index] of pattern.groups) {
    const value = match[index];
    if (value !== undefined) captures[name] = value;
  }
  return captures;
}

/** Lines at most one line stands for: rsyslog's repeat count times sudo's attempts, both written by the log. */
const MAX_TIMES = 10_000;

function timesOf(
  pattern: CompiledPattern,
  captures: Readonly<Record<string, string | undefined>>,
  env: Envelope | undefined,
): number {
  const reported = pattern.timesFrom ? Number(captures[pattern.timesFrom] ?? 1) : 1;
  return Math.min(MAX_TIMES, Math.max(1, (env?.repeated ?? 1) * (Number.isSafeInteger(reported) ? reported : 1)));
}
