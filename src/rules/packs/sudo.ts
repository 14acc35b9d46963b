// sudo's refusals and password failures, from sudo's own lines and the PAM modules it loads (and OpenDoas's, the
// sudo replacement some distributions ship, whose lines name the caller from the passwd entry too). A sudo line is
// `"%8s : %s"`: the invoking user (from the passwd entry, not the attacker), then a reason for failures, then
// `TTY= ; PWD= ; USER= ; COMMAND=` fields, of which PWD, ENV and COMMAND are the caller's own text: reasons are read
// from the start of the body only, and a field is captured only when nothing before it could have been written by
// the caller.
import { type MessagePackRule, MINUTE } from './pack.js';
import {
  PAM_ERROR,
  pamAuthFailure,
  pamAuthFailureByCaller,
  pamLockout,
  pamModuleRefusals,
  pamMoreFailures,
  pamWinbindRefusal,
} from './pam.js';

// `sudo-i`: the tag of PAM modules that log under their service's name (google-authenticator-libpam) for `sudo -i`.
const PROGRAMS = ['sudo', 'sudoedit', 'doas', 'sudo-i'];
/** The PAM services of sudo (`sudo -i`'s own) and of OpenDoas (which sets PAM_RUSER to the caller, as sudo does). */
const SERVICES = 'sudo|sudo-i|doas';
const USER = '(?<user>\\S{1,256}) : ';
/**
 * The fields after a reason, up to USER=. The caller's PWD (and COMMAND) may hold " ; USER=x ; ": the target is
 * captured only when the line holds one USER= field, and is otherwise left out.
 */
const RUNAS =
  '(?:HOST=\\S{1,256} ; )?(?:TTY=\\S{1,256} ; )?(?:CHROOT=[^;]{0,4096} ; )?(?:PWD=[^;]{0,4096} ; )?(?:USER=(?<target>\\S{1,256}) ; (?!USER=|.* ; USER=))?';

export const sudoPack: MessagePackRule[] = [
  {
    kind: 'message',
    suffix: 'auth',
    programs: PROGRAMS,
    patterns: [
      {
        re: pamAuthFailureByCaller(SERVICES),
        from: 'Linux-PAM modules/pam_unix/support.c: "authentication failure; logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s %s%s", service sudo or sudo-i (once per sudo run); sudo plugins/sudoers/auth/pam.c sets PAM_RUSER to the caller (pam_ruser, on by default) and the user to whose password is asked (root with targetpw/rootpw)',
        counts: 'pam',
      },
      {
        re: pamAuthFailure(SERVICES, { user: 'user' }),
        from: 'the same with !pam_ruser (no ruser=): the user is the caller unless targetpw/rootpw/runaspw is set',
        counts: 'pam',
      },
      {
        re: pamMoreFailures(SERVICES, { ruser: 'user', user: 'target', more: 'attempts' }, 'ruser'),
        from: 'Linux-PAM modules/pam_unix/support.c _cleanup_failures(): "%d more authentication failure%s; logname=%s … ruser=%s rhost=%s  user=%s" at pam_end, after sudo\'s own line (check.c: verify_user() logs, then sudo_auth_cleanup() ends PAM); sudo-rs writes no line of its own, so these are its retries',
        counts: 'pam-more',
        timesFrom: 'attempts',
      },
      {
        re: pamMoreFailures(SERVICES, { user: 'user', more: 'attempts' }),
        from: 'the same without ruser= (!pam_ruser)',
        counts: 'pam-more',
        timesFrom: 'attempts',
      },
      ...[...pamModuleRefusals(SERVICES), pamWinbindRefusal(SERVICES)].map((p) => ({ ...p, counts: 'pam' as const })),
      {
        re: `${USER}(?<attempts>\\d{1,6}) incorrect password attempts? ; `,
        from: 'sudo plugins/sudoers/logging.c log_auth_failure() / fmt_authfail_message(): "%u incorrect password attempt" / "…attempts" (1.8.0–1.9.17)',
        counts: 'after-pam',
        timesFrom: 'attempts',
      },
      {
        re: `${USER}PAM authentication error: ${PAM_ERROR} [;:] `,
        from: 'sudo plugins/sudoers/auth/pam.c sudo_pam_verify(): "PAM authentication error: %s" (1.8.7+)',
        counts: 'after-pam',
      },
      {
        re: `${USER}pam_authenticate: ${PAM_ERROR} [;:] `,
        from: 'sudo plugins/sudoers/auth/pam.c sudo_pam_verify(): "pam_authenticate: %s" (1.8.0–1.8.6)',
        counts: 'after-pam',
      },
      {
        re: 'failed auth for (?<user>\\S{1,256})$',
        from: 'OpenDoas pam.c doas_pam(), shadow.c shadowauth(); OpenBSD doas.c: syslog(LOG_AUTHPRIV | LOG_NOTICE, "failed auth for %s", myname) (the caller, from its passwd entry)',
        counts: 'after-pam',
      },
      {
        re: `${USER}a password is required ; `,
        from: 'sudo plugins/sudoers/logging.c log_auth_failure(): "a password is required" (sudo -n, 1.8.6+)',
      },
    ],
    fields: { user: 'user', target: 'user', attempts: 'int' },
    severity: 'medium',
    threshold: { count: 3, within: 10 * MINUTE, by: ['user'] },
    title: 'sudo password failures by {user}',
    event: 'auth.failure',
  },
  {
    kind: 'message',
    suffix: 'not-allowed',
    programs: PROGRAMS,
    patterns: [
      {
        re: `${USER}(?<reason>user NOT (?:in sudoers|authorized on host)) ; ${RUNAS}`,
        from: 'sudo plugins/sudoers/logging.c log_denial(): "user NOT in sudoers", "user NOT authorized on host" (1.8.0–1.9.17)',
      },
      {
        re: `pam_sss\\((?:${SERVICES}):account\\): (?<reason>Access denied) for user (?<user>\\S{1,256}): 6 \\(Permission denied\\)$`,
        from: 'sssd src/sss_client/pam_sss.c: "Access denied for user %s: %d (%s)" in the account stage (FreeIPA/AD access rules refusing sudo)',
      },
      {
        re: `${USER}(?<reason>command not allowed|setid command rejected in intercept mode) ; ${RUNAS}`,
        from: 'sudo plugins/sudoers/logging.c log_denial(): "command not allowed" (1.8.0–1.9.17), "setid command rejected in intercept mode" (1.9.15+)',
      },
      {
        re: `${USER}(?<reason>sorry, you are not allowed to set the following environment variables|user not allowed to (?:preserve the environment|set a command timeout|override closefrom limit|change root directory to|change directory to|set remote host for command))\\b`,
        from: 'sudo plugins/sudoers/env.c validate_env_vars(), sudoers.c sudoers_check_common(): "sorry, you are not allowed to set the following environment variables: %s", "user not allowed to …" (1.9.3+)',
      },
      {
        re: `${USER}(?<reason>account validation failure, is your account locked\\?|Account or password is expired|PAM account management error|Account expired or PAM config lacks an "account" section)`,
        from: 'sudo plugins/sudoers/auth/pam.c sudo_pam_approval(): "account validation failure, is your account locked?", "PAM account management error: %s" (1.8.23+), "Account or password is expired, …"',
      },
      {
        re: `${USER}(?<reason>Password expired), contact your system administrator`,
        from: 'sudo plugins/sudoers/auth/pam.c sudo_pam_approval(): "Password expired, contact your system administrator"',
      },
      {
        re: '(?<reason>command not permitted) for (?<user>\\S{1,256}): ',
        from: 'OpenDoas and OpenBSD doas.c main(): "command not permitted for %s: %s" (the caller, then its command line)',
      },
      {
        re: `${USER}(?<reason>unknown (?:user|group)):? `,
        from: 'sudo plugins/sudoers/sudoers.c set_runaspw()/set_runasgr(): "unknown user: %s" (1.8–1.9.12), "unknown user %s" (1.9.13+)',
      },
    ],
    fields: { user: 'user', target: 'user', reason: 'text' },
    severity: 'high',
    threshold: { count: 1, within: 10 * MINUTE, by: ['user'] },
    title: 'sudo refused for {user}: {reason}',
    event: 'privilege.denied',
  },
  {
    kind: 'message',
    suffix: 'lockout',
    programs: PROGRAMS,
    patterns: pamLockout(SERVICES).map((lockout) => ({
      ...lockout,
      from: 'Linux-PAM modules/pam_faillock/main.c: "Consecutive login failures for user %s account temporarily locked"; pam_tally2.c "user %s (%lu) tally %hu, deny %hu"',
    })),
    fields: { user: 'user', tally: 'int', deny: 'int' },
    severity: 'high',
    threshold: { count: 1, within: 10 * MINUTE, by: ['user'] },
    title: 'Account {user} locked after failed sudo passwords',
    event: 'auth.lockout',
  },
];
