// The value an address counts under: IPv4 as it is, IPv6 by its prefix (one host is handed a whole /64, so 200
// addresses from one /64 are one attacker), an IPv4-mapped IPv6 address as the IPv4 one. Pure.
import { isIP } from 'node:net';

export function addressKey(value: string, ipv6Prefix: number): string {
  const family = isIP(value);
  if (family !== 6) return value;
  const bytes = parseIpv6(value);
  if (!bytes) return value;
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return bytes.slice(12).join('.');
  }
  const prefix = Math.max(0, Math.min(128, ipv6Prefix));
  for (let bit = prefix; bit < 128; bit++) bytes[bit >> 3]! &= ~(0x80 >> (bit & 7));
  const text = formatIpv6(bytes);
  return prefix === 128 ? text : `${text}/${prefix}`;
}

/** Whether an address counts under a prefix wider than itself. */
export function isAggregated(value: string, key: string): boolean {
  return key !== value;
}

/** 16 bytes of an IPv6 address (zone id dropped, embedded IPv4 read), or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  const address = text.split('%')[0]!.toLowerCase();
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const words = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (group.includes('.')) {
        const octets = group.split('.').map(Number);
        if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255))) return undefined;
        out.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
      } else {
        if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined;
        out.push(Number.parseInt(group, 16));
      }
    }
    return out;
  };
  const head = words(halves[0]!);
  const tail = halves.length === 2 ? words(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const zeros = 8 - head.length - tail.length;
  if (zeros < 0 || (halves.length === 1 && zeros !== 0)) return undefined;
  const all = [...head, ...new Array<number>(zeros).fill(0), ...tail];
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as `::`. */
export function formatIpv6(bytes: readonly number[]): string {
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}
