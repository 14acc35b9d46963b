// A built-in pack is a list of rules written once, so `rules: [{use: sshd, source: auth}]` is all a config needs.
import type { FieldType, Severity } from '../../core/types.js';

export interface PackRule {
  /** Appended to the pack's id prefix: `sshd` + `` → `sshd`, `nginx` + `scan` → `nginx-scan`. */
  suffix: string;
  patterns: string[];
  fields: Record<string, FieldType>;
  severity: Severity;
  threshold: { count: number; within: number; by: string[] };
  dedupe?: { by: string[]; within: number };
  title: string;
}

/** An IPv4 or IPv6 address as logs print it (ending in a digit, so a trailing ":" stays out); the `ip` type checks it. */
export const IP = '[0-9A-Fa-f:.]{1,44}[0-9A-Fa-f]';
/** The program tag of a syslog or journal line: `sshd[123]: ` or, since OpenSSH 9.8, `sshd-session[123]: `. */
export const SSHD = '\\bsshd(?:-session)?\\[(?<pid>\\d{1,10})\\]: ';

export const MINUTE = 60_000;
