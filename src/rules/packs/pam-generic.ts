// Remote logins any PAM service refused (FTP, mail, Webmin, xrdp…), as fail2ban's pam-generic reads them: pam_unix's
// (or another module's) `authentication failure; … rhost=%s` with the address the service handed PAM (PAM_RHOST). A
// line without an address is a local failure, the login pack's. Services differ in what else they hand over: FTP and
// mail servers set PAM_RUSER to the name typed at their prompt, so `ruser=` is the client's text, before the address.
// A name holding spaces could then carry a `rhost=` of its own; the address is read only where ruser= holds no space
// and the typed user after it holds no ` rhost=`, so the address read is the one pam_unix wrote.
import { ADDRESS_OR_NAME, type MessagePackRule, MINUTE } from './pack.js';
import { ANY_SERVICE, MODULE } from './pam.js';

/** `pam_unix(vsftpd:auth): `, Linux-PAM before 0.99's `(pam_unix) ` in the message, or nothing (the module in the tag). */
const PREFIX = `(?:${MODULE}\\((?<service>${ANY_SERVICE}):auth\\): |\\(${MODULE}\\) )?`;
/** pam_unix's fields with a remote address; the user is last and may be anything but another address field. */
const REMOTE = `logname=\\S{0,256} uid=\\d{0,10} euid=\\d{0,10} tty=\\S{0,256} ruser=\\S{0,256} rhost=${ADDRESS_OR_NAME} {0,2}(?:user=(?<user>(?:(?! rhost=).){1,256}?))? {0,4}$`;

export const pamGenericPack: MessagePackRule[] = [
  {
    kind: 'message',
    suffix: '',
    programs: ['*'],
    patterns: [
      {
        re: `${PREFIX}authentication failure; ${REMOTE}`,
        from: 'Linux-PAM modules/pam_unix/support.c _unix_verify_password(): "authentication failure; logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s %s%s" (the first failure of a PAM session; pam_sss the same)',
        programAs: 'service',
      },
      {
        re: `(?:PAM |${MODULE}\\((?<service>${ANY_SERVICE}):auth\\): )?(?<attempts>\\d{1,5}) more authentication failures?; ${REMOTE}`,
        from: 'Linux-PAM modules/pam_unix/support.c _cleanup_failures(): "%d more authentication failure%s; …" at pam_end(): the failures after the first, logged only here',
        counts: 'pam-more',
        timesFrom: 'attempts',
        programAs: 'service',
      },
    ],
    fields: { ip: 'ip', host: 'text', user: 'text', service: 'word', attempts: 'int' },
    severity: 'medium',
    threshold: { count: 5, within: 10 * MINUTE, by: ['ip'] },
    title: 'Failed logins through PAM from {ip}',
    event: 'auth.failure',
  },
];
