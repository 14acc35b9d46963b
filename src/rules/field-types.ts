// What each capture type accepts. A value that passes here is safe to show and, later, to pass to a command as one
// argv element: no spaces, no leading "-", no shell or Slack metacharacters — except `text`, which is only shown.
import { addressFamily, isDottedQuad } from '../core/address-family.js';
import type { FieldType } from '../core/types.js';

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** An address as node:net reads it, without an IPv6 zone id (`fe80::1%eth0` names an interface, not a host). */
function isAddress(v: string): boolean {
  return isDottedQuad(v) || (!v.includes('%') && addressFamily(v) !== 0);
}

// What inet_aton reads as an address: `0x7f000001`, `2130706433`, `0177.1`, `127.1` all reach 127.0.0.1 when a
// command resolves the "host" it is given.
const NUMERIC_HOST = /^(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){0,3}\.?$/i;

function isHost(v: string): boolean {
  if (isAddress(v)) return true;
  if (v.length > 253 || NUMERIC_HOST.test(v)) return false;
  const labels = (v.endsWith('.') ? v.slice(0, -1) : v).split('.');
  return labels.every((l) => HOST_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

function isCidr(v: string): boolean {
  const slash = v.indexOf('/');
  if (slash < 0) return false;
  const address = v.slice(0, slash);
  const version = isAddress(address) ? addressFamily(address) : 0;
  const bits = v.slice(slash + 1);
  // No leading zeros: iptables reads /016 as octal (/14).
  if (version === 0 || !/^(?:0|[1-9]\d{0,2})$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

// A login name as the passwd database gives it, or as a directory service does: SSSD's fully qualified
// `alice@corp.example.com` (what `realm join` sets up) and winbind's `CORP\alice`. None of "@", "\" and "." is
// read by a command that takes a user (no shell ever sees it), and the name part keeps a letter.
const LOGIN_NAME =
  /^(?:(?<domain>[A-Za-z0-9][A-Za-z0-9_.-]{0,62})\\)?(?<name>[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\$?)(?:@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?){0,8})?$/;

function isLoginName(v: string): boolean {
  const m = LOGIN_NAME.exec(v);
  return m !== null && /[A-Za-z]/.test(m.groups!.name!);
}

/** A name of this host's passwd database: what a command here (usermod, pkill -u) may be given. */
const LOCAL_LOGIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\$?$/;

function isLocalLoginName(v: string): boolean {
  return LOCAL_LOGIN_NAME.test(v) && /[A-Za-z]/.test(v);
}

export const FIELD_VALIDATORS: Record<FieldType, (value: string) => boolean> = {
  ip: isAddress,
  cidr: isCidr,
  // POSIX-ish login names, plus the trailing $ of machine accounts and a directory's domain; with a letter, as a name
  // of digits alone is read as a uid by pkill -u, chown and the like (`0` is root).
  user: isLoginName,
  host: isHost,
  port: (v) => /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65_535,
  // No sign: `kill -TERM -1` signals every process.
  int: (v) => /^\d{1,15}$/.test(v),
  signed: (v) => /^-?\d{1,15}$/.test(v),
  word: (v) => /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,255}$/.test(v),
  text: () => true,
};

export const FIELD_TYPE_HELP: Record<FieldType, string> = {
  ip: 'an IPv4 or IPv6 address (without a zone id)',
  cidr: 'an address with a prefix length, like 10.0.0.0/8',
  user: 'a login name: letters, digits, "_", "." or "-", not starting with "-", with at least one letter; maybe with a directory\'s domain (alice@corp.example.com, CORP\\alice)',
  host: 'a host name or an IP address (not a number such as 0x7f000001)',
  port: 'a port number from 1 to 65535',
  int: 'a whole number without a sign',
  signed: 'a whole number, maybe negative (shown, never passed to a command)',
  word: 'letters, digits, "_", "." or "-", not starting with "-"',
  text: 'any text (shown, never passed to a command)',
};

export function isValidField(type: FieldType, value: string): boolean {
  return FIELD_VALIDATORS[type](value);
}

/**
 * Whether a value may go into a command as its type: as isValidField, but a user must be a local login name (a
 * directory's `alice@corp.example.com` or `CORP\alice` is counted and shown, and locked in the directory, not here).
 */
export function isRunnableField(type: FieldType, value: string): boolean {
  return type === 'user' ? isLocalLoginName(value) : isValidField(type, value);
}

export const RUNNABLE_TYPE_HELP: Record<FieldType, string> = {
  ...FIELD_TYPE_HELP,
  user: 'a local login name: letters, digits, "_", "." or "-", at most 32, not starting with "-", with at least one letter (a directory account is locked in its directory)',
};
