// The value an address counts under: IPv4 as it is, IPv6 by its prefix (one host is handed a whole /64, so 200
// addresses from one /64 are one attacker), an IPv4-mapped IPv6 address as the IPv4 one. Pure; written without
// allocations per call but the result, as it runs once per counted IPv6 match.

const groups = new Uint16Array(8);

export function addressKey(value: string, ipv6Prefix: number): string {
  if (!value.includes(':') || !readIpv6(value, groups)) return value;
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0) {
    if (groups[5] === 0xffff) return `${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`;
  }
  const prefix = Math.max(0, Math.min(128, ipv6Prefix));
  for (let g = 0; g < 8; g++) {
    const keep = Math.max(0, Math.min(16, prefix - 16 * g));
    groups[g] = keep === 0 ? 0 : groups[g]! & ((0xffff << (16 - keep)) & 0xffff);
  }
  const text = formatGroups(groups);
  return prefix === 128 ? text : `${text}/${prefix}`;
}

/** The eight groups of an IPv6 address into `out` (zone id dropped, embedded IPv4 read); false when it is not one. */
export function readIpv6(text: string, out: Uint16Array): boolean {
  const end = text.indexOf('%') === -1 ? text.length : text.indexOf('%');
  const gap = text.indexOf('::');
  if (gap !== -1 && text.indexOf('::', gap + 1) !== -1) return false;
  const head = gap === -1 ? end : gap;
  let n = readGroups(text, 0, head, out, 0);
  if (n < 0) return false;
  if (gap === -1) return n === 8;
  const tail = new Uint16Array(8);
  const m = gap + 2 === end ? 0 : readGroups(text, gap + 2, end, tail, 0);
  if (m < 0 || n + m > 7) return false;
  for (; n < 8 - m; n++) out[n] = 0;
  for (let i = 0; i < m; i++) out[n + i] = tail[i]!;
  return true;
}

// Groups `a:b:c` of text [start, end) into out from `at`; the last may be a dotted IPv4 (two groups). -1 if invalid.
function readGroups(text: string, start: number, end: number, out: Uint16Array, at: number): number {
  if (start === end) return 0;
  let n = at;
  let i = start;
  while (i <= end) {
    let j = i;
    let value = 0;
    while (j < end && text.charCodeAt(j) !== 58 /* : */ && text.charCodeAt(j) !== 46 /* . */) {
      const d = hex(text.charCodeAt(j));
      if (d < 0 || j - i >= 4) return -1;
      value = value * 16 + d;
      j++;
    }
    if (j < end && text.charCodeAt(j) === 46) {
      const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.slice(i, end));
      if (!v4 || n > 6 || v4.slice(1).some((o) => Number(o) > 255)) return -1;
      out[n++] = (Number(v4[1]) << 8) | Number(v4[2]);
      out[n++] = (Number(v4[3]) << 8) | Number(v4[4]);
      return n - at;
    }
    if (j === i || n >= 8) return -1;
    out[n++] = value;
    i = j + 1;
    if (j === end) break;
  }
  return n - at;
}

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as `::`. */
export function formatGroups(g: Uint16Array): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === best) {
      out += i === 0 ? '::' : ':';
      i += bestLength - 1;
      continue;
    }
    out += g[i]!.toString(16);
    if (i < 7) out += ':';
  }
  return out;
}

/** The network an address is in, as CIDR text: IPv4 by ipv4Prefix, IPv6 by ipv6Prefix (IPv4-mapped ones as IPv4). */
export function networkOf(value: string, ipv4Prefix: number, ipv6Prefix: number): string | undefined {
  const key = value.includes(':') ? addressKey(value, ipv6Prefix) : value;
  if (key.includes(':')) return key.includes('/') ? key : `${key}/128`;
  const octets = key.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined;
  const bits = Math.max(0, Math.min(32, ipv4Prefix));
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const n = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) & mask;
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}/${bits}`;
}
