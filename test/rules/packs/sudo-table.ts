// sudo's refusals and password failures (sudo 1.8–1.9 plugins/sudoers, lib/eventlog) and the PAM lines it carries.
// sudo writes "%8s : %s": the invoking user right-aligned in eight columns.
import { ISO, JOURNAL_FULL, RFC3164 } from './envelopes.js';
import type { PackTable } from './table.js';

export const sudoTable: PackTable = {
  pack: 'sudo',
  programs: ['sudo'],
  envelopes: [RFC3164, ISO, JOURNAL_FULL],
  match: [
    {
      message:
        '   alice : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
      from: 'logging.c log_auth_failure(): "%u incorrect password attempts" (1.8.9+)',
      rule: 'sudo-auth',
      fields: { user: 'alice', attempts: '3' },
    },
    {
      message:
        '   alice : 1 incorrect password attempt ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
      from: 'logging.c: "%u incorrect password attempt" (singular when 1)',
      rule: 'sudo-auth',
      fields: { user: 'alice', attempts: '1' },
    },
    {
      message:
        '     bob : 2 incorrect password attempts ; PWD=/srv ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx',
      from: 'lib/eventlog/eventlog.c new_logline(): no TTY= without a tty (1.9.4+)',
      rule: 'sudo-auth',
      fields: { user: 'bob', attempts: '2' },
    },
    {
      message: 'www-data : 3 incorrect password attempts ; TTY=unknown ; PWD=/var/www ; USER=root ; COMMAND=/bin/sh',
      from: 'logging.c: a user name of eight characters, no padding; TTY=unknown (≤ 1.9.3)',
      rule: 'sudo-auth',
      fields: { user: 'www-data' },
    },
    {
      message:
        'pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/1 ruser=alice rhost=  user=alice',
      from: 'Linux-PAM pam_unix support.c: "authentication failure; logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s %s%s", service sudo',
      rule: 'sudo-auth',
      fields: { user: 'alice' },
    },
    {
      message:
        'pam_unix(sudo-i:auth): authentication failure; logname=carol uid=1001 euid=0 tty=/dev/pts/2 ruser=carol rhost=  user=carol',
      from: 'Linux-PAM pam_unix, service sudo-i (sudo -i)',
      rule: 'sudo-auth',
      fields: { user: 'carol' },
    },
    {
      message:
        '   alice : PAM authentication error: Authentication service cannot retrieve authentication info ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls',
      from: 'auth/pam.c sudo_pam_verify(): "PAM authentication error: %s" (1.8.7+)',
      rule: 'sudo-auth',
      fields: { user: 'alice' },
    },
    {
      message:
        '   alice : pam_authenticate: Conversation error ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls',
      from: 'auth/pam.c: "pam_authenticate: %s" (1.8.0–1.8.6)',
      rule: 'sudo-auth',
      fields: { user: 'alice' },
    },
    {
      message: '  deploy : a password is required ; TTY=pts/0 ; PWD=/srv/app ; USER=root ; COMMAND=/usr/bin/apt update',
      from: 'logging.c log_auth_failure(): "a password is required" (sudo -n, 1.8.6+)',
      rule: 'sudo-auth',
      fields: { user: 'deploy' },
    },
    {
      message: '     bob : user NOT in sudoers ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/bash',
      from: 'logging.c log_denial(): "user NOT in sudoers"',
      rule: 'sudo-not-allowed',
      fields: { user: 'bob', target: 'root', reason: 'user NOT in sudoers' },
    },
    {
      message: '     bob : command not allowed ; TTY=pts/0 ; PWD=/ ; USER=postgres ; COMMAND=/usr/bin/psql',
      from: 'logging.c log_denial(): "command not allowed"',
      rule: 'sudo-not-allowed',
      fields: { user: 'bob', target: 'postgres' },
    },
    {
      message: '     eve : user NOT authorized on host ; TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/usr/bin/id',
      from: 'logging.c log_denial(): "user NOT authorized on host"',
      rule: 'sudo-not-allowed',
      fields: { user: 'eve' },
    },
    {
      message: '     eve : user NOT in sudoers ; HOST=web1 ; TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/usr/bin/id',
      from: 'lib/eventlog: HOST= with Defaults log_host (1.9.4+)',
      rule: 'sudo-not-allowed',
      fields: { user: 'eve', target: 'root' },
    },
    {
      message:
        '     eve : setid command rejected in intercept mode ; TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/usr/bin/passwd',
      from: 'logging.c: "setid command rejected in intercept mode" (1.9.15+)',
      rule: 'sudo-not-allowed',
      fields: { user: 'eve' },
    },
    {
      message:
        '   alice : sorry, you are not allowed to set the following environment variables: LD_PRELOAD ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/true',
      from: 'env.c validate_env_vars(): "sorry, you are not allowed to set the following environment variables: %s"',
      rule: 'sudo-not-allowed',
      fields: { user: 'alice' },
    },
    {
      message: '   alice : user not allowed to change root directory to /mnt ; TTY=pts/1 ; PWD=/ ; COMMAND=/bin/sh',
      from: 'sudoers.c: "user not allowed to change root directory to %s" (1.9.3+)',
      rule: 'sudo-not-allowed',
      fields: { user: 'alice' },
    },
    {
      message:
        '   alice : account validation failure, is your account locked? ; TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/sh',
      from: 'auth/pam.c sudo_pam_approval(): "account validation failure, is your account locked?"',
      rule: 'sudo-not-allowed',
      fields: { user: 'alice' },
    },
    {
      message: '   alice : unknown user nosuchuser ; TTY=pts/1 ; PWD=/ ; COMMAND=/bin/sh',
      from: 'sudoers.c set_runaspw(): "unknown user %s" (1.9.13+)',
      rule: 'sudo-not-allowed',
      fields: { user: 'alice' },
    },
    {
      message: 'failed auth for alice',
      program: 'doas',
      from: 'OpenDoas pam.c / shadow.c, OpenBSD doas.c: "failed auth for %s" (the caller)',
      rule: 'sudo-auth',
      fields: { user: 'alice' },
    },
    {
      message:
        'pam_unix(doas:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/1 ruser=alice rhost=  user=root',
      program: 'doas',
      from: 'Linux-PAM pam_unix under OpenDoas, which sets PAM_RUSER to the caller',
      rule: 'sudo-auth',
      fields: { user: 'alice' },
    },
    {
      message: 'command not permitted for alice: /usr/bin/passwd root',
      program: 'doas',
      from: 'OpenDoas doas.c: "command not permitted for %s: %s"',
      rule: 'sudo-not-allowed',
      fields: { user: 'alice', reason: 'command not permitted' },
    },
    {
      message: 'pam_faillock(doas:auth): Consecutive login failures for user alice account temporarily locked',
      program: 'doas',
      from: 'Linux-PAM pam_faillock under OpenDoas',
      rule: 'sudo-lockout',
      fields: { user: 'alice' },
    },
    {
      message: 'pam_faillock(sudo:auth): Consecutive login failures for user alice account temporarily locked',
      from: 'Linux-PAM pam_faillock: "Consecutive login failures for user %s account temporarily locked"',
      rule: 'sudo-lockout',
      fields: { user: 'alice' },
    },
    {
      message: 'pam_tally2(sudo:auth): user alice (1000) tally 6, deny 5',
      from: 'Linux-PAM pam_tally2: "user %s (%lu) tally %hu, deny %hu"',
      rule: 'sudo-lockout',
      fields: { user: 'alice' },
    },
    {
      message:
        'pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/1 ruser=alice rhost=  user=root',
      from: 'sudo auth/pam.c with targetpw/rootpw: pam_start() for root, PAM_RUSER the caller, who is counted',
      rule: 'sudo-auth',
      fields: { user: 'alice', target: 'root' },
    },
    {
      message:
        'pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/1 ruser= rhost=  user=alice',
      from: 'sudo auth/pam.c with !pam_ruser: no ruser=, the user is the caller',
      rule: 'sudo-auth',
      fields: { user: 'alice' },
    },
    // Directory accounts: SSSD's fully qualified names (realm join), winbind's DOMAIN\user
    {
      message:
        'alice@corp.example.com : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/alice@corp.example.com ; USER=root ; COMMAND=/usr/bin/id',
      from: 'sudo logging.c, an SSSD user',
      rule: 'sudo-auth',
      fields: { user: 'alice@corp.example.com', attempts: '3' },
    },
    {
      message:
        'pam_sss(sudo:auth): authentication failure; logname=alice@corp.example.com uid=1234801105 euid=0 tty=/dev/pts/1 ruser=alice@corp.example.com rhost= user=alice@corp.example.com',
      from: 'sssd src/sss_client/pam_sss.c: the same fields as pam_unix, one space before user=',
      rule: 'sudo-auth',
      fields: { user: 'alice@corp.example.com' },
    },
    {
      message: 'CORP\\bob : user NOT in sudoers ; TTY=pts/0 ; PWD=/home/CORP/bob ; USER=root ; COMMAND=/bin/bash',
      from: 'sudo logging.c log_denial(), a winbind user',
      rule: 'sudo-not-allowed',
      fields: { user: 'CORP\\bob', target: 'root' },
    },
    {
      message:
        'pam_unix(sudo:auth): 2 more authentication failures; logname=alice uid=1000 euid=0 tty=/dev/pts/1 ruser=alice rhost=  user=alice',
      from: 'Linux-PAM pam_unix support.c _cleanup_failures() at pam_end (sudo-rs writes no line of its own)',
      rule: 'sudo-auth',
      fields: { user: 'alice' },
    },
    {
      message: 'pam_sss(sudo:auth): received for user alice: 7 (Authentication failure)',
      from: 'sssd pam_sss.c: "received for user %s: %d (%s)"',
      rule: 'sudo-auth',
      fields: { user: 'alice' },
    },
    {
      message: "pam_winbind(sudo:auth): user 'EXAMPLE\\alice' denied access (incorrect password or invalid membership)",
      from: 'samba pam_winbind.c _pam_winbind_auth_log() under sudo',
      rule: 'sudo-auth',
      fields: { user: 'EXAMPLE\\alice' },
    },
    {
      message: 'Invalid verification code for alice',
      from: 'google-authenticator-libpam under sudo (tag sudo(pam_google_authenticator))',
      rule: 'sudo-auth',
      fields: { user: 'alice' },
    },
    {
      message: 'Invalid verification code for alice',
      from: 'google-authenticator-libpam under `sudo -i`: its tag is the PAM service, sudo-i(pam_google_authenticator)',
      program: 'sudo-i',
      rule: 'sudo-auth',
      fields: { user: 'alice' },
    },
    {
      message: 'pam_sss(sudo:account): Access denied for user alice: 6 (Permission denied)',
      from: 'sssd pam_sss.c: "Access denied for user %s: %d (%s)" (account stage)',
      rule: 'sudo-not-allowed',
      fields: { user: 'alice' },
    },
  ],
  noMatch: [
    {
      line: `type=USER_AUTH msg=audit(1795428901.250:4567): pid=1187 uid=0 auid=1000 ses=3 subj=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors=? acct="alice" exe="/usr/bin/sudo" hostname=? addr=? terminal=pts/1 res=failed'`,
      from: 'Linux-PAM libpam/pam_audit.c through libaudit audit_log_acct_message(): "op=%s acct=\\"%s\\" exe=%s hostname=%s addr=%s terminal=%s res=%s"; sudo, the account whose password was asked; the word of its sender, naming the account asked for (the target with targetpw): not read',
    },
    {
      message: 'pam_succeed_if(sudo:auth): requirement "uid >= 1000" not met by user "root"',
      from: 'Linux-PAM pam_succeed_if.c: read only under sshd, where RHEL reaches it after a failure',
    },
    {
      message: 'pam_tally2(sudo:auth): user alice (1000) tally 0, deny 5',
      from: 'Linux-PAM pam_tally2.c tally_check() with debug: every check is logged, nothing is locked',
    },
    {
      message: '   alice : TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt update',
      from: 'logging.c log_allowed(): an accepted command',
    },
    {
      message: '   alice : PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
      from: 'lib/eventlog: an accepted command without a tty (1.9.4+)',
    },
    {
      message: '   alice : TTY=pts/1 ; PWD=/home/alice/3 incorrect password attempts ; USER=root ; COMMAND=/bin/ls',
      from: 'logging.c: an accepted command whose PWD the caller named to look like a failure',
    },
    {
      message: '   alice : TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/echo user NOT in sudoers ; USER=root',
      from: 'logging.c: an accepted command whose arguments look like a refusal',
    },
    {
      message: '   alice : (command continued) /var/log/app/archive/file0026.log /var/log/app/archive/file0027.log',
      from: 'logging.c do_syslog(): "%8s : (command continued) %s"',
    },
    {
      message: 'pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)',
      from: 'Linux-PAM pam_unix_sess.c',
    },
    { message: 'pam_unix(sudo:session): session closed for user root', from: 'Linux-PAM pam_unix_sess.c' },
    {
      message: 'pam_unix(sudo:auth): conversation failed',
      from: 'libpam pam_vprompt.c: "conversation failed" (Ctrl-C at the prompt)',
    },
    {
      message: 'pam_unix(sudo:auth): auth could not identify password for [alice]',
      from: 'Linux-PAM pam_unix_auth.c: "auth could not identify password for [%s]" (no password given)',
    },
    {
      message: 'alice ran command /usr/bin/id as root from /home/alice',
      program: 'doas',
      from: 'OpenDoas doas.c: "%s ran command %s as %s from %s"',
    },
    { message: 'tty required for alice', program: 'doas', from: 'OpenDoas shadow.c: "tty required for %s"' },
    {
      message: 'alice ran command /bin/echo failed auth for root as root from /tmp',
      program: 'doas',
      from: 'OpenDoas doas.c: an accepted command whose arguments look like a failure',
    },
    {
      message: '   alice : TTY=pts/1 ; PWD=/home/alice ; USER=root ; ENV=FOO=bar ; COMMAND=/usr/bin/env',
      from: 'lib/eventlog: ENV= on an accepted command',
    },
  ],
};
