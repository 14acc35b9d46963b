// What each capture type accepts. A value that passes here is safe to show and, later, to pass to a command as one
// argv element: no spaces, no leading "-", no shell or Slack metacharacters — except `text`, which is only shown.
import { isIP } from 'node:net';
import type { FieldType } from '../core/types.js';

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** `a.b.c.d`, each 0–255 without leading zeros: the common case, read without a pattern. */
function isDottedQuad(v: string): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= v.length; i++) {
    const c = i === v.length ? 46 : v.charCodeAt(i);
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

function isHost(v: string): boolean {
  if (isIP(v) !== 0) return true;
  if (v.length > 253) return false;
  const labels = (v.endsWith('.') ? v.slice(0, -1) : v).split('.');
  return labels.every((l) => HOST_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

function isCidr(v: string): boolean {
  const slash = v.indexOf('/');
  if (slash < 0) return false;
  const version = isIP(v.slice(0, slash));
  const bits = v.slice(slash + 1);
  if (version === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

export const FIELD_VALIDATORS: Record<FieldType, (value: string) => boolean> = {
  ip: (v) => isDottedQuad(v) || isIP(v) !== 0,
  cidr: isCidr,
  // POSIX-ish login names, plus the trailing $ of machine accounts.
  user: (v) => /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\$?$/.test(v),
  host: isHost,
  port: (v) => /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65_535,
  int: (v) => /^-?\d{1,15}$/.test(v),
  word: (v) => /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,255}$/.test(v),
  text: () => true,
};

export const FIELD_TYPE_HELP: Record<FieldType, string> = {
  ip: 'an IPv4 or IPv6 address',
  cidr: 'an address with a prefix length, like 10.0.0.0/8',
  user: 'a login name: letters, digits, "_", "." or "-", at most 32, not starting with "-"',
  host: 'a host name or an IP address',
  port: 'a port number from 1 to 65535',
  int: 'a whole number',
  word: 'letters, digits, "_", "." or "-", not starting with "-"',
  text: 'any text (shown, never passed to a command)',
};

export function isValidField(type: FieldType, value: string): boolean {
  return FIELD_VALIDATORS[type](value);
}
