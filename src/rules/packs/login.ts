// Failed su, console and display-manager logins, and accounts locked after failures: util-linux and shadow su and
// login, BusyBox, BSD su, Solaris/illumos, gdm/lightdm/sddm and screen lockers through PAM. User names typed at a
// login prompt are free text, so every user capture is anchored on the fixed text after it (the closed set of
// pam_strerror() texts, a closing quote, the end of the line); util-linux's login, whose reason libpam translates, is
// the exception: its reason is any text without a comma or one of libpam's translations that hold one, and a split
// that leaves `, ` in the user is refused by the user type.
import { LOGIN_TRANSLATIONS, PAM_REASONS_WITH_COMMA } from './login-translations.js';
import { type MessagePackRule, MINUTE } from './pack.js';
import {
  ANY_SERVICE,
  PAM_ERROR,
  pamAuthFailure,
  pamAuthFailureByCaller,
  pamLockout,
  pamModuleRefusals,
  pamMoreFailures,
  pamWinbindRefusal,
} from './pam.js';

const SU_SERVICES = 'su|su-l|runuser|runuser-l';
/** Every service but polkit's, whose PAM user is not the caller. */
const NOT_POLKIT = `(?!polkit-1:)${ANY_SERVICE}`;
/** A module's line that names the account tried as the target (never the caller) is counted for no one. */
const targetRefusals = (services: string) =>
  [...pamModuleRefusals(services, 'target'), pamWinbindRefusal(services, 'target')].map((p) => ({
    ...p,
    counts: 'pam' as const,
  }));

// `su-l`: the tag of PAM modules that log under their service's name (google-authenticator-libpam) for `su -`.
const SU_PROGRAMS = ['su', 'runuser', 'su-l'];
/** Programs that log people in, by their log tags; gdm's worker is named `gdm-session-worker [pam/gdm-password]`. */
const LOGIN_PROGRAMS = [
  'login',
  'gdm',
  'gdm-password',
  'gdm-fingerprint',
  'gdm-smartcard',
  'gdm-session-worker',
  'lightdm',
  'sddm',
  'sddm-helper',
  'kdm',
  'xdm',
  'lxdm',
  'slim',
  'mdm',
  'unix_chkpwd',
  'polkit-agent-helper-1',
  'cockpit-session',
  'kcheckpass',
  'kscreenlocker_greet',
  'kscreenlocker_worker',
  'xscreensaver',
  'xscreensaver-auth',
  'gnome-screensaver',
  'gnome-screensaver-dialog',
  'mate-screensaver',
  'mate-screensaver-dialog',
  'xfce4-screensaver-dialog',
  'cinnamon-screensaver-pam-helper',
  'i3lock',
  'swaylock',
  'vlock',
];

// util-linux's login logs under the system's locale and libpam translates pam_strerror() ("FAILED LOGIN 1 FROM tty1
// FOR root, Fehler bei Authentifizierung"): the reason is any text without an ASCII comma (the line is a failure
// whatever it says; the other scripts' commas, ，、،, may be in it), or one of libpam's translations that hold one. The
// user typed at the prompt is read up to the first comma that leaves such a reason: a typed name holding ", " and more
// stays whole, and a translated reason holding ", " is not taken for part of the user.
const escapeLiteral = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const LOCALIZED_PAM_ERROR = `(?:${PAM_REASONS_WITH_COMMA.map(escapeLiteral).join('|')}|[^,]{1,128})`;

/** What each of login's failure formats prints, in its argument order. */
const LOGIN_FORMAT_ARGUMENTS: Record<string, readonly ('count' | 'from' | 'user' | 'reason')[]> = {
  'FAILED LOGIN %u FROM %s FOR %s, %s': ['count', 'from', 'user', 'reason'],
  'TOO MANY LOGIN TRIES (%u) FROM %s FOR %s, %s': ['count', 'from', 'user', 'reason'],
  'FAILED LOGIN SESSION FROM %s FOR %s, %s': ['from', 'user', 'reason'],
};
const ARGUMENT_PATTERNS = {
  count: '(?<count>\\d{1,10})',
  from: '(?<from>\\S{1,256})',
  user: '(?:\\(unknown\\)|(?<user>.{0,256}?))',
  reason: LOCALIZED_PAM_ERROR,
};

/**
 * A translated format as a pattern: its text literal, each conversion (`%u`, `%s`, or numbered like `%3$s` where the
 * translation reorders them) the pattern of the argument it prints. Undefined for a translation that does not print
 * each argument once (gettext would print garbage there).
 */
export function translatedLoginPattern(msgid: string, msgstr: string): string | undefined {
  const args = LOGIN_FORMAT_ARGUMENTS[msgid];
  if (!args) return undefined;
  const printed = new Set<string>();
  let next = 0;
  let at = 0;
  let pattern = '';
  for (const m of msgstr.matchAll(/%(?:(\d)\$)?([usd%])/g)) {
    pattern += escapeLiteral(msgstr.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[2] === '%') {
      pattern += '%';
      continue;
    }
    const arg = args[m[1] ? Number(m[1]) - 1 : next++];
    if (!arg || printed.has(arg)) return undefined;
    printed.add(arg);
    pattern += ARGUMENT_PATTERNS[arg];
  }
  pattern += escapeLiteral(msgstr.slice(at));
  return printed.size === args.length ? `${pattern}$` : undefined;
}

// In English (2.22–2.42; `%d` before 2.22, the same text), then as each language writes them.
const utilLinuxLoginFailures = [
  ...Object.keys(LOGIN_FORMAT_ARGUMENTS).map((msgid) => ({ msgid, msgstr: msgid, from: 'login-utils/login.c' })),
  ...LOGIN_TRANSLATIONS.map((t) => ({ ...t, from: `po/${t.language}.po` })),
].flatMap(({ msgid, msgstr, from }) => {
  const re = translatedLoginPattern(msgid, msgstr);
  return re ? [{ re, from: `util-linux ${from} loginpam_auth(): "${msgstr}"`, counts: 'after-pam' as const }] : [];
});

export const loginPack: MessagePackRule[] = [
  {
    kind: 'message',
    suffix: 'su',
    programs: SU_PROGRAMS,
    patterns: [
      {
        re: 'FAILED (?:SU|RUNUSER) \\(to (?<target>\\S{1,256})\\) (?<user>\\S{1,256})? ?on (?<tty>\\S{1,256})$',
        from: 'util-linux login-utils/su-common.c log_syslog(): "%s(to %s) %s on %s" with "FAILED SU " (2.22–2.42)',
        counts: 'after-pam',
      },
      {
        re: 'FAILED su for (?<target>.{1,256}?) by (?<user>\\S{1,256})$',
        from: 'shadow lib/sulog.c sulog(): "FAILED su for %s by %s" (4.1.5–4.20)',
        counts: 'after-pam',
      },
      {
        re: '- (?<tty>\\S{1,256}) (?<user>[^\\s:]{1,256}):(?<target>.{1,256})$',
        from: 'shadow src/su.c su_failure(): "- %s %s:%s"; BusyBox loginutils/su.c "%c %s %s:%s"',
        counts: 'follow-up',
      },
      {
        re: `pam_authenticate: ${PAM_ERROR}$`,
        from: 'shadow src/su.c check_perms_pam(): "pam_authenticate: %s" (pam_strerror)',
      },
      {
        re: 'Authentication failed for (?<target>.{1,256})$',
        from: 'shadow src/su.c check_perms_nopam(): "Authentication failed for %s" (builds without PAM)',
      },
      {
        re: "No passwd entry for user '(?<target>.{0,256})'$",
        from: 'shadow src/su.c check_perms(): "No passwd entry for user \'%s\'"',
      },
      {
        re: 'BAD SU (?<user>\\S{1,256}) to (?<target>\\S{1,256})(?: on (?<tty>\\S{1,256}))?$',
        from: 'BSD usr.bin/su/su.c: "BAD SU %s to %s%s" (ontty(): " on %s")',
      },
      {
        re: "'su (?<target>\\S{1,256})' failed for (?<user>\\S{1,256}) on (?<tty>\\S{1,256})$",
        from: 'illumos usr/src/cmd/su/su.c: "\'su %s\' failed for %s on %s" ([ID 810491 auth.crit])',
      },
      {
        re: pamAuthFailure(SU_SERVICES, { ruser: 'user', user: 'target' }),
        from: 'Linux-PAM modules/pam_unix/support.c: "authentication failure; logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s %s%s", service su or su-l',
        counts: 'pam',
      },
      {
        re: pamMoreFailures(SU_SERVICES, { ruser: 'user', user: 'target' }),
        from: 'Linux-PAM modules/pam_unix/support.c _cleanup_failures(): "%d more authentication failure%s; … ruser=%s rhost=%s  user=%s" at pam_end',
        counts: 'follow-up',
      },
      // Under su the account tried is the target.
      ...targetRefusals(SU_SERVICES),
    ],
    fields: { user: 'user', target: 'text', tty: 'text' },
    severity: 'medium',
    threshold: { count: 3, within: 10 * MINUTE, by: ['user'] },
    title: 'su failures by {user}',
    event: 'auth.failure',
  },
  {
    kind: 'message',
    suffix: 'pkexec',
    programs: ['pkexec'],
    patterns: [
      {
        // CVE-2021-4034 (PwnKit): pkexec started with an empty argv reads its environment as arguments. Polkit 121
        // fixed it and reworded the first line ("not found in"), which then only means a shell missing from the list.
        re: '(?<user>[^\\s:]{1,256}): (?:The value for the SHELL variable was not found the /etc/shells file|The value for environment variable [A-Z_]{1,64} contains suscipious content)(?: \\[USER=(?<target>[^\\]\\s]{1,256})\\])?',
        from: 'polkit src/programs/pkexec.c validate_environment_variable() (≤ 0.120): log_message("The value for the SHELL variable was not found the /etc/shells file"), "The value for environment variable %s contains suscipious content" (sic)',
      },
      {
        // The caller's passwd name, then the target's; TTY, CWD and COMMAND after them are the caller's own text.
        re: '(?<user>[^\\s:]{1,256}): Error executing command as another user: Not authorized(?: \\[USER=(?<target>[^\\]\\s]{1,256})\\])?',
        from: 'polkit src/programs/pkexec.c log_message(): "%s: %s [USER=%s] [TTY=%s] [CWD=%s] [COMMAND=%s]" with "Error executing command as another user: Not authorized"',
      },
    ],
    fields: { user: 'user', target: 'user' },
    severity: 'medium',
    threshold: { count: 3, within: 10 * MINUTE, by: ['user'] },
    title: 'pkexec refused for {user}',
    event: 'privilege.denied',
  },
  {
    kind: 'message',
    suffix: '',
    programs: LOGIN_PROGRAMS,
    patterns: [
      ...utilLinuxLoginFailures,
      {
        re: `FAILED LOGIN \\((?<count>\\d{1,10})\\) on '(?<tty>[^']{0,256})'(?: from '(?<from>[^']{0,256})')? FOR '(?<user>.{0,256})', ${PAM_ERROR}$`,
        from: "shadow src/login.c: \"FAILED LOGIN (%u)%s FOR '%s', %s\" with fromhost \" on '%.100s'[ from '%.200s']\"",
        counts: 'after-pam',
      },
      {
        re: "TOO MANY LOGIN TRIES \\((?<count>\\d{1,10})\\) on '(?<tty>[^']{0,256})'(?: from '(?<from>[^']{0,256})')? FOR '(?<user>.{0,256})'$",
        from: 'shadow src/login.c: "TOO MANY LOGIN TRIES (%u)%s FOR \'%s\'"',
        counts: 'follow-up',
      },
      {
        re: "invalid password for '(?<user>.{0,256})' {1,2}on '(?<tty>[^']{0,256})'(?: from '(?<from>[^']{0,256})')?$",
        from: 'shadow src/login.c (no PAM): "invalid password for \'%s\' %s"; BusyBox loginutils/login.c "invalid password for \'%s\'%s"',
        counts: 'after-pam',
      },
      {
        re: "ILLEGAL ROOT LOGIN {1,2}on '(?<tty>[^']{0,256})'(?: from '(?<from>[^']{0,256})')?$",
        from: 'shadow src/login.c (no PAM): "ILLEGAL ROOT LOGIN %s"',
      },
      {
        re: "LOGIN '(?<user>.{0,256})' REFUSED {1,2}on '(?<tty>[^']{0,256})'(?: from '(?<from>[^']{0,256})')?$",
        from: 'shadow src/login.c (no PAM): "LOGIN \'%s\' REFUSED %s"',
      },
      {
        re: "REPEATED login failures {0,2}on '(?<tty>[^']{0,256})'(?: from '(?<from>[^']{0,256})')?$",
        from: 'shadow src/login.c (no PAM): "REPEATED login failures%s"',
        counts: 'follow-up',
      },
      {
        re: 'pam_(?:authenticate|acct_mgmt|chauthtok|setcred|open_session) call failed: (?<reason>.{1,256}) \\(\\d{1,4}\\)$',
        from: 'BusyBox loginutils/login.c: "pam_%s call failed: %s (%d)"',
      },
      {
        re: 'Login failure on (?<tty>\\S{1,256})(?: from (?<from>\\S{1,256}))?(?:, (?<user>.{1,256}))?$',
        from: 'illumos usr/src/cmd/login/login.c log_bad_attempts(): "Login failure on %s[ from %.*s][, %.*s]" ([ID 507249/821011/143248/640156])',
        counts: 'after-pam',
      },
      {
        re: 'REPEATED LOGIN FAILURES ON (?<tty>\\S{1,256})(?: FROM (?<from>\\S{1,256}))?(?:, (?<user>.{1,256}))?$',
        from: 'illumos usr/src/cmd/login/login.c login_authenticate(): "REPEATED LOGIN FAILURES ON %s[ FROM %.*s][, %.*s]" ([ID 658745/561941/760094/446407])',
        counts: 'follow-up',
      },
      {
        re: `\\[PAM\\] authenticate: ${PAM_ERROR}$`,
        from: 'sddm src/helper/backend/PamHandle.cpp: "[PAM] authenticate:" << pam_strerror()',
      },
      {
        re: 'password check failed for user \\((?<user>.{0,256})\\)$',
        from: 'Linux-PAM modules/pam_unix/passverify.c helper_verify_password() via unix_chkpwd: "password check failed for user (%s)"',
      },
      {
        re: pamAuthFailureByCaller('polkit-1', 'logname'),
        from: "Linux-PAM modules/pam_unix/support.c under polkit-agent-helper-1: polkit authenticates an admin account (pam_start and PAM_RUSER both user_to_auth); the caller is the session's login name (logname=), who is counted",
        counts: 'pam',
      },
      {
        re: pamAuthFailure(ANY_SERVICE, { rhost: 'from', user: 'user' }),
        from: 'Linux-PAM modules/pam_unix/support.c: "authentication failure; logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s %s%s" (login, gdm-password, lightdm, sddm…)',
        counts: 'pam',
      },
      {
        re: `(?:pam_[a-z0-9_]{1,32}\\(${ANY_SERVICE}:auth\\): )?check pass; user (?:\\((?<user>.{0,256})\\) )?unknown$`,
        from: 'Linux-PAM modules/pam_unix/support.c _unix_verify_password(): "check pass; user unknown" ("check pass; user (%s) unknown" with audit)',
        counts: 'pam',
      },
      {
        re: pamMoreFailures(ANY_SERVICE, { rhost: 'from', user: 'user' }),
        from: 'Linux-PAM modules/pam_unix/support.c _cleanup_failures(): "%d more authentication failure%s; logname=%s … user=%s"',
        counts: 'follow-up',
      },
      ...[...pamModuleRefusals(NOT_POLKIT), pamWinbindRefusal(NOT_POLKIT)].map((p) => ({
        ...p,
        counts: 'pam' as const,
      })),
      // polkit authenticates the admin account the caller picked in its dialog: a module's line names that account.
      ...targetRefusals('polkit-1'),
      {
        re: 'Authentication failure for (?<user>\\S{1,256}) \\(invoked by uid \\d{1,10}\\)$',
        from: 'kscreenlocker kcheckpass/kcheckpass.c (Plasma ≤ 5.24): "Authentication failure for %s (invoked by uid %d)"',
      },
      {
        re: 'FAILED LOGIN \\d{1,10} ON DISPLAY "[^"]{0,256}", FOR "(?<user>[^"]{0,256})"$',
        from: 'xscreensaver driver/xscreensaver-auth.c / passwd.c: "FAILED LOGIN %d ON DISPLAY \\"%s\\", FOR \\"%s\\""',
      },
      {
        re: `pam_securetty\\(${ANY_SERVICE}:auth\\): access denied: tty '(?<tty>[^']{0,256})' is not secure !$`,
        from: 'Linux-PAM modules/pam_securetty/pam_securetty.c: "access denied: tty \'%s\' is not secure !"',
      },
      {
        re: `pam_access\\(${ANY_SERVICE}:account\\): access denied for user \`(?<user>[^']{0,256})' from \`(?<from>[^']{0,256})'$`,
        from: 'Linux-PAM modules/pam_access/pam_access.c: "access denied for user `%s\' from `%s\'"',
      },
    ],
    fields: { user: 'user', target: 'user', from: 'text', tty: 'text', count: 'int', reason: 'text' },
    severity: 'medium',
    threshold: { count: 3, within: 10 * MINUTE, by: ['user'] },
    title: 'Failed logins as {user}',
    event: 'auth.failure',
  },
  {
    kind: 'message',
    suffix: 'lockout',
    programs: [...SU_PROGRAMS, ...LOGIN_PROGRAMS],
    patterns: [
      ...pamLockout(ANY_SERVICE).map((lockout) => ({
        ...lockout,
        from: 'Linux-PAM modules/pam_faillock/main.c: "Consecutive login failures for user %s account temporarily locked"; pam_tally2.c "user %s (%lu) tally %hu, deny %hu"',
      })),
      {
        re: "exceeded failure limit for '(?<user>.{0,256})' {1,2}on '[^']{0,256}'(?: from '[^']{0,256}')?$",
        from: 'shadow src/login.c (no PAM): "exceeded failure limit for \'%s\' %s"',
      },
    ],
    fields: { user: 'user', tally: 'int', deny: 'int' },
    severity: 'high',
    threshold: { count: 1, within: 10 * MINUTE, by: ['user'] },
    title: 'Account {user} locked after failed logins',
    event: 'auth.lockout',
  },
];
