// A built-in pack is a list of rules written once, so `rules: [{use: sshd, source: auth}]` is all a config needs. Each
// pattern reads the message of the programs its rule names, from the message's start, and says which source file and
// format string of that program it comes from.
import type { EventType, FieldType, PatternCheck, Severity } from '../../core/types.js';
import type { WebCategory } from '../web/web-signatures.js';

export interface MessagePattern {
  /** A regular expression over the program's message, matched from its start (the compiler anchors it). */
  re: string;
  /** The program's source file and the format string that writes this message. */
  from: string;
  /**
   * How it counts beside the same process's other lines, so one attempt that logs several lines counts once: `pam` is
   * a PAM module's failure, which the program follows with its own line for the attempt (`after-pam`); `follow-up` is
   * a further line about the attempt just reported (shadow su's `- /dev/pts/0 alice:root` after `FAILED su for`);
   * `pam-more` is pam_unix's tally at pam_end of the failures after the first (`timesFrom` them), which the program's
   * own line may already have reported (sudo's `3 incorrect password attempts`; sudo-rs writes none).
   */
  counts?: 'pam' | 'after-pam' | 'follow-up' | 'pam-more';
  /** The line stands for as many attempts as this capture says (sudo's `3 incorrect password attempts`). */
  timesFrom?: string;
  /** The message names no address: it is the one the same process named before (sshd's pid is the connection). */
  ipFromProcess?: true;
  /** The address is the client the web server wrote outside the message (Apache's `[client …]`). */
  ipFromClient?: true;
  /** This capture is the line's program when the pattern did not capture it (a PAM line's service, in old forms). */
  programAs?: string;
  /** What the match must also pass to count (see PatternCheck). */
  check?: PatternCheck;
  /** What the incident says the line was, when the pattern captures no `detail` of its own. */
  detail?: string;
}

interface PackRuleBase {
  /** Appended to the pack's id prefix: `sshd` + `` → `sshd`, `nginx` + `probe` → `nginx-probe`. */
  suffix: string;
  severity: Severity;
  threshold: { count: number; within: number; by: string[] };
  dedupe?: { by: string[]; within: number };
  title: string;
  /** What a match means to detectors. */
  event: EventType;
  /** It opens nothing itself: its matches are events for the detectors (a login that succeeded). */
  quiet?: true;
}

export interface MessagePackRule extends PackRuleBase {
  kind: 'message';
  /** The programs whose messages it reads, as their log tags name them. */
  programs: readonly string[];
  patterns: MessagePattern[];
  fields: Record<string, FieldType>;
}

/** A category of the web access-log classifier, with its own threshold. */
export interface WebPackRule extends PackRuleBase {
  kind: 'web';
  category: WebCategory;
  /** The web server's own error-log lines of the same category, read from the messages of these programs. */
  errors?: { programs: readonly string[]; patterns: MessagePattern[] };
}

export type PackRule = MessagePackRule | WebPackRule;

/** An IPv4 or IPv6 address as logs print it (ending in a digit, so a trailing ":" stays out); the `ip` type checks it. */
export const IP = '[0-9A-Fa-f:.]{1,45}[0-9A-Fa-f]';

/**
 * Where a program writes the canonical host name (sshd's UseDNS, a PAM rhost) or the address: a name is shown, never
 * counted as one. An address is four dotted numbers (IPv4) or starts with a hex group and ":" (IPv6): `bad.cafe` and
 * `123.cafe` are names; a link-local address's scope (`fe80::1%eth0`) is not part of it.
 */
export const ADDRESS_OR_NAME = `(?:(?=\\d{1,3}(?:\\.\\d{1,3}){3}(?![\\w.-])|[0-9A-Fa-f]{0,4}:)(?<ip>${IP})(?:%[\\w.-]{1,32})?|(?<host>[A-Za-z0-9][A-Za-z0-9.-]{0,252}))`;

export const MINUTE = 60_000;
