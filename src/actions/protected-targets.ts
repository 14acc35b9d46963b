// Values no response action may act on, whatever a log line or a click says: this host's own addresses, its gateway
// and resolvers, loopback and the other special ranges, address ranges wide enough to cut the host off, root and the
// system accounts, this program's own account. The operator adds more with `protect:`; no config removes these.
// Pure: the host's facts are read elsewhere (read-host-targets.ts) and passed in.
import { BlockList } from 'node:net';
import { addressFamily } from '../core/address-family.js';
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
  family: addressFamily(address) === 6 ? 'ipv6' : 'ipv4',
  reason,
});

/** A range as a config writes it (`10.0.0.5`, `10.0.0.0/24`, `2001:db8::/48`): a lone address is its own /32 or /128. */
export function configuredRange(entry: string, reason: string): ProtectedRange {
  const [address = '', prefix] = entry.split('/');
  const v6 = address.includes(':');
  return {
    address,
    prefix: prefix === undefined ? (v6 ? 128 : 32) : Number(prefix),
    family: v6 ? 'ipv6' : 'ipv4',
    reason,
  };
}

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
  range('192.0.0.0', 24, 'IETF protocol assignments (DNS64 discovery, NAT64 well-known addresses)'),
  range('fec0::', 10, 'site-local (deprecated)'),
  range('fd00:ec2::254', 128, 'the AWS instance metadata service (IPv6)'),
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
      // Case-insensitive: some name services (sssd, LDAP) find ROOT as root.
      const reason = targets.users.get(value) ?? targets.users.get(value.toLowerCase());
      return reason === undefined ? undefined : `${value} is protected: ${reason}`;
    }
    case 'host': {
      if (addressFamily(value) !== 0) return addressProtection(value, targets);
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
  const family = addressFamily(value) === 6 ? 'ipv6' : 'ipv4';
  if (family === 'ipv6' && value.includes('%')) return `${value} is protected: it names an interface (zone id)`;
  // BlockList reads an IPv4-mapped IPv6 address (::ffff:127.0.0.1, ::ffff:7f00:1) as the IPv4 one.
  const found = targets.ranges.find((r) => listOf(r).check(value, family));
  if (found) return `${value} is protected: ${found.reason}`;
  // An IPv6 address that carries an IPv4 one (NAT64, 6to4, Teredo, IPv4-translated) reaches that host.
  for (const inner of family === 'ipv6' ? embeddedIPv4(value) : []) {
    const hit = targets.ranges.find((r) => listOf(r).check(inner, 'ipv4'));
    if (hit) return `${value} is protected: it carries ${inner}, ${hit.reason}`;
  }
  return undefined;
}

/** The 16 bytes of an IPv6 address (valid, without a zone id). */
export function ipv6Bytes(address: string): Uint8Array {
  let text = address;
  const bytes = new Uint8Array(16);
  // A trailing dotted quad is the last four bytes.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const n = quad.slice(1, 5).map(Number);
    text = `${text.slice(0, quad.index)}${((n[0]! << 8) | n[1]!).toString(16)}:${((n[2]! << 8) | n[3]!).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 255;
  });
  return bytes;
}

const quadOf = (b: Uint8Array, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;

/** The IPv4 addresses an IPv6 address stands for: NAT64 (64:ff9b::/96), 6to4 (2002::/16), Teredo, IPv4-translated. */
export function embeddedIPv4(address: string): string[] {
  const b = ipv6Bytes(address);
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const found: string[] = [];
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) found.push(quadOf(b, 12));
  if (b[0] === 0x20 && b[1] === 0x02) found.push(quadOf(b, 2));
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) {
    // Teredo: the server's address in the clear, the client's inverted.
    found.push(
      quadOf(b, 4),
      quadOf(
        b.map((x) => x ^ 255),
        12,
      ),
    );
  }
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) found.push(quadOf(b, 12));
  return found;
}

function cidrProtection(value: string, targets: ProtectedTargets): string | undefined {
  const slash = value.indexOf('/');
  const address = value.slice(0, slash);
  const prefix = Number(value.slice(slash + 1));
  const family = addressFamily(address) === 6 ? 'ipv6' : 'ipv4';
  if (addressFamily(address) === 0 || !Number.isInteger(prefix)) return `${value} is protected: it is not a range`;
  // An IPv4-mapped range (::ffff:10.0.0.0/104, however it is spelled) is as wide as the IPv4 range it maps.
  const b = family === 'ipv6' ? ipv6Bytes(address) : undefined;
  const mapped = b?.slice(0, 10).every((x) => x === 0) === true && b[10] === 255 && b[11] === 255 && prefix >= 96;
  const shortest = mapped ? targets.shortestPrefix.ipv4 + 96 : targets.shortestPrefix[family];
  if (prefix < shortest) {
    return `${value} is protected: ranges wider than /${shortest} are refused (protect.shortestPrefix.${family} raises the limit)`;
  }
  // A range of IPv6 addresses that carry IPv4 ones (6to4, NAT64) is the IPv4 range it carries.
  if (b && b[0] === 0x20 && b[1] === 0x02 && prefix >= 16) {
    const inner = cidrProtection(`${quadOf(b, 2)}/${Math.min(32, prefix - 16)}`, targets);
    if (inner) return `${value} is protected: it carries ${inner}`;
  }
  if (b && b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && prefix >= 96) {
    const inner = cidrProtection(`${quadOf(b, 12)}/${prefix - 96}`, targets);
    if (inner) return `${value} is protected: it carries ${inner}`;
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
