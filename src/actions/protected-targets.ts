// Values no response action may act on, whatever a log line or a click says: this host's own addresses, its gateway
// and resolvers, loopback and the other special ranges, address ranges wide enough to cut the host off, root and the
// system accounts, this program's own account. The operator adds more with `protect:`; no config removes these.
// Pure: the host's facts are read elsewhere (read-host-targets.ts) and passed in.
import { BlockList, isIP } from 'node:net';
import type { FieldType } from '../core/types.js';
import { pickValues } from './confirmed-values.js';

export interface ProtectedRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
  /** Why, as the refusal says it: "loopback", "this host's address (eth0)". */
  reason: string;
}

export interface ProtectedTargets {
  ranges: readonly ProtectedRange[];
  /** Account names, with why. */
  users: ReadonlyMap<string, string>;
  /** Host names in lower case, with why. */
  hosts: ReadonlyMap<string, string>;
  /** The shortest prefix a cidr value may have: a wider range takes whole networks with it. */
  shortestPrefix: { ipv4: number; ipv6: number };
}

const range = (address: string, prefix: number, reason: string): ProtectedRange => ({
  address,
  prefix,
  family: isIP(address) === 6 ? 'ipv6' : 'ipv4',
  reason,
});

/** The special ranges, protected on every host. */
export const SPECIAL_RANGES: readonly ProtectedRange[] = [
  range('127.0.0.0', 8, 'loopback'),
  range('::1', 128, 'loopback'),
  range('0.0.0.0', 8, 'the unspecified address ("this network")'),
  range('::', 128, 'the unspecified address'),
  // IPv4-compatible IPv6 (deprecated) reaches IPv4 hosts through some stacks; IPv4-mapped is checked as IPv4.
  range('::', 96, 'an IPv4-compatible IPv6 address'),
  range('169.254.0.0', 16, 'link-local (cloud metadata services live here)'),
  range('fe80::', 10, 'link-local'),
  range('224.0.0.0', 4, 'multicast'),
  range('ff00::', 8, 'multicast'),
  range('240.0.0.0', 4, 'reserved, and broadcast'),
];

export const DEFAULT_SHORTEST_PREFIX = { ipv4: 16, ipv6: 32 } as const;

/** Why the value may not be acted on, or undefined when it may. Types that name no target are never protected. */
export function protectionOf(type: FieldType, value: string, targets: ProtectedTargets): string | undefined {
  switch (type) {
    case 'ip':
      return addressProtection(value, targets);
    case 'cidr':
      return cidrProtection(value, targets);
    case 'user': {
      const reason = targets.users.get(value);
      return reason === undefined ? undefined : `${value} is protected: ${reason}`;
    }
    case 'host': {
      if (isIP(value) !== 0) return addressProtection(value, targets);
      const name = value.toLowerCase().replace(/\.$/, '');
      const reason =
        targets.hosts.get(name) ??
        (name === 'localhost' || name.endsWith('.localhost') ? 'loopback' : undefined) ??
        targets.hosts.get(name.split('.')[0]!);
      return reason === undefined ? undefined : `${value} is protected: ${reason}`;
    }
    default:
      return undefined;
  }
}

function addressProtection(value: string, targets: ProtectedTargets): string | undefined {
  const family = isIP(value) === 6 ? 'ipv6' : 'ipv4';
  // BlockList reads an IPv4-mapped IPv6 address (::ffff:127.0.0.1, ::ffff:7f00:1) as the IPv4 one.
  const found = targets.ranges.find((r) => listOf(r).check(value, family));
  return found ? `${value} is protected: ${found.reason}` : undefined;
}

function cidrProtection(value: string, targets: ProtectedTargets): string | undefined {
  const slash = value.indexOf('/');
  const address = value.slice(0, slash);
  const prefix = Number(value.slice(slash + 1));
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  // An IPv4-mapped range (::ffff:10.0.0.0/104) is as wide as the IPv4 range it maps.
  const mapped = family === 'ipv6' && /^::ffff:/i.test(address) && prefix >= 96;
  const shortest = mapped ? targets.shortestPrefix.ipv4 + 96 : targets.shortestPrefix[family];
  if (prefix < shortest) {
    return `${value} is protected: ranges wider than /${shortest} are refused (protect.shortestPrefix.${family} raises the limit)`;
  }
  // Two prefix ranges overlap exactly when one holds the other's first address.
  const wanted = new BlockList();
  wanted.addSubnet(address, prefix, family);
  const found = targets.ranges.find((r) => listOf(r).check(address, family) || wanted.check(r.address, r.family));
  return found ? `${value} is protected: it overlaps ${found.address}/${found.prefix}, ${found.reason}` : undefined;
}

const lists = new WeakMap<ProtectedRange, BlockList>();

function listOf(r: ProtectedRange): BlockList {
  let list = lists.get(r);
  if (!list) {
    list = new BlockList();
    list.addSubnet(r.address, r.prefix, r.family);
    lists.set(r, list);
  }
  return list;
}

/** Why an action may not run with these values (the first protected one), or undefined. */
export function protectionOfValues(
  values: Readonly<Record<string, string>>,
  types: Readonly<Record<string, FieldType>>,
  targets: ProtectedTargets,
): string | undefined {
  for (const [name, value] of Object.entries(values)) {
    const type = types[name];
    const reason = type ? protectionOf(type, value, targets) : undefined;
    if (reason) return reason;
  }
  return undefined;
}

/**
 * Why an action is not offered on an incident as it is now (one of the values it would act on is protected), for
 * rendering its message; undefined when it is offered.
 */
export function createRefusalCheck(
  actionFields: (actionId: string) => readonly string[] | undefined,
  ruleTypes: (ruleId: string) => Readonly<Record<string, FieldType>> | undefined,
  targets: () => ProtectedTargets,
): (incident: { rule: string; fields: Readonly<Record<string, string>> }, actionId: string) => string | undefined {
  return (incident, actionId) => {
    const fields = actionFields(actionId);
    const types = ruleTypes(incident.rule);
    if (!fields || !types) return undefined;
    return protectionOfValues(pickValues(incident.fields, fields), types, targets());
  };
}
