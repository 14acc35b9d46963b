// Linux-PAM's lines, written under whichever program loaded the module: shared by the sshd, sudo and login packs.
// Since Linux-PAM 0.99.1 pam_syslog() prefixes `pam_unix(SERVICE:auth): `; before, the module was in the tag
// (`su(pam_unix)[1]:`) and the message starts at the text.
import type { PatternCheck } from '../../core/types.js';

/** pam_strerror()'s texts (libpam/pam_strerror.c), the closed set that ends many failure lines. */
export const PAM_ERRORS = [
  'Authentication failure',
  'User not known to the underlying authentication module',
  'Have exhausted maximum number of retries for service',
  'Permission denied',
  'Insufficient credentials to access authentication data',
  'Authentication service cannot retrieve authentication info',
  'Authentication token is no longer valid; new one required',
  'User account has expired',
  'Authentication token expired',
  'Conversation error',
  'Critical error - immediate abort',
  'System error',
  'Memory buffer error',
  'Bad item passed to pam_\\*_item\\(\\)',
  'Module is unknown',
  'Authentication token manipulation error',
  'Authentication information cannot be recovered',
  'Authentication token lock busy',
  'Authentication token aging disabled',
  'Failed preliminary check by password service',
  'The return value should be ignored by PAM dispatch',
  'Unknown PAM error',
] as const;

export const PAM_ERROR = `(?:${PAM_ERRORS.map((e) => e.replace(/[.;]/g, (c) => `\\${c}`)).join('|')})`;

export const MODULE = 'pam_[a-z0-9_]{1,32}';

/** `pam_unix(su:auth): ` for the given services (a regex alternation), or nothing (the old tag form). */
export const pamPrefix = (services: string) => `(?:${MODULE}\\((?:${services}):auth\\): )?`;

/** Any service name (display managers, login, remote…). */
export const ANY_SERVICE = '[A-Za-z0-9_.@-]{1,64}';

/**
 * pam_unix's (and pam_sss's, pam_ldap's) `authentication failure; logname=%s uid=%d euid=%d tty=%s ruser=%s
 * rhost=%s  user=%s` (modules/pam_unix/support.c _unix_verify_password): two spaces before user=, a trailing space
 * when there is no user. `names` says which capture each field goes to; the user comes last, after the address.
 */
export function pamAuthFailure(
  services: string,
  names: { ruser?: string; rhost?: string; rhostPattern?: string; user?: string } = {},
): string {
  return `${pamPrefix(services)}authentication failure; ${pamFields(names)}`;
}

/**
 * The same line where the program set PAM_RUSER to the caller and the user to the account whose password is asked
 * (sudo with targetpw, polkit's helper asking for root's): the caller is `user`, the account `target`. Lines without
 * a ruser are left to pamAuthFailure.
 */
export function pamAuthFailureByCaller(services: string, caller: 'ruser' | 'logname' = 'ruser'): string {
  // The module's prefix names the service: without it (an old `x(pam_unix)` tag) the line could be any service's.
  return `${MODULE}\\((?:${services}):auth\\): authentication failure; ${pamFields({ [caller]: 'user', user: 'target' }, caller)}`;
}

/**
 * `logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s  user=%s` with each field into the named capture;
 * `rhostPattern` replaces the rhost value's pattern (and brings its own captures).
 */
function pamFields(
  names: { logname?: string; ruser?: string; rhost?: string; rhostPattern?: string; user?: string },
  required?: 'ruser' | 'logname',
): string {
  const group = (name: string | undefined, body: string) => (name ? `(?<${name}>${body})` : body);
  const rhost = names.rhostPattern ?? group(names.rhost, '\\S{1,256}');
  const logname = required === 'logname' ? group(names.logname, '\\S{1,256}') : '\\S{0,256}';
  return `logname=${logname} uid=\\d{0,10} euid=\\d{0,10} tty=\\S{0,256} ruser=(?:${group(names.ruser, '\\S{1,256}')})${required === 'ruser' ? '' : '?'} rhost=(?:${rhost})? {0,2}(?:user=(?:${group(names.user, '.{1,256}?')})?)? {0,4}$`;
}

/**
 * Linux-PAM's audit record of a stack that failed (libpam/pam_audit.c _pam_audit_writelog() through libaudit
 * audit_log_acct_message(): `op=PAM:%s grantors=%s acct="%s" exe=%s hostname=%s addr=%s terminal=%s res=failed`) as
 * the envelope gives it (`subj=… msg='op=…'`), up to its executable. The account goes to `account` when named
 * (libaudit hex-encodes one holding a space or a quote, and writes `"?"` for an unknown user); `domain`, the SELinux
 * type the kernel must have written as the sender's subject.
 */
export const pamAuditRecord = (op: string, account?: string, domain?: string) =>
  `${domain ? `subj=[\\w.-]{1,64}:[\\w.-]{1,64}:${domain}(?::\\S{1,128})? ` : '(?:subj=\\S{1,256} )?'}msg='op=PAM:${op}(?: grantors=\\S{1,4096})? acct=(?:"\\?"|"${account ? `(?<${account}>[^"]{1,256})` : '[^"]{1,256}'}"|[0-9A-F]{1,512}) exe="[^"]{1,4096}"`;

/** `N more authentication failure(s); logname=… user=…` at pam_end, after failures already logged one by one. */
export function pamMoreFailures(
  services: string,
  names: { logname?: string; ruser?: string; rhost?: string; rhostPattern?: string; user?: string; more?: string } = {},
  required?: 'ruser',
): string {
  const more = names.more ? `(?<${names.more}>\\d{1,5})` : '\\d{1,5}';
  return `(?:PAM |${MODULE}\\((?:${services}):auth\\): )?${more} more authentication failures?; ${pamFields(names, required)}`;
}

/**
 * Other PAM modules' refusals of one attempt, under the given services' auth stage, without an address: each is one
 * attempt, the same as the program's own failure line that may follow. The account tried goes to the `account`
 * capture: `user` where it is the one counted, `target` where the module names someone else (su's target, the admin
 * polkit asks for).
 */
export const pamModuleRefusals = (services: string, account = 'user'): { re: string; from: string }[] => [
  {
    re: `pam_sss\\((?:${services}):auth\\): received for user (?<${account}>.{0,256}?): (?:7 \\(Authentication failure\\)|10 \\(User not known to the underlying authentication module\\))$`,
    from: 'sssd src/sss_client/pam_sss.c send_and_receive(): "received for user %s: %d (%s)" (7 and 10 only)',
  },
  {
    re: `pam_ldap\\((?:${services}):auth\\): (?:Authentication failure|User not known to the underlying authentication module); user=(?<${account}>.{0,256})$`,
    from: 'nss-pam-ldapd pam/pam.c: pam_syslog("%s; user=%s", pam_strerror(), username)',
  },
  {
    re: `pam_unix\\((?:${services}):auth\\): bad username \\[(?<${account}>.{0,256})\\]$`,
    from: 'Linux-PAM modules/pam_unix/pam_unix_auth.c: "bad username [%s]" (a name starting with "-" or "+")',
  },
  {
    re: `pam_listfile\\((?:${services}):auth\\): Refused user (?<${account}>.{0,256}?) for service \\S{1,64}$`,
    from: 'Linux-PAM modules/pam_listfile/pam_listfile.c: "Refused user %s for service %s"',
  },
  {
    re: `(?:pam_google_authenticator\\((?:${services}):auth\\): )?Invalid verification code for (?<${account}>.{0,256})$`,
    from: 'google-authenticator-libpam pam_google_authenticator.c: log_message("Invalid verification code for %s") under the "service(pam_google_authenticator)" tag',
  },
];

/**
 * pam_succeed_if's unmet requirement: a refusal only where the stack reaches it after pam_unix failed (RHEL's
 * password-auth for sshd: `uid >= 1000 quiet_success`); display managers log it for their nopasswdlogin check at every
 * login, so only the services that ask for it read it.
 */
export const pamSucceedIfRefusal = (services: string): { re: string; from: string } => ({
  // Only the uid test RHEL stacks after pam_unix: a group test before a second factor logs "not met" at every login.
  re: `pam_succeed_if\\((?:${services}):auth\\): requirement "uid >= \\d{1,10}" not met by user "(?<user>.{0,256})"$`,
  from: 'Linux-PAM modules/pam_succeed_if/pam_succeed_if.c: "requirement \\"%s\\" not met by user \\"%s\\"" (RHEL\'s password-auth: uid >= 1000 after pam_unix failed)',
});

/** samba's pam_winbind refusing a domain account's password (AD-joined hosts). */
export const pamWinbindRefusal = (services: string, account = 'user'): { re: string; from: string } => ({
  re: `pam_winbind\\((?:${services}):auth\\): user '(?<${account}>[^']{1,256})' denied access \\(incorrect password or invalid membership\\)$`,
  from: 'samba nsswitch/pam_winbind.c _pam_winbind_auth_log(): "user \'%s\' denied access (incorrect password or invalid membership)" (PAM_AUTH_ERR)',
});

/**
 * pam_faillock (Linux-PAM ≥ 1.4, and RHEL's backport) and pam_tally2 / pam_tally locking an account: pam_tally2
 * writes its line at every check with `debug`, a lockout only once the tally is above deny (tally_check()).
 */
export const pamLockout = (services: string): { re: string; check?: PatternCheck }[] => [
  {
    re: `${MODULE}\\((?:${services}):\\w{1,16}\\): Consecutive login failures for user (?<user>\\S{1,256}) account temporarily locked$`,
  },
  {
    re: `pam_tally2?\\((?:${services}):\\w{1,16}\\): user (?<user>\\S{1,256}) \\(\\d{1,10}\\) tally (?<tally>\\d{1,5}), deny (?<deny>\\d{1,5})$`,
    check: 'tally-over-deny',
  },
];
