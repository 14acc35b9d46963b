// What a match is counted under: the values of its threshold's `by` fields, an address by its prefix and an account
// by its name, and the raw values behind those, which the incident lists as the spread it saw. Pure.
import type { Incident, Match } from '../core/types.js';
import type { CompiledRule } from '../rules/rule.js';
import { accountKey } from './account-key.js';
import { addressKey } from './address-key.js';

export interface CountKey {
  values: string[];
  /** The same values by field name. */
  named: Record<string, string>;
  /** The raw values behind keys that differ from them. */
  raw?: Record<string, string>;
}

/** Distinct values an incident lists per aggregated field. */
const SPREAD_VALUES = 10;

/** The key a match counts under; undefined when a key field has no value. */
export function countKeyOf(rule: CompiledRule, match: Match): CountKey | undefined {
  const values: string[] = [];
  const named: Record<string, string> = {};
  let raw: Record<string, string> | undefined;
  for (const field of rule.threshold.by) {
    const value = match.fields[field];
    if (value === undefined) return undefined;
    const type = rule.fields[field];
    const key =
      type === 'ip' ? addressKey(value, rule.threshold.ipv6Prefix) : type === 'user' ? accountKey(value) : value;
    if (key !== value) {
      raw ??= {};
      raw[field] = value;
    }
    values.push(key);
    named[field] = key;
  }
  return { values, named, ...(raw ? { raw } : {}) };
}

/** Adds raw values seen `n` times to the incident's spread, up to SPREAD_VALUES a field (the rest counted). */
export function addSpread(incident: Incident, raw: Record<string, string>, n: number): void {
  incident.spread ??= {};
  for (const [field, value] of Object.entries(raw)) {
    incident.spread[field] ??= { values: [], more: 0 };
    const spread = incident.spread[field];
    if (spread.values.includes(value)) continue;
    if (spread.values.length < SPREAD_VALUES) spread.values.push(value);
    else spread.more += n;
  }
}
