// Which address family a text is, as node:net's isIP reads it, without node's IPv6 pattern: compiling that pattern
// took ~15 ms of every start-up, on the first IPv6 address a log held. Pure.

/** `a.b.c.d`, each 0–255 without leading zeros (from and to bound the part of v read). */
export function isDottedQuad(v: string, from = 0, to = v.length): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = from; i <= to; i++) {
    const c = i === to ? 46 : v.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || value > 255 || ++parts > 4) return false;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false;
      value = value * 10 + c - 48;
      digits++;
    } else return false;
  }
  return parts === 4;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

// A zone id's characters, as node allows them after "%": letters, digits, "-", "." and ":".
function isZoneChar(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46;
}

/** RFC 4291 text: eight groups of 1–4 hex digits, one "::" for one or more groups, a dotted quad as the last two. */
function isIPv6(v: string, to: number): boolean {
  let groups = 0;
  let gap = false;
  let i = 0;
  if (to >= 2 && v.charCodeAt(0) === 58 && v.charCodeAt(1) === 58) {
    gap = true;
    i = 2;
    if (i === to) return true;
  }
  for (;;) {
    const start = i;
    while (i < to && i - start < 5 && isHexDigit(v.charCodeAt(i))) i++;
    if (i < to && v.charCodeAt(i) === 46) {
      // A dotted quad ends the address and stands for two groups.
      if (!isDottedQuad(v, start, to)) return false;
      groups += 2;
      break;
    }
    if (i === start || i - start > 4) return false;
    groups++;
    if (i === to) break;
    if (v.charCodeAt(i) !== 58) return false;
    i++;
    if (i < to && v.charCodeAt(i) === 58) {
      if (gap) return false;
      gap = true;
      i++;
      if (i === to) break;
    } else if (i === to) return false;
  }
  return gap ? groups <= 7 : groups === 8;
}

/** 4 for an IPv4 address, 6 for an IPv6 one (a zone id allowed: `fe80::1%eth0`), 0 otherwise: node:net's isIP. */
export function addressFamily(v: string): 0 | 4 | 6 {
  if (isDottedQuad(v)) return 4;
  let to = v.indexOf('%');
  if (to === -1) to = v.length;
  else {
    if (to === v.length - 1) return 0;
    for (let i = to + 1; i < v.length; i++) if (!isZoneChar(v.charCodeAt(i))) return 0;
  }
  return isIPv6(v, to) ? 6 : 0;
}

/**
 * An IPv4 address written as IPv6 (`::ffff:192.0.2.1`, what a dual-stack socket hands nginx and Apache) as the IPv4
 * address it is, so one client counts once and a block on it stops its IPv4 traffic; any other text as it is.
 */
export function unmapIPv4(v: string): string {
  const m = /^(?:0{0,4}:){2,6}ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i.exec(v);
  return m && isDottedQuad(m[1]!) && addressFamily(v) === 6 ? m[1]! : v;
}
