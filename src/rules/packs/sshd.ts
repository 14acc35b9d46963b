// OpenSSH authentication failures as Debian and Ubuntu log them (syslog or journal, sshd or sshd-session).
// Patterns end with $ so a user name like "x from 6.6.6.6 port 22 ssh2" cannot pose as the client address.
import { IP, MINUTE, type PackRule, SSHD } from './pack.js';

const USER = '(?<user>.{0,256}?)';
const PREAUTH = '(?: \\[preauth\\])?$';

export const SSHD_PATTERNS = [
  `${SSHD}Failed (?:password|keyboard-interactive/pam) for (?:invalid user )?${USER} from (?<ip>${IP}) port \\d{1,5}(?: ssh2)?${PREAUTH}`,
  `${SSHD}Invalid user ${USER} from (?<ip>${IP})(?: port \\d{1,5})?${PREAUTH}`,
  `${SSHD}pam_unix\\(sshd:auth\\): authentication failure; logname=\\S{0,256} uid=\\d{0,10} euid=\\d{0,10} tty=\\S{0,64} ruser=\\S{0,256} rhost=(?<ip>${IP})(?:  ?user=(?<user>\\S{0,256}))?\\s{0,8}$`,
  `${SSHD}error: maximum authentication attempts exceeded for (?:invalid user )?${USER} from (?<ip>${IP}) port \\d{1,5} ssh2${PREAUTH}`,
  `${SSHD}Disconnecting (?:authenticating|invalid) user ${USER} (?<ip>${IP}) port \\d{1,5}: Too many authentication failures${PREAUTH}`,
  `${SSHD}ROOT LOGIN REFUSED FROM (?<ip>${IP})(?: port \\d{1,5})?${PREAUTH}`,
  `${SSHD}User ${USER} from (?<ip>${IP}) not allowed because (?:not listed in AllowUsers|listed in DenyUsers|not in any group|a group is listed in DenyGroups|none of user's groups are listed in AllowGroups)${PREAUTH}`,
];

/** Disconnects of users still authenticating: bots, but also clients that try several keys. */
export const SSHD_AGGRESSIVE_PATTERNS = [
  `${SSHD}(?:Connection closed by|Disconnected from) (?:authenticating|invalid) user ${USER} (?<ip>${IP}) port \\d{1,5} \\[preauth\\]$`,
];

const base = {
  suffix: '',
  fields: { ip: 'ip', user: 'text', pid: 'int' },
  severity: 'high',
  threshold: { count: 5, within: 10 * MINUTE, by: ['ip'] },
  // One password attempt logs a pam_unix line and a "Failed password" line from the same process within a second;
  // attempts on one connection are at least PAM's 2-second delay apart.
  dedupe: { by: ['pid'], within: 1000 },
  title: 'SSH brute force from {ip}',
} as const satisfies Omit<PackRule, 'patterns'>;

export const sshdPack: PackRule[] = [{ ...base, fields: { ...base.fields }, patterns: SSHD_PATTERNS }];

export const sshdAggressivePack: PackRule[] = [
  { ...base, fields: { ...base.fields }, patterns: [...SSHD_PATTERNS, ...SSHD_AGGRESSIVE_PATTERNS] },
];
