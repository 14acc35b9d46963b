// The pam-generic pack: remote logins any PAM service refused, read from pam_unix's (and pam_sss's) failure lines with
// an address (Linux-PAM modules/pam_unix/support.c), under whichever service loaded the module.
import type { PackTable } from './table.js';

const FAILURE =
  'Linux-PAM pam_unix/support.c _unix_verify_password(): "authentication failure; logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s %s%s"';
const MORE = 'Linux-PAM pam_unix/support.c _cleanup_failures(): "%d more authentication failure%s; …" at pam_end()';

export const pamGenericTable: PackTable = {
  pack: 'pam-generic',
  programs: ['vsftpd', 'dovecot', 'xrdp-sesman'],
  match: [
    {
      message:
        'pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=anna rhost=203.0.113.7',
      from: `${FAILURE}; vsftpd sets PAM_RUSER to the name typed, and no user= for an unknown one`,
      fields: { ip: '203.0.113.7', service: 'vsftpd' },
    },
    {
      message:
        'pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=anna rhost=203.0.113.7  user=anna',
      from: `${FAILURE}; two spaces before user=`,
      fields: { ip: '203.0.113.7', user: 'anna', service: 'dovecot' },
    },
    {
      message:
        'pam_unix(imap:auth): authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=::ffff:203.0.113.7  user=anna',
      from: `${FAILURE}; an IPv4 client of a dual-stack socket`,
      fields: { ip: '203.0.113.7', user: 'anna' },
    },
    {
      message:
        'pam_unix(webmin:auth): authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=2001:db8::7  user=root',
      from: `${FAILURE}; an IPv6 client`,
      fields: { ip: '2001:db8::7', user: 'root', service: 'webmin' },
    },
    {
      message:
        'pam_sss(cockpit:auth): authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=203.0.113.7 user=anna',
      from: 'sssd src/sss_client/pam_sss.c: "authentication failure; logname=%s uid=%lu euid=%d tty=%s ruser=%s rhost=%s user=%s" (one space before user=)',
      fields: { ip: '203.0.113.7', user: 'anna', service: 'cockpit' },
    },
    {
      message: '(pam_unix) authentication failure; logname= uid=0 euid=0 tty=pure-ftpd ruser=anna rhost=203.0.113.7',
      from: `${FAILURE}; Linux-PAM before 0.99.2 named the module in the message`,
      fields: { ip: '203.0.113.7' },
    },
    {
      line: 'Nov 23 10:15:01 mail pop(pam_unix)[4920]: authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=203.0.113.7  user=anna',
      from: `${FAILURE}; Linux-PAM before 0.99.2: the module in the tag, the program the service (for ignore: by service)`,
      fields: { ip: '203.0.113.7', user: 'anna', service: 'pop' },
    },
    {
      message:
        'pam_unix(proftpd:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/ftpd1187 ruser=rhost=x rhost=203.0.113.7  user=rhost=x',
      from: `${FAILURE}; a typed name holding "rhost=" but no space: the address is still pam_unix's`,
      fields: { ip: '203.0.113.7' },
    },
    {
      message:
        'pam_unix(xrdp-sesman:auth): authentication failure; logname= uid=0 euid=0 tty=xrdp-sesman ruser= rhost=host-7.example.net  user=anna',
      from: `${FAILURE}; a service that resolved the client's name: shown, never counted as an address`,
      fields: { host: 'host-7.example.net', user: 'anna' },
      absent: ['ip'],
    },
    {
      message:
        'pam_unix(dovecot:auth): 2 more authentication failures; logname= uid=0 euid=0 tty=dovecot ruser=anna rhost=203.0.113.7  user=anna',
      from: MORE,
      fields: { ip: '203.0.113.7', attempts: '2', service: 'dovecot' },
    },
    {
      message: 'PAM 4 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root',
      from: `${MORE}, sshd's "PAM " prefix: the program is the service`,
      program: 'sshd',
      fields: { ip: '203.0.113.7', attempts: '4', service: 'sshd' },
    },
  ],
  noMatch: [
    {
      message:
        'pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=tty1 ruser= rhost=  user=anna',
      from: `${FAILURE}; a console login: no address (the login pack's)`,
    },
    {
      message:
        'pam_unix(sudo:auth): authentication failure; logname=anna uid=1000 euid=0 tty=/dev/pts/1 ruser=anna rhost=  user=anna',
      from: `${FAILURE}; sudo: no address (the sudo pack's)`,
    },
    {
      message: 'pam_unix(vsftpd:session): session opened for user anna(uid=1000) by (uid=0)',
      from: 'Linux-PAM pam_unix_sess.c: "session opened for user %s%s by %s(uid=%lu)"',
    },
    {
      message: 'pam_unix(dovecot:auth): check pass; user unknown',
      from: 'Linux-PAM pam_unix/support.c: "check pass; user unknown" (no address)',
    },
    {
      message:
        'user said pam_unix(x:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser= rhost=203.0.113.7',
      from: "an application's message quoting a PAM line: not at its start",
    },
  ],
};
