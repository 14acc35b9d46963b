// Lines an attacker shapes: another program's line inside a user name, a disconnect reason, a URL, a User-Agent or a
// basic-auth user. Each must match nothing, or blame only the address (and account) the line really owns.
import { describe, expect, it } from 'vitest';
import type { PackName } from '../../../src/rules/packs/index.js';
import { matchesOf, packMatcher } from './matching.js';

const REAL = '198.51.100.20';
const FAKE = '127.0.0.53';
const SSHD = 'Nov 23 10:15:01 web1 sshd[4242]:';
const SUDO = 'Nov 23 10:15:01 web1 sudo:';
const NGINX_ERR = '2026/11/23 10:15:01 [error] 812#812: *5';
const APACHE_ERR = '[Mon Nov 23 10:15:01.123456 2026] [auth_basic:error] [pid 1234:tid 5678]';
const access = (request: string, extra = '"-" "curl/8.5"', user = '-', status = 404) =>
  `${REAL} - ${user} [23/Nov/2026:10:15:01 +0000] "${request}" ${status} 0 ${extra}`;

interface Hostile {
  packs: PackName[];
  line: string;
  why: string;
  /** Fields every matched verdict must carry (the real owner); absent: nothing may match. */
  owner?: Record<string, string | undefined>;
}

const rows: Hostile[] = [
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `${SSHD} Disconnecting: Too many authentication failures for root from ${FAKE} port 22 ssh2 [preauth]`,
    why: 'OpenSSH 6.7 cuts "for %s%.100s from %.200s …" at 100 bytes: a long user name ends the line with its own address',
  },
  // sshd
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `${SSHD} Failed publickey for invalid user x from ${REAL} port 4242 ssh2: ED25519-CERT SHA256:${'B'.repeat(43)} ID y from ${FAKE} port 22 ssh2 (serial 1) CA ED25519 SHA256:${'C'.repeat(43)}`,
    why: "a certificate's key ID spelling a failure's tail: the user before the address cannot hold the ': ' after it",
    owner: { ip: REAL, user: 'x' },
  },
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `${SSHD} Failed hostbased for invalid user x from ${FAKE} port 22 ssh2 from ${REAL} port 4242 ssh2: client user "a", client host "b from ${FAKE} port 1 ssh2"`,
    why: 'a user name and a hostbased client host both spelling addresses: the last address before ": " is sshd’s',
    owner: { ip: REAL },
  },
  {
    packs: ['sshd'],
    line: `${SSHD} Received disconnect from ${REAL} port 4242:11: sshd[1]: Failed password for root from ${FAKE} port 22 ssh2 [preauth]`,
    why: "a disconnect reason holding sshd's own failure line",
  },
  {
    packs: ['sshd-aggressive'],
    line: `${SSHD} Received disconnect from ${REAL} port 4242:11: sshd[1]: Failed password for root from ${FAKE} port 22 ssh2 [preauth]`,
    why: "a disconnect reason holding sshd's own failure line, read by aggressive mode: the address before the reason",
    owner: { ip: REAL },
  },
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `${SSHD} Received disconnect from ${REAL} port 4242:3: Failed password for root from ${FAKE} port 22 ssh2: Auth fail [preauth]`,
    why: 'a failure line inside an Auth fail reason: the address before the reason counts',
    owner: { ip: REAL },
  },
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `${SSHD} Failed password for invalid user x from ${FAKE} port 22 ssh2 from ${REAL} port 4000 ssh2`,
    why: 'a user name ending like the line',
    owner: { ip: REAL },
  },
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `${SSHD} Failed password for invalid user a from ${FAKE} port 22 ssh2 [preauth] from ${REAL} port 4000 ssh2`,
    why: 'a user name ending with a [preauth] marker',
    owner: { ip: REAL },
  },
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `${SSHD} Invalid user admin from ${FAKE} port 22 from ${REAL} port 4000`,
    why: 'an invalid user name holding an address',
    owner: { ip: REAL },
  },
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `${SSHD} Failed publickey for invalid user x from ${FAKE} port 1 ssh2 from ${REAL} port 2 ssh2: RSA SHA256:${'a'.repeat(43)}`,
    why: 'a user name before key info',
    owner: { ip: REAL },
  },
  {
    packs: ['sshd-aggressive'],
    line: `${SSHD} Connection closed by invalid user root ${FAKE} port 22 ${REAL} port 4000 [preauth]`,
    why: 'a user name holding an address in the preamble',
    owner: { ip: REAL },
  },
  {
    packs: ['sshd-aggressive'],
    line: `${SSHD} Bad protocol version identification 'SSH-2.0-x' from ${FAKE} port 22' from ${REAL} port 4000`,
    why: 'a version string ending like the line',
    owner: { ip: REAL },
  },
  {
    packs: ['sshd-aggressive'],
    line: `${SSHD} Unable to negotiate with ${REAL} port 4000: no matching cipher found. Their offer: from ${FAKE} port 22 [preauth]`,
    why: "the client's offer after the address",
    owner: { ip: REAL },
  },
  {
    packs: ['sshd'],
    line: `${SSHD} pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${REAL}  user=root rhost=${FAKE}`,
    why: 'a PAM user name holding another rhost=',
    owner: { ip: REAL },
  },
  {
    packs: ['sshd', 'sudo', 'login'],
    line: `Nov 23 10:15:01 web1 myapp[3]: user typed "sshd[1]: Failed password for root from ${FAKE} port 1 ssh2"`,
    why: "another program quoting sshd's words",
  },
  {
    packs: ['sshd', 'sudo', 'login', 'generic'],
    line: `Nov 23 10:15:01 web1 myapp[3]: Nov 23 10:15:01 web1 sshd[1]: Failed password for root from ${FAKE} port 1 ssh2`,
    why: "a whole sshd line as another program's message",
  },
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `Nov 23 10:15:01 web1 dropbear[4242]: Bad PAM password attempt for 'x' from ${FAKE}:22' from ${REAL}:52814`,
    why: "Dropbear's PAM line names the client's user in quotes: the address Dropbear wrote last is the client",
    owner: { ip: REAL },
  },
  // sudo and login inside sshd's text
  {
    packs: ['sudo', 'login'],
    line: `${SSHD} Invalid user sudo: root : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh from ${REAL} port 22`,
    why: "a user name holding sudo's line: not sudo's",
  },
  {
    packs: ['sudo', 'login'],
    line: `${SSHD} Failed password for invalid user su: FAILED SU (to root) alice on pts/0 from ${REAL} port 22 ssh2`,
    why: "a user name holding su's line",
  },
  {
    packs: ['sudo'],
    line: 'Nov 23 10:15:01 web1 doas: command not permitted for alice: /bin/echo failed auth for root',
    why: "doas's refusal whose command line spells a failure of root's: alice's refusal only",
    owner: { user: 'alice' },
  },
  {
    packs: ['sudo'],
    line: `${SUDO}    alice : TTY=pts/1 ; PWD=/tmp/x : 3 incorrect password attempts ; USER=root ; COMMAND=/bin/ls`,
    why: 'an accepted command whose directory spells a failure',
  },
  {
    packs: ['sudo'],
    line: `${SUDO}    alice : command not allowed ; TTY=pts/1 ; PWD=/tmp/a ; USER=root ; b ; USER=postgres ; COMMAND=/usr/bin/psql`,
    why: 'a directory holding " ; USER=root ; ": the refusal counts for alice, the run-as user is not guessed',
    owner: { user: 'alice', target: undefined },
  },
  {
    packs: ['sudo'],
    line: `${SUDO}    alice : TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/echo ; bob : user NOT in sudoers ; TTY=pts/2`,
    why: 'command arguments holding a refusal for someone else',
  },
  {
    packs: ['sudo'],
    line: `${SUDO}    alice : user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp/x ; USER=bob ; USER=root ; COMMAND=/bin/ls`,
    why: 'a directory holding " ; USER=bob": the run-as user is not guessed',
    owner: { user: 'alice', target: undefined },
  },
  {
    packs: ['login'],
    line: 'Nov 23 10:15:01 web1 login[7]: FAILED LOGIN 1 FROM tty1 FOR root, Authentication failure FOR alice, Authentication failure',
    why: 'a typed user name holding a whole failure: the name is the typed text, never "root" alone',
  },
  // web
  {
    packs: ['web', 'nginx', 'apache'],
    line: access(
      'GET / HTTP/1.1',
      `"-" "${FAKE} - - [23/Nov/2026:10:15:01 +0000] \\"GET /.env HTTP/1.1\\" 404 0"`,
      '-',
      200,
    ),
    why: 'a User-Agent holding a whole access line',
  },
  {
    packs: ['web', 'nginx', 'apache'],
    line: access('GET /.env HTTP/1.1', '"-" "x"', `a ${FAKE} - -`),
    why: 'a user field with spaces holding an address',
    owner: { ip: REAL },
  },
  {
    packs: ['web', 'nginx', 'apache'],
    line: access(
      `GET /?x=${FAKE}%20-%20-%20[23/Nov/2026:10:15:01%20+0000]%20%22GET%20/../etc/passwd HTTP/1.1`,
      '"-" "x"',
      '-',
      400,
    ),
    why: 'a query holding an access line: the request is the real client’s',
    owner: { ip: REAL },
  },
  {
    packs: ['nginx'],
    line: `${NGINX_ERR} user "x\\" was not found in \\"/a" was not found in "/etc/nginx/.htpasswd", client: ${REAL}, server: example.com, request: "GET / HTTP/1.1"`,
    why: "a basic-auth user spelling nginx's message (a user cannot hold the colon of client: )",
    owner: { ip: REAL },
  },
  {
    packs: ['nginx'],
    line: `${NGINX_ERR} open() "/usr/share/nginx/html/phpmyadmin, client: ${FAKE}, server: x" failed (2: No such file or directory), client: ${REAL}, server: example.com, request: "GET /phpmyadmin HTTP/1.1"`,
    why: 'a decoded path holding nginx’s context: two clients, so the line blames no one',
  },
  {
    packs: ['nginx'],
    line: `${NGINX_ERR} limiting requests, excess: 5.000 by zone "one", client: ${REAL}, server: example.com, request: "GET / HTTP/1.1", host: "example.com", referrer: "x, client: ${FAKE}, server: y"`,
    why: 'a referrer holding nginx’s context after the real one: the first client after nginx’s own text is the real one',
    owner: { ip: REAL },
  },
  {
    packs: ['nginx'],
    line: `${NGINX_ERR} client sent invalid header line: "X: , client: ${FAKE}, server: y" while reading client request headers, client: unix:, server: example.com`,
    why: 'a header line holding a client, the real client a unix socket: occurrences disagree, no one is blamed',
  },
  {
    packs: ['nginx'],
    line: `${NGINX_ERR} "/srv/www/x, client: ${FAKE}, server: y/.env" failed (2: No such file or directory), client: ${REAL}, server: example.com, request: "GET /.env HTTP/1.1"`,
    why: 'a probed path holding a client: two clients, so the line blames no one',
  },
  {
    packs: ['nginx'],
    line: `${NGINX_ERR} open() "/srv/www/.env" failed (2: No such file or directory), client: ${FAKE}, server: x" failed (2: No such file or directory), client: ${REAL}, server: example.com, request: "GET /.env%22%20failed%20(2:%20No%20such%20file%20or%20directory),%20client:%20${FAKE},%20server:%20x HTTP/1.1"`,
    why: 'a probed path closing its own quote (%22) and spelling nginx’s whole tail: two clients, the line blames no one',
  },
  {
    packs: ['nginx'],
    line: `${NGINX_ERR} access forbidden by rule, client: ${REAL}, server: _, request: "GET /.git/config?, client: ${FAKE}, server: x HTTP/1.1", host: "example.com"`,
    why: 'a refused request line spelling a client: two clients, the line blames no one',
  },
  {
    packs: ['web', 'nginx'],
    line: `${REAL} - - [23/Nov/2026:10:15:01 +0000] "GET / HTTP/1.1" 200 153 "-" "<?php system('id'); ?> ${FAKE}"`,
    why: 'a User-Agent holding code and an address: the client is the first field',
    owner: { ip: REAL },
  },
  {
    packs: ['web', 'nginx'],
    line: `${FAKE} ${REAL} - - [23/Nov/2026:10:15:01 +0000] "GET /.env HTTP/1.1" 404 153 "-" "curl/8.5"`,
    why: 'nginx-proxy’s `$host $remote_addr …` with a Host header that is an address: no client (it may as well be `$remote_addr $http_x_forwarded_for`)',
  },
  {
    packs: ['web', 'nginx'],
    line: `${REAL} ${FAKE} - - [23/Nov/2026:10:15:01 +0000] "GET /.env HTTP/1.1" 404 153 "-" "curl/8.5"`,
    why: '`$remote_addr $http_x_forwarded_for - $remote_user`: the second address is the client’s own header',
  },
  {
    packs: ['web', 'nginx'],
    line: `${REAL} - ${FAKE} - [23/Nov/2026:10:15:01 +0000] "GET /.env HTTP/1.1" 404 153 "-" "curl/8.5"`,
    why: 'a basic-auth user that is an address (and holds a space): the ident before it is "-", the client is first',
    owner: { ip: REAL },
  },
  {
    packs: ['lighttpd'],
    line: `2026-11-23 10:15:01: (mod_auth.c.868) password doesn't match for /a username: root IP: ${FAKE} username: x IP: ${REAL}`,
    why: "a path spelling mod_auth's tail: lighttpd writes the client last, after everything the client chose (where the path ends and the user starts is the client's to say: both are its text)",
    owner: { ip: REAL },
  },
  {
    packs: ['lighttpd'],
    line: `2026-11-23 10:15:01: (mod_auth.c.868) password doesn't match for /a username: x IP: ${FAKE} IP: ${REAL}`,
    why: 'a basic-auth user ending in " IP: <address>": the last address is the client',
    owner: { ip: REAL },
  },
  {
    packs: ['lighttpd'],
    line: `2026-11-23 10:15:01: (mod_cgi.c.300) cgi died: (mod_auth.c.868) password doesn't match for /a username: x IP: ${FAKE}`,
    why: "another module's message quoting mod_auth's: the source tag must start the message",
  },
  {
    packs: ['apache'],
    line: `${APACHE_ERR} [client ${REAL}:4000] AH01618: user x [client ${FAKE}:1] not found: /private`,
    why: 'a basic-auth user holding a client field: Apache wrote the client before the message',
    owner: { ip: REAL },
  },
  {
    packs: ['apache'],
    line: `${APACHE_ERR} [client ${REAL}:4000] AH01617: user a: authentication failure for "/[client ${FAKE}]": Password Mismatch`,
    why: 'a URI holding a client field',
    owner: { ip: REAL },
  },
  {
    packs: ['web', 'nginx', 'apache'],
    line: `Nov 23 10:15:01 web1 myapp[3]: ${FAKE} - - [23/Nov/2026:10:15:01 +0000] "GET /.env HTTP/1.1" 404 0 "-" "x"`,
    why: "an access line as another program's message",
  },
  // audit records: the account is the client's text, hex-encoded when it holds a space or a quote
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `type=USER_AUTH msg=audit(1795428901.250:1): pid=1 uid=0 auid=4294967295 ses=1 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors=? acct=7820657865 exe="/usr/sbin/sshd" hostname=${REAL} addr=${REAL} terminal=ssh res=failed'`,
    why: 'an account that spelled a whole record, hex-encoded by libaudit',
    owner: { ip: REAL },
  },
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `type=USER_AUTH msg=audit(1795428901.250:1): pid=1 uid=0 auid=4294967295 ses=1 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=evil.example addr=${FAKE} terminal=ssh res=failed'`,
    why: "a host name whose DNS (its owner's) resolves to another address",
    owner: { ip: undefined },
  },
  {
    packs: ['sshd', 'sshd-aggressive'],
    line: `Nov 23 10:15:01 web1 myapp[1]: type=USER_AUTH msg=audit(1795428901.250:1): pid=1 uid=0 auid=0 ses=1 msg='op=PAM:authentication acct="root" exe="/usr/sbin/sshd" hostname=${FAKE} addr=${FAKE} terminal=ssh res=failed'`,
    why: "an audit record inside another program's message",
  },
  {
    packs: ['sshd', 'sshd-aggressive', 'sudo', 'login'],
    line: `type=USER_AUTH msg=audit(1795428901.250:1): pid=31337 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:container_t:s0:c12,c34 msg='op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=${FAKE} addr=${FAKE} terminal=ssh res=failed'`,
    why: "a container's root (CAP_AUDIT_WRITE) sending a record that names sshd: the kernel's subject is not sshd's",
  },
  {
    packs: ['sudo', 'login'],
    line: `Nov 23 10:15:01 web1 audit[812]: USER_AUTH pid=812 uid=1001 auid=1001 ses=3 msg='op=PAM:authentication grantors=? acct="alice" exe="/usr/bin/sudo" hostname=web1 addr=? terminal=/dev/pts/1 res=failed'`,
    why: 'sudo -u alice with targetpw: the account asked for is not the caller, and names no one counted',
  },
  // pam-generic: FTP and mail servers hand PAM the typed name as ruser=, before the address
  {
    packs: ['pam-generic'],
    line: `Nov 23 10:15:01 web1 vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=a rhost=${FAKE}  user= rhost=${REAL}  user=a rhost=${FAKE}  user=`,
    why: 'a typed name holding "rhost=X  user=": the address after it is not read from the name',
  },
  {
    packs: ['pam-generic'],
    line: `Nov 23 10:15:01 web1 vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=a rhost=${FAKE} rhost=${REAL}`,
    why: 'a typed name holding "rhost=X" and a space, no user= after the address',
  },
  {
    packs: ['pam-generic'],
    line: `Nov 23 10:15:01 web1 vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=x rhost=${REAL}  user=x rhost=${FAKE}`,
    why: 'a typed user after the address holding another rhost=',
  },
  // generic
  {
    packs: ['generic'],
    line: `${SSHD} Invalid user Unauthorized access attempt from ${FAKE} from ${REAL} port 22`,
    why: "a user name holding the generic line: not the application's message",
  },
];

describe.each(rows)('$why', ({ packs, line, owner }) => {
  it.each(packs)('%s blames no address or account the line does not own', (pack) => {
    const found = matchesOf(packMatcher(pack), line);
    for (const f of found) {
      for (const value of Object.values(f.fields)) expect(value).not.toBe(FAKE);
      // A field the owner leaves undefined must not be captured at all.
      if (owner) for (const [field, value] of Object.entries(owner)) expect(f.fields[field]).toBe(value);
    }
    // A line with an owner is the owner's: it is matched, for them.
    if (owner) expect(found.length).toBeGreaterThan(0);
    if (!owner) expect(found.filter((f) => f.fields.ip !== undefined || f.fields.user !== undefined)).toEqual([]);
  });
});
