// sshd's messages, each row citing the openssh-portable (or Linux-PAM) format string that writes it. Messages only:
// the test wraps each in every syslog envelope, under sshd (≤ 9.7) and sshd-session (9.8+).
import type { PackTable } from './table.js';

const A = '203.0.113.7';
const V6 = '2001:db8:7::15';
/** An auditd record (audit.log) of the given type and user-space text, as libaudit sends it under sshd. */
const audit = (type: string, text: string) =>
  `type=${type} msg=audit(1795428901.250:4567): pid=4242 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='${text}'`;
const AUDIT =
  'Linux-PAM libpam/pam_audit.c _pam_audit_writelog() through libaudit audit_log_acct_message(): "op=%s acct=\\"%s\\" exe=%s hostname=%s addr=%s terminal=%s res=%s"';

export const sshdTable: PackTable = {
  pack: 'sshd',
  programs: ['sshd', 'sshd-session'],
  match: [
    {
      line: audit(
        'USER_AUTH',
        `op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=${A} addr=${A} terminal=ssh res=failed`,
      ),
      from: `${AUDIT}: a failed pam_authenticate() (USER_AUTH)`,
      fields: { ip: A, user: 'root' },
    },
    {
      line: audit(
        'USER_AUTH',
        `op=PAM:authentication grantors=? acct=61646D696E2031 exe="/usr/sbin/sshd" hostname=${V6} addr=${V6} terminal=ssh res=failed`,
      ),
      from: `${AUDIT}: an account holding a space, hex-encoded (audit_encode_value)`,
      fields: { ip: V6 },
    },
    {
      line: audit(
        'USER_AUTH',
        `op=PAM:authentication acct="admin" exe="/usr/sbin/sshd" hostname=${A} addr=${A} terminal=ssh res=failed`,
      ),
      from: `${AUDIT}: Linux-PAM before 1.1.8 (no grantors=)`,
      fields: { ip: A, user: 'admin' },
    },
    {
      line: audit(
        'USER_AUTH',
        `op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=client.example.net addr=${A} terminal=ssh res=failed`,
      ),
      from: `${AUDIT}: UseDNS: addr= is what libaudit resolved the name to (DNS its owner controls), shown as the host only`,
      fields: { host: 'client.example.net', user: 'root' },
      absent: ['ip'],
    },
    {
      line: `Nov 23 10:15:01 web1 audit[4242]: USER_AUTH pid=4242 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors=? acct="root" exe="/usr/libexec/openssh/sshd-session" hostname=${A} addr=${A} terminal=ssh res=failed'`,
      from: `${AUDIT}; journald's rendering, sshd-session (9.8+) running PAM`,
      fields: { ip: A, user: 'root' },
    },
    {
      line: `Nov 23 10:15:01 web1 audisp-syslog[555]: type=USER_AUTH msg=audit(1795428901.250:4567): pid=4242 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=${A} addr=${A} terminal=ssh res=failed' UID="root" AUID="unset"`,
      from: `${AUDIT}; audisp-syslog relaying the enriched format (its GS written as a space)`,
      fields: { ip: A, user: 'root' },
    },
    {
      line: `Nov 23 10:15:01 web1 kernel: [ 1234.567890] audit: type=1100 audit(1795428901.250:4567): pid=4242 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=${A} addr=${A} terminal=ssh res=failed'`,
      from: `${AUDIT}; the kernel log with printk's time, auditd not running`,
      fields: { ip: A, user: 'root' },
    },
    {
      line: `type=USER_AUTH msg=audit(1795428901.250:4567): pid=4242 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=${A} addr=${A} terminal=ssh res=failed'`,
      from: `${AUDIT}; no SELinux subject: any CAP_AUDIT_WRITE holder (a container's root) could have sent it, so it is counted for no one`,
      fields: {},
      absent: ['ip', 'user'],
    },
    {
      message: `Bad password attempt for 'root' from ${A}:52814`,
      program: 'dropbear',
      from: 'dropbear svr-authpasswd.c: "Bad password attempt for \'%s\' from %s"',
      fields: { ip: A, user: 'root' },
    },
    {
      message: `Bad PAM password attempt for 'admin' from [${V6}]:52814`,
      program: 'dropbear',
      from: 'dropbear svr-authpam.c: "Bad PAM password attempt for \'%s\' from %s" (IPv6 bracketed)',
      fields: { ip: V6, user: 'admin' },
    },
    {
      message: `Login attempt for nonexistent user from ${A}:52814`,
      program: 'dropbear',
      from: 'dropbear svr-auth.c checkusername(): "Login attempt for nonexistent user from %s"',
      fields: { ip: A },
    },
    {
      message: `login attempt for nonexistent user 'oracle' from ${A}:52814`,
      program: 'dropbear',
      from: 'dropbear before 0.53: "login attempt for nonexistent user \'%s\' from %s"',
      fields: { ip: A },
    },
    {
      message: `Exit before auth from <${A}:52814>: (user 'root', 10 fails): Max auth tries reached - user 'root'`,
      program: 'dropbear',
      from: 'dropbear svr-session.c: "Exit before auth from <%s>: (user \'%s\', %u fails): %s" (2020+)',
      fields: { ip: A },
    },
    {
      message: `Exit before auth (user 'root', 3 fails): Max auth tries reached - user 'root' from ${A}:52814`,
      program: 'dropbear',
      from: "dropbear before 2020: \"Exit before auth (user '%s', %u fails): Max auth tries reached - user '%s' from %s\"",
      fields: { ip: A },
    },
    {
      message: `Failed password for root from ${A} port 52814 ssh2`,
      from: 'auth.c auth_log(): "%s %s%s%s for %s%.100s from %.200s port %d ssh2%s%s"',
      fields: { ip: A, user: 'root', method: 'password' },
    },
    {
      message: `Failed password for invalid user admin from ${A} port 52816 ssh2`,
      from: 'auth.c auth_log(), invalid user',
      fields: { ip: A, user: 'admin' },
    },
    {
      message: `Failed password for invalid user  from ${A} port 52818 ssh2`,
      from: 'auth.c auth_log(), empty user name',
      fields: { ip: A },
    },
    {
      message: `Failed password for invalid user oracle db from ${V6} port 40022 ssh2`,
      from: 'auth.c auth_log(), a user name with a space, IPv6',
      fields: { ip: V6, user: 'oracle db' },
    },
    {
      message: `Failed keyboard-interactive/pam for invalid user support from ${A} port 60100 ssh2`,
      from: 'auth.c auth_log(), method keyboard-interactive/pam',
      fields: { ip: A, method: 'keyboard-interactive/pam' },
    },
    {
      message: `Failed keyboard-interactive/pam for root from ${A} port 60100 ssh2`,
      from: 'auth.c auth_log(), keyboard-interactive/pam, valid user (INFO after 3 failures)',
      fields: { ip: A, user: 'root' },
    },
    {
      message: `Failed none for invalid user guest from ${A} port 41000 ssh2`,
      from: 'auth.c auth_log(), method none (PermitEmptyPasswords)',
      fields: { ip: A, method: 'none' },
    },
    {
      message: `Failed hostbased for invalid user x from ${A} port 41001 ssh2: ECDSA SHA256:${'A'.repeat(43)}`,
      from: 'auth.c auth_log(), hostbased with key info',
      fields: { ip: A },
    },
    {
      message: `Failed publickey for invalid user git from ${A} port 41002 ssh2: RSA SHA256:${'b'.repeat(43)}`,
      from: 'auth.c auth_log(), publickey for an invalid user (privilege separation off, 7.0–7.4)',
      fields: { ip: A, user: 'git' },
    },
    {
      message: `Failed publickey for invalid user git from ${A} port 41002 ssh2: RSA 12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0`,
      from: 'auth.c auth_log(), MD5 hex fingerprint (before 6.8)',
      fields: { ip: A },
    },
    {
      message: `Failed gssapi-with-mic for invalid user bob from ${A} port 41003 ssh2`,
      from: 'auth2-gss.c: "Failed gssapi-with-mic for %s%.100s from %.200s port %d ssh2" (10.4+)',
      fields: { ip: A },
    },
    {
      message: `Failed password for root from ${A} port 52814 ssh1`,
      from: 'auth.c auth_log() 7.0–7.3 with protocol 1: "… port %d %s" ssh1',
      fields: { ip: A },
    },
    {
      message: `Invalid user admin from ${A} port 52816`,
      from: 'auth.c getpwnamallow(): "Invalid user %.100s from %.100s port %d" (7.3+)',
      fields: { ip: A, user: 'admin' },
    },
    {
      message: `Invalid user admin from ${A}`,
      from: 'auth.c getpwnamallow(): "Invalid user %.100s from %.100s" (7.0–7.2)',
      fields: { ip: A, user: 'admin' },
    },
    {
      message: `Invalid user  from ${V6} port 52818`,
      from: 'auth.c getpwnamallow(), empty user, IPv6',
      fields: { ip: V6 },
    },
    {
      message: `Illegal user test from ${A}`,
      from: 'auth.c (OpenSSH before 3.9): "Illegal user %.100s from %.100s"',
      fields: { ip: A, user: 'test' },
    },
    {
      message: 'input_userauth_request: invalid user admin [preauth]',
      from: 'auth2.c input_userauth_request(): "input_userauth_request: invalid user %s" (7.0–7.4, no address)',
      fields: {},
    },
    ...(
      [
        'not listed in AllowUsers',
        'listed in DenyUsers',
        'not in any group',
        'a group is listed in DenyGroups',
        "none of user's groups are listed in AllowGroups",
      ] as const
    ).map((reason) => ({
      message: `User root from ${A} not allowed because ${reason}`,
      from: `auth.c allowed_user(): "User %.100s from %.100s not allowed because ${reason}"`,
      fields: { ip: A, user: 'root' },
    })),
    {
      message: 'User alice from host-203-0-113-7.example.net not allowed because not listed in AllowUsers',
      from: 'auth.c allowed_user() with UseDNS yes: the canonical host name, shown and not counted',
      fields: { host: 'host-203-0-113-7.example.net' },
    },
    {
      message: 'User games not allowed because shell /nonexistent does not exist',
      from: 'auth.c allowed_user(): "User %.100s not allowed because shell %.100s does not exist"',
      fields: { user: 'games' },
    },
    {
      message: 'User bob not allowed because account is locked',
      from: 'auth.c allowed_user(): "User %.100s not allowed because account is locked"',
      fields: { user: 'bob' },
    },
    {
      message: `administratively prohibited connection for invalid user admin from ${A} port 52001`,
      from: 'monitor.c: "administratively prohibited connection for %s%s from %.128s port %d" (9.9+)',
      fields: { ip: A },
    },
    {
      message: `error: PAM: Authentication failure for root from ${A}`,
      from: 'auth-pam.c: "PAM: %s for %s%.100s from %.100s"',
      fields: { ip: A, user: 'root' },
    },
    {
      message: `error: PAM: User not known to the underlying authentication module for illegal user admin from ${A}`,
      from: 'auth-pam.c: "PAM: %s for %s%.100s from %.100s" with "illegal user "',
      fields: { ip: A, user: 'admin' },
    },
    {
      message: 'error: PAM: authentication error for illegal user oracle from example.com',
      from: 'auth-pam.c with OpenPAM (FreeBSD) strings and UseDNS: a host name, shown and not counted',
      fields: { host: 'example.com', user: 'oracle' },
    },
    {
      message: `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${A}  user=root`,
      from: 'Linux-PAM pam_unix support.c: "authentication failure; logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s %s%s"',
      fields: { ip: A, user: 'root' },
    },
    {
      message: `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${V6} `,
      from: 'Linux-PAM pam_unix support.c, unknown user: no user=, a trailing space',
      fields: { ip: V6 },
    },
    {
      message: `pam_sss(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${A} user=carol`,
      from: 'SSSD pam_sss: the same fields, one space before user=',
      fields: { ip: A, user: 'carol' },
    },
    {
      message: 'pam_succeed_if(sshd:auth): requirement "uid >= 1000" not met by user "root"',
      from: 'Linux-PAM pam_succeed_if.c: "requirement \\"%s\\" not met by user \\"%s\\"" (RHEL password-auth)',
      fields: { user: 'root' },
    },
    {
      message: 'pam_sss(sshd:auth): received for user deploy: 7 (Authentication failure)',
      from: 'sssd pam_sss.c: "received for user %s: %d (%s)"',
      fields: { user: 'deploy' },
    },
    {
      message:
        'pam_sss(sshd:auth): received for user oracle: 10 (User not known to the underlying authentication module)',
      from: 'sssd pam_sss.c: "received for user %s: %d (%s)", PAM_USER_UNKNOWN',
      fields: { user: 'oracle' },
    },
    {
      message: 'pam_ldap(sshd:auth): Authentication failure; user=alice',
      from: 'nss-pam-ldapd pam/pam.c: "%s; user=%s"',
      fields: { user: 'alice' },
    },
    {
      message: 'pam_unix(sshd:auth): bad username [-admin]',
      from: 'Linux-PAM pam_unix_auth.c: "bad username [%s]"',
      fields: { user: '-admin' },
    },
    {
      message: 'pam_listfile(sshd:auth): Refused user alice for service sshd',
      from: 'Linux-PAM pam_listfile.c: "Refused user %s for service %s"',
      fields: { user: 'alice' },
    },
    {
      message: 'Invalid verification code for alice',
      from: 'google-authenticator-libpam: "Invalid verification code for %s" (tag sshd(pam_google_authenticator))',
      fields: { user: 'alice' },
    },
    {
      message: `pam_access(sshd:account): access denied for user \`git' from \`${A}'`,
      from: 'Linux-PAM pam_access.c: "access denied for user `%s\' from `%s\'"',
      fields: { ip: A, user: 'git' },
    },
    {
      message: "pam_access(sshd:account): access denied for user `git' from `bad.cafe'",
      from: 'Linux-PAM pam_access.c, UseDNS: a name of hex letters is a name, not an address',
      fields: { host: 'bad.cafe', user: 'git' },
    },
    {
      message: "pam_access(sshd:account): access denied for user `git' from `123.cafe'",
      from: 'Linux-PAM pam_access.c, UseDNS: digits and hex letters that are not four numbers are a name',
      fields: { host: '123.cafe', user: 'git' },
    },
    {
      message: `Failed publickey-hostbound-v00@openssh.com for invalid user admin from ${A} port 52814 ssh2: ED25519 SHA256:${'D'.repeat(43)}`,
      from: 'auth2.c userauth_finish() logs the method the client asked for: 8.9+ clients ask for the hostbound one',
      fields: { ip: A, user: 'admin', method: 'publickey-hostbound-v00@openssh.com' },
    },
    {
      message: 'error: PAM: Authentication failure for root from fe80::1%eth0',
      from: 'openssh auth-pam.c: "PAM: %s for %s%.100s from %.100s", a link-local client with its scope',
      fields: { ip: 'fe80::1', user: 'root' },
    },
    {
      message: `Failed publickey for invalid user admin from ${A} port 52814 ssh2: ED25519-CERT SHA256:${'B'.repeat(43)} ID alice (serial 7) CA ED25519 SHA256:${'C'.repeat(43)}`,
      from: 'auth.c auth_log() with auth2-pubkey.c format_key_info(): "%s %s ID %s (serial %llu) CA %s %s%s%s" (a certificate)',
      fields: { ip: A, user: 'admin' },
    },
    {
      message: `Failed hostbased for invalid user postgres from ${A} port 52814 ssh2: client user "postgres", client host "db1"`,
      from: 'auth2-hostbased.c auth2_record_info(): "client user \\"%.100s\\", client host \\"%.100s\\""',
      fields: { ip: A, user: 'postgres' },
    },
    {
      message: 'pam_unix(sshd:auth): check pass; user unknown',
      from: 'Linux-PAM pam_unix support.c _unix_verify_password(): "check pass; user unknown"',
      fields: {},
    },
    {
      message: `PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${A}  user=root`,
      from: 'Linux-PAM pam_unix support.c _cleanup_failures(): "%d more authentication failure%s; …" at pam_end (prefix "PAM")',
      fields: { ip: A, user: 'root' },
    },
    {
      message: `PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${A}`,
      from: 'Linux-PAM pam_unix _cleanup_failures(), singular, unknown user',
      fields: { ip: A },
    },
    {
      message: 'PAM service(sshd) ignoring max retries; 6 > 3',
      from: 'Linux-PAM pam_unix support.c: "service(%s) ignoring max retries; %d > %d"',
      fields: {},
    },
    {
      message: `error: maximum authentication attempts exceeded for invalid user admin from ${A} port 52816 ssh2 [preauth]`,
      from: 'auth.c auth_maxtries_exceeded(): "maximum authentication attempts exceeded for %s%.100s from %.200s port %d ssh2"',
      fields: { ip: A, user: 'admin' },
    },
    {
      message: `error: maximum authentication attempts exceeded for root from ${V6} port 52816 ssh2 [preauth]`,
      from: 'auth.c auth_maxtries_exceeded(), valid user, IPv6',
      fields: { ip: V6, user: 'root' },
    },
    {
      message: `Disconnecting invalid user admin ${A} port 52816: Too many authentication failures [preauth]`,
      from: 'packet.c ssh_packet_disconnect(): "Disconnecting %s: %.100s" with remote_id (7.5+)',
      fields: { ip: A, user: 'admin' },
    },
    {
      message: `Disconnecting authenticating user root ${A} port 52814: Too many authentication failures [preauth]`,
      from: 'packet.c ssh_packet_disconnect(), authenticating user',
      fields: { ip: A, user: 'root' },
    },
    {
      message: `Disconnecting ${A} port 52814: Too many authentication failures [preauth]`,
      from: 'packet.c ssh_packet_disconnect(), remote_id without a user',
      fields: { ip: A },
    },
    {
      message: `Received disconnect from ${A} port 52814:3: com.jcraft.jsch.JSchException: Auth fail for methods 'publickey,password' [preauth]`,
      from: 'mwiede/jsch Session.java: "Auth fail for methods \'%s\'" as the reason of SSH_DISCONNECT 3',
      fields: { ip: A },
    },
    {
      message: `drop connection #0 from [${A}]:53000 on [192.0.2.10]:22 penalty: connection prohibited by RefuseConnection`,
      from: 'openssh sshd.c "drop connection #%d from [%s]:%d on [%s]:%d %s", srclimit.c "penalty: connection prohibited by RefuseConnection" (9.9+)',
      fields: { ip: A },
    },
    {
      message: 'Disconnecting: Too many authentication failures [preauth]',
      from: 'packet.c "Disconnecting: %.100s" (7.0–7.4: no user, no address)',
      fields: {},
    },
    {
      message: 'Disconnecting: Too many authentication failures for root [preauth]',
      from: 'auth.h AUTH_FAIL_MSG "Too many authentication failures for %.100s" (≤ 6.6): the user is the client\'s text, not read',
      fields: {},
      absent: ['user'],
    },
    {
      message: `Disconnecting invalid user admin ${A} port 52816: Change of username or service not allowed: (admin,ssh-connection) -> (root,ssh-connection) [preauth]`,
      from: 'auth2.c: "Change of username or service not allowed: (%s,%s) -> (%s,%s)"',
      fields: { ip: A },
    },
    {
      message: `ROOT LOGIN REFUSED FROM ${A} port 52900`,
      from: 'auth.c auth_root_allowed(): "ROOT LOGIN REFUSED FROM %.200s port %d" (7.3+)',
      fields: { ip: A },
    },
    {
      message: `ROOT LOGIN REFUSED FROM ${A}`,
      from: 'auth.c auth_root_allowed(): "ROOT LOGIN REFUSED FROM %.200s" (7.0–7.2)',
      fields: { ip: A },
    },
    {
      message: `error: Received disconnect from ${A} port 52900:3: com.jcraft.jsch.JSchException: Auth fail [preauth]`,
      from: 'packet.c: "Received disconnect from %s port %d:%u: %.400s", reason 3 (error level)',
      fields: { ip: A },
    },
    {
      message: `Received disconnect from ${A}: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]`,
      from: 'packet.c 7.0–7.1: "Received disconnect from %s: %u: %.400s"',
      fields: { ip: A },
    },
    {
      message: `refused connect from ${A} (${A})`,
      from: 'tcp_wrappers refuse(): "refused connect from %s" (eval_client: host (address))',
      fields: { ip: A },
    },
    {
      message: `refused connect from ::ffff:${A}`,
      from: 'tcp_wrappers refuse() on a dual-stack socket',
      fields: { ip: A },
    },
    {
      message: `drop connection #3 from [${A}]:53000 on [192.0.2.10]:22 penalty: failed authentication`,
      from: 'sshd.c (9.8+): "drop connection #%d from [%s]:%d on [%s]:%d %s" with "penalty: failed authentication"',
      fields: { ip: A },
    },
    {
      message:
        'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=evil.example.com  user=root',
      from: 'Linux-PAM pam_unix with UseDNS yes: a host name is shown, never counted as an address',
      fields: { host: 'evil.example.com', user: 'root' },
      absent: ['ip'],
    },
    {
      message: 'pam_faillock(sshd:auth): Consecutive login failures for user alice account temporarily locked',
      from: 'Linux-PAM pam_faillock: "Consecutive login failures for user %s account temporarily locked"',
      fields: { user: 'alice' },
    },
    {
      message: 'pam_tally2(sshd:auth): user root (0) tally 4, deny 3',
      from: 'Linux-PAM pam_tally2: "user %s (%lu) tally %hu, deny %hu"',
      fields: { user: 'root' },
    },
  ],
  noMatch: [
    {
      line: audit(
        'USER_ERR',
        `op=PAM:bad_ident grantors=? acct="?" exe="/usr/sbin/sshd" hostname=${A} addr=${A} terminal=ssh res=failed`,
      ),
      from: `${AUDIT}: "PAM:bad_ident" at pam_end() when no stack ran: also a valid user who gave up (sshd-aggressive's)`,
    },
    {
      line: audit(
        'USER_AUTH',
        `op=PAM:authentication grantors=pam_unix acct="root" exe="/usr/sbin/sshd" hostname=${A} addr=${A} terminal=ssh res=success`,
      ),
      from: `${AUDIT}: a success`,
    },
    {
      line: audit(
        'USER_LOGIN',
        `op=login acct="root" exe="/usr/sbin/sshd" hostname=? addr=${A} terminal=sshd res=failed`,
      ),
      from: 'openssh audit-linux.c linux_audit_record_event(): "login" for every failed method, a second key offered too (the PAM record is the attempt)',
    },
    {
      line: audit(
        'USER_AUTH',
        `op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/vsftpd" hostname=${A} addr=${A} terminal=ftp res=failed`,
      ),
      from: `${AUDIT}: another program's record`,
    },
    {
      message: `Failed publickey-hostbound-v00@openssh.com for alice from 203.0.113.7 port 52814 ssh2: ED25519 SHA256:${'D'.repeat(43)}`,
      from: 'auth.c auth_log(): a valid user\'s 8.9+ client trying its keys, as "Failed publickey" (not counted)',
    },
    {
      message: 'pam_succeed_if(sshd:auth): requirement "user ingroup no2fa" not met by user "alice"',
      from: 'Linux-PAM pam_succeed_if.c: a group test before a second factor, at every login',
    },
    {
      message: 'Received disconnect from 203.0.113.7 port 52900:11: Bye Bye [preauth]',
      from: "packet.c: a client leaving before authenticating is sshd-aggressive's, as fail2ban's normal mode does not count it",
    },
    {
      message: 'pam_succeed_if(sshd:account): requirement "user ingroup wheel" not met by user "deploy"',
      from: 'Linux-PAM pam_succeed_if.c in the account stage (a policy check after login, not a password attempt)',
    },
    {
      message:
        'pam_sss(sshd:auth): received for user deploy: 9 (Authentication service cannot retrieve authentication info)',
      from: 'sssd pam_sss.c: the directory unreachable, not a wrong password',
    },
    {
      message: 'pam_succeed_if(sshd:auth): requirement "uid >= 1000" was met by user "alice"',
      from: 'Linux-PAM pam_succeed_if.c: "was met"',
    },
    {
      message: `Child connection from ${A}:52814`,
      program: 'dropbear',
      from: 'dropbear svr-main.c: "Child connection from %s:%s"',
    },
    {
      message: `Password auth succeeded for 'root' from ${A}:52814`,
      program: 'dropbear',
      from: 'dropbear svr-authpasswd.c: "Password auth succeeded for \'%s\' from %s"',
    },
    {
      message: `Exit before auth from <${A}:52814>: Exited normally`,
      program: 'dropbear',
      from: 'dropbear svr-session.c: a connection closed before authenticating, no failure',
    },
    { message: 'Accepted password for deploy from 10.0.0.5 port 50522 ssh2', from: 'auth.c auth_log(), Accepted' },
    {
      message: `Accepted publickey for deploy from 10.0.0.5 port 50522 ssh2: ED25519 SHA256:${'x'.repeat(43)}`,
      from: 'auth.c auth_log(), Accepted publickey',
    },
    {
      message: 'Accepted keyboard-interactive/pam for alice from 10.0.0.5 port 50600 ssh2',
      from: 'auth.c auth_log(), Accepted kbd-int',
    },
    {
      message: 'Postponed keyboard-interactive for invalid user support from 203.0.113.9 port 60100 ssh2 [preauth]',
      from: 'auth.c auth_log(), Postponed',
    },
    {
      message: 'Partial publickey for alice from 10.0.0.5 port 50522 ssh2: ED25519 SHA256:abc',
      from: 'auth.c auth_log(), Partial (AuthenticationMethods)',
    },
    {
      message: `Failed publickey for alice from 10.0.0.5 port 50522 ssh2: RSA SHA256:${'c'.repeat(43)}`,
      from: 'auth.c auth_log(), a valid user whose first key is refused (normal)',
    },
    {
      message: 'pam_unix(sshd:session): session opened for user deploy(uid=1000) by deploy(uid=0)',
      from: 'Linux-PAM pam_unix_sess.c: "session opened for user %s(uid=%s) by %s(uid=%lu)" (1.4+)',
    },
    {
      message: 'pam_unix(sshd:session): session opened for user deploy by (uid=0)',
      from: 'Linux-PAM pam_unix_sess.c (≤ 1.3)',
    },
    { message: 'pam_unix(sshd:session): session closed for user deploy', from: 'Linux-PAM pam_unix_sess.c' },
    {
      message: 'Received disconnect from 10.0.0.5 port 50522:11: disconnected by user',
      from: 'packet.c, reason 11 sent by the OpenSSH client at the end of a session',
    },
    { message: 'Disconnected from user deploy 10.0.0.5 port 50522', from: 'packet.c sshpkt_fatal() after login' },
    {
      message: 'Connection closed by 10.0.0.5 port 50522 [preauth]',
      from: 'packet.c sshpkt_fatal() before userauth (sshd-aggressive only)',
    },
    {
      message: 'Connection closed by authenticating user bob 10.0.0.5 port 50522 [preauth]',
      from: 'packet.c sshpkt_fatal(): a client giving up after its keys (sshd-aggressive only)',
    },
    {
      message: 'Connection from 10.0.0.5 port 50522 on 10.0.0.1 port 22 rdomain ""',
      from: 'sshd.c: "Connection from %s port %d on %s port %d%s%s%s" (VERBOSE)',
    },
    {
      message: 'Server listening on 0.0.0.0 port 22.',
      from: 'sshd.c server_listen(): "Server listening on %s port %s%s%s."',
    },
    { message: 'Received signal 15; terminating.', from: 'sshd.c: "Received signal %d; terminating."' },
    {
      message: 'Starting session: shell on pts/0 for deploy from 10.0.0.5 port 50522 id 0',
      from: 'session.c do_exec(): "Starting session: %s%s%s for %s from %.200s port %d id %d"',
    },
    {
      message: 'Close session: user deploy from 10.0.0.5 port 50522 id 0',
      from: 'session.c: "Close session: user %s from %.100s port %d id %d"',
    },
    {
      message: 'Timeout before authentication for connection from 192.0.2.10 to 203.0.113.7, pid = 48213',
      from: 'sshd.c (9.8 swapped the addresses, 9.9+ not): no address is taken from this line',
    },
    {
      message: 'rexec line 42: Deprecated option UsePrivilegeSeparation',
      from: 'servconf.c: "%s line %d: Deprecated option %s"',
    },
    {
      message: 'Accepted password for invalid from 10.0.0.5 port 50522 ssh2',
      from: 'auth.c auth_log(): a success for a user named "invalid"',
    },
    {
      message: 'subsystem request for sftp by user deploy',
      from: 'session.c: "subsystem request for %.100s by user %s"',
    },
  ],
};
