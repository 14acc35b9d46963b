// su, console and display-manager login failures: util-linux (login-utils/su-common.c, login.c), shadow (src/su.c,
// src/login.c, lib/sulog.c), BusyBox, BSD su, illumos, gdm/lightdm/sddm and Linux-PAM modules.
import { ISO, RFC3164 } from './envelopes.js';
import type { PackTable } from './table.js';

export const loginTable: PackTable = {
  pack: 'login',
  programs: ['su'],
  envelopes: [RFC3164, ISO],
  match: [
    // util-linux su
    {
      message: 'FAILED SU (to root) alice on pts/0',
      from: 'util-linux su-common.c log_syslog(): "%s(to %s) %s on %s" with "FAILED SU "',
      rule: 'login-su',
      fields: { user: 'alice', target: 'root', tty: 'pts/0' },
    },
    {
      message: 'FAILED SU (to postgres) deploy on none',
      from: 'util-linux su-common.c, no controlling tty',
      rule: 'login-su',
      fields: { user: 'deploy', target: 'postgres', tty: 'none' },
    },
    {
      message: 'FAILED SU (to root)  on pts/3',
      from: 'util-linux su-common.c, an empty caller (no utmp entry): counted for no one',
      rule: 'login-su',
      fields: { target: 'root' },
      absent: ['user'],
    },
    {
      message: 'FAILED RUNUSER (to nobody) root on none',
      from: 'util-linux su-common.c, "FAILED RUNUSER "',
      program: 'runuser',
      rule: 'login-su',
      fields: { user: 'root' },
    },
    {
      message:
        'pam_unix(su:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=root',
      from: 'Linux-PAM pam_unix support.c "authentication failure; …", service su (caller in ruser=, target in user=)',
      rule: 'login-su',
      fields: { user: 'alice', target: 'root' },
    },
    {
      message:
        'pam_unix(su-l:auth): authentication failure; logname=alice uid=1000 euid=0 tty=pts/0 ruser=alice rhost=  user=root',
      from: 'Linux-PAM pam_unix, service su-l (su -)',
      rule: 'login-su',
      fields: { user: 'alice', target: 'root' },
    },
    // shadow su
    {
      message: 'pam_authenticate: Authentication failure',
      from: 'shadow src/su.c: "pam_authenticate: %s" (no user: matched, counted for no one)',
      rule: 'login-su',
      fields: {},
    },
    {
      message: 'FAILED su for root by alice',
      from: 'shadow lib/sulog.c: "FAILED su for %s by %s"',
      rule: 'login-su',
      fields: { user: 'alice', target: 'root' },
    },
    {
      message: 'FAILED su for no such user by mallory',
      from: 'shadow lib/sulog.c, a target typed by the caller',
      rule: 'login-su',
      fields: { user: 'mallory', target: 'no such user' },
    },
    {
      message: '- /dev/pts/0 alice:root',
      from: 'shadow src/su.c su_failure(): "- %s %s:%s"',
      rule: 'login-su',
      fields: { user: 'alice', target: 'root', tty: '/dev/pts/0' },
    },
    {
      message: '- pts/0 alice:root',
      from: 'BusyBox loginutils/su.c: "%c %s %s:%s"',
      rule: 'login-su',
      fields: { user: 'alice' },
    },
    {
      message: 'Authentication failed for root',
      from: 'shadow src/su.c (no PAM): "Authentication failed for %s"',
      rule: 'login-su',
      fields: { target: 'root' },
    },
    {
      message: "No passwd entry for user 'admin'",
      from: 'shadow src/su.c: "No passwd entry for user \'%s\'"',
      rule: 'login-su',
      fields: { target: 'admin' },
    },
    {
      message: 'BAD SU alice to root on /dev/ttyp0',
      from: 'BSD su.c: "BAD SU %s to %s%s"',
      rule: 'login-su',
      fields: { user: 'alice', target: 'root' },
    },
    {
      message: "'su root' failed for alice on /dev/pts/1",
      from: 'illumos su.c: "\'su %s\' failed for %s on %s" ([ID 810491 auth.crit])',
      rule: 'login-su',
      fields: { user: 'alice', target: 'root' },
    },
    {
      message: 'pam_faillock(su:auth): Consecutive login failures for user oracle account temporarily locked',
      from: 'Linux-PAM pam_faillock: "Consecutive login failures for user %s account temporarily locked"',
      rule: 'login-lockout',
      fields: { user: 'oracle' },
    },
    {
      message: 'pam_tally2(su:auth): user root (0) tally 4, deny 3',
      from: 'Linux-PAM pam_tally2: "user %s (%lu) tally %hu, deny %hu"',
      rule: 'login-lockout',
      fields: { user: 'root' },
    },
    // util-linux login
    {
      message: 'FAILED LOGIN 1 FROM tty1 FOR alice, Authentication failure',
      from: 'util-linux login.c loginpam_auth(): "FAILED LOGIN %u FROM %s FOR %s, %s"',
      program: 'login',
      rule: 'login',
      fields: { user: 'alice', from: 'tty1', count: '1' },
    },
    {
      message: 'FAILED LOGIN 2 FROM evil.example.net FOR admin, Authentication failure',
      from: 'util-linux login.c, telnetd -h host',
      program: 'login',
      rule: 'login',
      fields: { user: 'admin', from: 'evil.example.net' },
    },
    {
      message: 'FAILED LOGIN 1 FROM tty1 FOR root, Fehler bei Authentifizierung',
      from: 'util-linux login.c with LANG=de_DE: libpam po/de.po translates pam_strerror() "Authentication failure"',
      program: 'login',
      rule: 'login',
      fields: { user: 'root', from: 'tty1', count: '1' },
    },
    {
      message: "FAILED LOGIN 1 FROM tty1 FOR alice, Échec de l'authentification",
      from: 'util-linux login.c with LANG=fr_FR: libpam po/fr.po',
      program: 'login',
      rule: 'login',
      fields: { user: 'alice', from: 'tty1' },
    },
    {
      message: 'FAILED LOGIN 1 FROM (null) FOR root, Authentication failure',
      from: 'util-linux login.c ≤ 2.20: "FAILED LOGIN %d FROM %s FOR %s, %s" with a null host',
      program: 'login',
      rule: 'login',
      fields: { user: 'root' },
    },
    {
      message: 'FAILED LOGIN 1 FROM tty1 FOR (unknown), User not known to the underlying authentication module',
      from: 'util-linux login.c, PAM_USER_UNKNOWN without LOG_UNKFAIL_ENAB',
      program: 'login',
      rule: 'login',
      fields: { from: 'tty1' },
      absent: ['user'],
    },
    {
      message: 'FAILED LOGIN SESSION FROM tty1 FOR alice, Authentication failure',
      from: 'util-linux login.c: "FAILED LOGIN SESSION FROM %s FOR %s, %s"',
      program: 'login',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message: 'TOO MANY LOGIN TRIES (3) FROM ttyS0 FOR root, Have exhausted maximum number of retries for service',
      from: 'util-linux login.c: "TOO MANY LOGIN TRIES (%u) FROM %s FOR %s, %s"',
      program: 'login',
      rule: 'login',
      fields: { user: 'root' },
    },
    // shadow login
    {
      message: "FAILED LOGIN (1) on '/dev/tty1' FOR 'UNKNOWN', Authentication failure",
      from: 'shadow src/login.c: "FAILED LOGIN (%u)%s FOR \'%s\', %s"',
      program: 'login',
      rule: 'login',
      fields: { user: 'UNKNOWN', tty: '/dev/tty1' },
    },
    {
      message: "FAILED LOGIN (2) on '/dev/pts/3' from 'evil.example.net' FOR 'root', Authentication failure",
      from: 'shadow src/login.c with " from \'%.200s\'"',
      program: 'login',
      rule: 'login',
      fields: { user: 'root', from: 'evil.example.net' },
    },
    {
      message: "TOO MANY LOGIN TRIES (5) on '/dev/tty1' FOR 'alice'",
      from: 'shadow src/login.c: "TOO MANY LOGIN TRIES (%u)%s FOR \'%s\'"',
      program: 'login',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message: "invalid password for 'UNKNOWN'  on '/dev/tty1'",
      from: 'shadow src/login.c (no PAM): "invalid password for \'%s\' %s"',
      program: 'login',
      rule: 'login',
      fields: { tty: '/dev/tty1' },
    },
    {
      message: "invalid password for 'root' on 'ttyS0'",
      from: 'BusyBox loginutils/login.c: "invalid password for \'%s\'%s"',
      program: 'login',
      rule: 'login',
      fields: { user: 'root', tty: 'ttyS0' },
    },
    {
      message: "ILLEGAL ROOT LOGIN  on '/dev/pts/2' from '198.51.100.7'",
      from: 'shadow src/login.c (no PAM): "ILLEGAL ROOT LOGIN %s"',
      program: 'login',
      rule: 'login',
      fields: { from: '198.51.100.7' },
    },
    {
      message: "LOGIN 'bob' REFUSED  on '/dev/tty3'",
      from: 'shadow src/login.c (no PAM): "LOGIN \'%s\' REFUSED %s"',
      program: 'login',
      rule: 'login',
      fields: { user: 'bob' },
    },
    {
      message: "REPEATED login failures on '/dev/tty2'",
      from: 'shadow src/login.c (no PAM): "REPEATED login failures%s"',
      program: 'login',
      rule: 'login',
      fields: { tty: '/dev/tty2' },
    },
    {
      message: "exceeded failure limit for 'alice'  on '/dev/tty1'",
      from: 'shadow src/login.c (no PAM, faillog): "exceeded failure limit for \'%s\' %s"',
      program: 'login',
      rule: 'login-lockout',
      fields: { user: 'alice' },
    },
    {
      message: 'pam_authenticate call failed: Authentication failure (7)',
      from: 'BusyBox loginutils/login.c: "pam_%s call failed: %s (%d)"',
      program: 'login',
      rule: 'login',
      fields: {},
    },
    {
      message: 'REPEATED LOGIN FAILURES ON /dev/pts/3 FROM 203.0.113.50, alice',
      from: 'illumos login.c: "REPEATED LOGIN FAILURES ON %s FROM %.*s, %.*s" ([ID 658745 auth.crit])',
      program: 'login',
      rule: 'login',
      fields: { user: 'alice', from: '203.0.113.50' },
    },
    {
      message: 'Login failure on /dev/console, root',
      from: 'illumos login.c log_bad_attempts(): "Login failure on %s, %.*s" ([ID 821011 auth.notice])',
      program: 'login',
      rule: 'login',
      fields: { user: 'root' },
    },
    {
      message:
        'pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=alice',
      from: 'Linux-PAM pam_unix "authentication failure; …", service login',
      program: 'login',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message: 'pam_unix(login:auth): check pass; user unknown',
      from: 'Linux-PAM pam_unix "check pass; user unknown"',
      program: 'login',
      rule: 'login',
      fields: {},
    },
    {
      message:
        'pam_unix(login:auth): 2 more authentication failures; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=root',
      from: 'Linux-PAM pam_unix _cleanup_failures()',
      program: 'login',
      rule: 'login',
      fields: { user: 'root' },
    },
    {
      message: "pam_securetty(login:auth): access denied: tty 'ttyS1' is not secure !",
      from: 'Linux-PAM pam_securetty: "access denied: tty \'%s\' is not secure !"',
      program: 'login',
      rule: 'login',
      fields: { tty: 'ttyS1' },
    },
    {
      message: "pam_access(login:account): access denied for user `bob' from `tty3'",
      from: 'Linux-PAM pam_access: "access denied for user `%s\' from `%s\'"',
      program: 'login',
      rule: 'login',
      fields: { user: 'bob', from: 'tty3' },
    },
    {
      message: 'pam_faillock(login:auth): Consecutive login failures for user alice account temporarily locked',
      from: 'Linux-PAM pam_faillock under login',
      program: 'login',
      rule: 'login-lockout',
      fields: { user: 'alice' },
    },
    // display managers and screen lockers
    {
      message:
        'pam_unix(gdm-password:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=alice',
      from: 'Linux-PAM pam_unix under gdm\'s worker (tag "gdm-password]")',
      program: 'gdm-password]',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message: 'pam_unix(lightdm:auth): authentication failure; logname= uid=0 euid=0 tty=:0 ruser= rhost=  user=alice',
      from: 'Linux-PAM pam_unix under lightdm',
      program: 'lightdm',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message: 'pam_unix(sddm:auth): authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=  user=alice',
      from: 'Linux-PAM pam_unix under sddm-helper',
      program: 'sddm-helper',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message: '[PAM] authenticate: Authentication failure',
      from: 'sddm PamHandle.cpp: "[PAM] authenticate:" << pam_strerror()',
      program: 'sddm-helper',
      rule: 'login',
      fields: {},
    },
    {
      message: 'password check failed for user (alice)',
      from: 'Linux-PAM unix_chkpwd.c: "password check failed for user (%s)"',
      program: 'unix_chkpwd',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message:
        'pam_unix(polkit-1:auth): authentication failure; logname=alice uid=1000 euid=0 tty= ruser=root rhost=  user=root',
      from: 'polkit polkit-agent-helper-pam.c: pam_start("polkit-1", user_to_auth) and PAM_RUSER user_to_auth; the caller is the session\'s logname',
      program: 'polkit-agent-helper-1',
      rule: 'login',
      fields: { user: 'alice', target: 'root' },
    },
    {
      message:
        'pam_unix(polkit-1:auth): authentication failure; logname= uid=1000 euid=0 tty= ruser=alice rhost=  user=alice',
      from: 'polkit-agent-helper-pam.c, no login name (no session): the account asked for',
      program: 'polkit-agent-helper-1',
      rule: 'login',
      fields: { user: 'alice' },
    },
    // Directory accounts (SSSD's fully qualified names, winbind's DOMAIN\user)
    {
      message: 'FAILED SU (to root) alice@corp.example.com on pts/0',
      from: 'util-linux su-common.c, an SSSD user with fully qualified names (realm join)',
      rule: 'login-su',
      fields: { user: 'alice@corp.example.com', target: 'root' },
    },
    {
      message: 'FAILED LOGIN 1 FROM tty1 FOR CORP\\alice, Authentication failure',
      from: 'util-linux login.c loginpam_auth(), a winbind user',
      program: 'login',
      rule: 'login',
      fields: { user: 'CORP\\alice' },
    },
    {
      message:
        'pam_faillock(su:auth): Consecutive login failures for user alice@corp.example.com account temporarily locked',
      from: 'Linux-PAM pam_faillock, an SSSD user',
      rule: 'login-lockout',
      fields: { user: 'alice@corp.example.com' },
    },
    // Remote and desktop logins, screen lockers
    {
      message:
        'pam_unix(cockpit:auth): authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=::ffff:203.0.113.7  user=alice',
      from: 'cockpit src/session/session.c: pam_start("cockpit", user) with PAM_RHOST, Linux-PAM pam_unix support.c',
      program: 'cockpit-session',
      rule: 'login',
      fields: { user: 'alice', from: '::ffff:203.0.113.7' },
    },
    {
      message: 'pam_unix(kde:auth): authentication failure; logname= uid=1000 euid=1000 tty= ruser= rhost=  user=alice',
      from: 'kscreenlocker greeter/authenticator (Plasma 5.25+, service kde), Linux-PAM pam_unix support.c',
      program: 'kscreenlocker_greet',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message: "pam_winbind(gdm-password:auth): user 'alice' denied access (incorrect password or invalid membership)",
      from: 'samba nsswitch/pam_winbind.c: "user \'%s\' denied access (incorrect password or invalid membership)"',
      program: 'gdm-password',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message: 'Authentication failure for alice (invoked by uid 1000)',
      from: 'kscreenlocker kcheckpass.c: "Authentication failure for %s (invoked by uid %d)"',
      program: 'kcheckpass',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message: 'FAILED LOGIN 2 ON DISPLAY ":0.0", FOR "alice"',
      from: 'xscreensaver xscreensaver-auth.c: "FAILED LOGIN %d ON DISPLAY \\"%s\\", FOR \\"%s\\""',
      program: 'xscreensaver-auth',
      rule: 'login',
      fields: { user: 'alice' },
    },
    // pkexec
    {
      message:
        'alice: Error executing command as another user: Not authorized [USER=root] [TTY=unknown] [CWD=/home/alice] [COMMAND=/bin/bash]',
      from: 'polkit pkexec.c log_message(): "%s: %s [USER=%s] [TTY=%s] [CWD=%s] [COMMAND=%s]"',
      program: 'pkexec',
      rule: 'login-pkexec',
      fields: { user: 'alice', target: 'root' },
    },
    {
      message:
        'alice: Error executing command as another user: Not authorized [USER=root] [TTY=/dev/pts/0] [CWD=/tmp/x] [USER=mallory] [COMMAND=/bin/true [USER=bob]]',
      from: 'polkit pkexec.c, a caller\'s directory and command holding "[USER=": the target is the first field, pkexec\'s own',
      program: 'pkexec',
      rule: 'login-pkexec',
      fields: { user: 'alice', target: 'root' },
    },
    {
      message:
        'mallory: The value for the SHELL variable was not found the /etc/shells file [USER=root] [TTY=/dev/pts/1] [CWD=/tmp/x] [COMMAND=GCONV_PATH=./pwnkit.so:. PATH=GCONV_PATH=. SHELL=/lol CHARSET=PWNKIT]',
      from: 'polkit pkexec.c validate_environment_variable() (≤ 0.120): CVE-2021-4034 (PwnKit)',
      program: 'pkexec',
      rule: 'login-pkexec',
      fields: { user: 'mallory', target: 'root' },
    },
    {
      message:
        'mallory: The value for environment variable XAUTHORITY contains suscipious content [USER=root] [TTY=/dev/pts/1] [CWD=/tmp] [COMMAND=/bin/sh]',
      from: 'polkit pkexec.c validate_environment_variable(): "…contains suscipious content" (sic)',
      program: 'pkexec',
      rule: 'login-pkexec',
      fields: { user: 'mallory' },
    },
    {
      message:
        'pam_unix(su:auth): 2 more authentication failures; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=root',
      from: 'Linux-PAM pam_unix support.c _cleanup_failures() under su',
      program: 'su',
      rule: 'login-su',
      fields: { user: 'alice', target: 'root' },
    },
    {
      message: 'pam_sss(su-l:auth): received for user root: 7 (Authentication failure)',
      from: 'sssd pam_sss.c under su: the account tried is the target, the caller is not named',
      program: 'su',
      rule: 'login-su',
      fields: { target: 'root' },
      absent: ['user'],
    },
    {
      message: "pam_winbind(su:auth): user 'EXAMPLE\\alice' denied access (incorrect password or invalid membership)",
      from: 'samba pam_winbind.c under su',
      program: 'su',
      rule: 'login-su',
      fields: { target: 'EXAMPLE\\alice' },
    },
    {
      message: 'pam_ldap(login:auth): Authentication failure; user=alice',
      from: 'nss-pam-ldapd pam/pam.c: "%s; user=%s"',
      program: 'login',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message:
        'pam_unix(gnome-screensaver:auth): authentication failure; logname= uid=1000 euid=1000 tty=:0 ruser= rhost=  user=alice',
      from: 'Linux-PAM pam_unix under gnome-screensaver-dialog (GNOME 2/MATE/Xfce lockers)',
      program: 'gnome-screensaver-dialog',
      rule: 'login',
      fields: { user: 'alice' },
    },
    {
      message: 'pam_sss(polkit-1:auth): received for user bob: 7 (Authentication failure)',
      from: 'sssd pam_sss.c under polkit: bob is the admin account picked in the dialog, not the caller: counted for no one',
      program: 'polkit-agent-helper-1',
      rule: 'login',
      fields: { target: 'bob' },
      absent: ['user'],
    },
  ],
  noMatch: [
    {
      message:
        'Operator of unix-session:2 FAILED to authenticate to gain authorization for action org.freedesktop.color-manager.create-device for system-bus-name::1.81 [/usr/libexec/gsd-color] (owned by unix-user:alice)',
      from: 'polkit polkitbackendinteractiveauthority.c: "FAILED to authenticate" is also a dismissed dialog, and the owner comes after the caller\'s command line',
      program: 'polkitd',
    },
    {
      message:
        'carol: The value for the SHELL variable was not found in the /etc/shells file [USER=root] [TTY=/dev/pts/0] [CWD=/home/carol] [COMMAND=/usr/sbin/gparted]',
      from: 'polkit 121+ pkexec.c: a shell missing from /etc/shells, after the PwnKit fix',
      program: 'pkexec',
    },
    {
      message: 'pam_succeed_if(lightdm:auth): requirement "user ingroup nopasswdlogin" not met by user "alice"',
      from: 'Linux-PAM pam_succeed_if.c: lightdm checks its nopasswdlogin group at every login',
      program: 'lightdm',
    },
    {
      message: 'pam_tally2(su:auth): user alice (1000) tally 2, deny 3',
      from: 'Linux-PAM pam_tally2.c tally_check() with debug: every check is logged, the account is not locked',
    },
    {
      message:
        'alice: Error executing command as another user: Request dismissed [USER=root] [TTY=unknown] [CWD=/] [COMMAND=/bin/true]',
      from: 'polkit pkexec.c: the caller closed the dialog',
      program: 'pkexec',
    },
    {
      message: 'alice: Executing command [USER=root] [TTY=unknown] [CWD=/] [COMMAND=/bin/sh -c "Not authorized"]',
      from: 'polkit pkexec.c: success',
      program: 'pkexec',
    },
    { message: '(to root) alice on pts/0', from: 'util-linux su-common.c, success: "(to %s) %s on %s"' },
    { message: '(to failed) alice on pts/0', from: 'util-linux su-common.c, success to a user named "failed"' },
    {
      message: 'pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1000)',
      from: 'Linux-PAM pam_unix_sess.c (1.4+)',
    },
    {
      message: 'pam_unix(su:session): session opened for user root by alice(uid=1000)',
      from: 'Linux-PAM pam_unix_sess.c (≤ 1.3)',
    },
    { message: 'pam_unix(su:session): session closed for user root', from: 'Linux-PAM pam_unix_sess.c' },
    { message: 'Successful su for root by alice', from: 'shadow lib/sulog.c: "Successful su for %s by %s"' },
    { message: '+ /dev/pts/0 alice:root', from: 'shadow src/su.c: "+ %s %s:%s"' },
    {
      message: "'su root' succeeded for alice on /dev/pts/1",
      from: 'illumos su.c: "\'su %s\' succeeded for %s on %s"',
    },
    { message: 'LOGIN ON tty1 BY alice', from: 'util-linux login.c: "LOGIN ON %s BY %s"', program: 'login' },
    { message: 'ROOT LOGIN ON tty1', from: 'util-linux login.c: "ROOT LOGIN ON %s"', program: 'login' },
    {
      message: 'LOGIN ON pts/2 BY bob FROM client.example.org',
      from: 'util-linux login.c: "LOGIN ON %s BY %s FROM %s"',
      program: 'login',
    },
    { message: 'DIALUP AT ttyS0 BY alice', from: 'util-linux login.c: "DIALUP AT %s BY %s"', program: 'login' },
    { message: "ROOT LOGIN  on '/dev/tty1'", from: 'shadow src/login.c: "ROOT LOGIN %s"', program: 'login' },
    {
      message: "'alice' logged in  on '/dev/tty2'",
      from: 'shadow src/login.c: "\'%s\' logged in %s"',
      program: 'login',
    },
    { message: "root login on 'ttyS0'", from: 'BusyBox login.c: "root login%s"', program: 'login' },
    {
      message: 'pam_unix(login:session): session opened for user alice(uid=1000) by LOGIN(uid=0)',
      from: 'Linux-PAM pam_unix_sess.c',
      program: 'login',
    },
    {
      message: 'pam_unix(gdm-password:session): session opened for user alice(uid=1000) by (uid=0)',
      from: 'Linux-PAM pam_unix_sess.c under gdm',
      program: 'gdm-password]',
    },
    {
      message: 'pam_succeed_if(lightdm:auth): requirement "user ingroup nopasswdlogin" not met by user "alice"',
      from: "Linux-PAM pam_succeed_if: a normal step of Ubuntu's display-manager stack",
      program: 'lightdm',
    },
    {
      message: 'pam_unix(sddm-greeter:session): session opened for user sddm(uid=964) by (uid=0)',
      from: 'Linux-PAM pam_unix_sess.c under sddm-helper',
      program: 'sddm-helper',
    },
    {
      message: 'FAILED SU (to root) alice on pts/0',
      from: "util-linux su's text under another program: not su's line",
      program: 'myapp',
    },
    {
      message: 'FAILED LOGIN 1 FROM tty1 FOR alice, Authentication failure',
      from: "util-linux login's text under another program",
      program: 'cron',
    },
  ],
};
