// What a rule says of a line, and the checks every rule kind applies the same way: captures typed (a bad value is
// dropped unless the count is keyed by it), values the config scopes out ignored. Pure.
import { BlockList } from 'node:net';
import { addressFamily, unmapIPv4 } from '../core/address-family.js';
import type { FieldType, LogEvent, Match } from '../core/types.js';
import { isValidField } from './field-types.js';
import type { CompiledRule, FieldIgnore, RuleIgnore } from './rule.js';

export type RuleVerdict =
  | {
      outcome: 'matched';
      rule: CompiledRule;
      fields: Record<string, string>;
      /** When the rule found the line's date itself (fail2ban rules). */
      time?: number;
      /** rsyslog's `message repeated N times`: the line stands for this many matches. */
      times?: number;
      /** The same attempt as an earlier line (a PAM failure and the program's own line for it): counted once. */
      repeat?: boolean;
    }
  | { outcome: 'ignored'; rule: CompiledRule }
  | { outcome: 'rejected'; rule: CompiledRule; field: string; type: FieldType; value: string };

/** A matched verdict as the tracker counts it: the line's event, its fields, and what the line stands for. */
export function matchOf(v: Extract<RuleVerdict, { outcome: 'matched' }>, event: LogEvent): Match {
  return {
    ruleId: v.rule.id,
    event,
    fields: v.fields,
    ...(v.times ? { times: v.times } : {}),
    ...(v.repeat ? { repeat: true } : {}),
  };
}

export const NO_IGNORE: RuleIgnore = { lines: [], fields: [] };

/**
 * The typed fields of a match from its raw captures, or the rejection: a value that fails its type is left out,
 * unless the threshold or dedupe is keyed by it (then the line cannot be counted and is rejected).
 */
export function typeCaptures(
  rule: CompiledRule,
  captures: Readonly<Record<string, string | undefined>>,
): { fields: Record<string, string> } | Extract<RuleVerdict, { outcome: 'rejected' }> {
  const fields: Record<string, string> = {};
  for (const name in captures) {
    const value = captures[name];
    if (value === undefined) continue;
    const type = rule.fields[name] ?? 'text';
    if (isValidField(type, value)) fields[name] = type === 'ip' ? unmapIPv4(value) : value;
    else if (rule.keyFields.includes(name)) return { outcome: 'rejected', rule, field: name, type, value };
  }
  return { fields };
}

// BlockLists are built once per rule and kept out of the compiled rule, which must stay plain data.
const blockLists = new WeakMap<FieldIgnore, BlockList>();

function blockListOf(ignore: FieldIgnore): BlockList {
  let list = blockLists.get(ignore);
  if (!list) {
    list = new BlockList();
    for (const s of ignore.subnets ?? []) list.addSubnet(s.address, s.prefix, s.family);
    blockLists.set(ignore, list);
  }
  return list;
}

/** Whether the config scopes this match out by one of its fields. */
export function isIgnoredByField(ignore: RuleIgnore, fields: Readonly<Record<string, string>>): boolean {
  for (const f of ignore.fields) {
    const value = fields[f.field];
    if (value === undefined) continue;
    if (f.values.includes(value)) return true;
    if (f.subnets) {
      const family = addressFamily(value);
      if (family !== 0 && blockListOf(f).check(value, family === 6 ? 'ipv6' : 'ipv4')) return true;
    }
  }
  return false;
}

/** The verdict for a line a rule matched, with its typed fields: ignored, rejected or matched. */
export function settleMatch(
  rule: CompiledRule,
  line: string,
  captures: Readonly<Record<string, string | undefined>>,
  times = 1,
): RuleVerdict {
  if (rule.ignore.lines.length > 0 && rule.ignore.lines.some((r) => r.test(line))) return { outcome: 'ignored', rule };
  const typed = typeCaptures(rule, captures);
  if (!('fields' in typed)) return typed;
  if (isIgnoredByField(rule.ignore, typed.fields)) return { outcome: 'ignored', rule };
  // Every matched verdict has the same shape from the start (times and repeat set later or not): the code reading
  // verdicts then sees one kind of object, not one per combination of properties added afterwards.
  return { outcome: 'matched', rule, fields: typed.fields, times: times > 1 ? times : undefined, repeat: undefined };
}
