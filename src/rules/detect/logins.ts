// The successful logins detectors judge, read from the start of the message of the program that logs them, so no
// text a client chose can pose as one; the user is the account that logged in (a real one: sshd logs Accepted only
// for valid users).
import type { FieldType } from '../../core/types.js';
import { IP, type MessagePattern } from '../packs/pack.js';

/** auth_log()'s info after "ssh2": a key type and fingerprint, or a certificate's (text set by its CA). */
const EXTRA = '(?:: .{1,2048})?';

export const LOGIN_PROGRAMS = ['sshd', 'sshd-session', 'sshd-auth'];

export const LOGIN_FIELDS: Record<string, FieldType> = { ip: 'ip', user: 'user', method: 'text' };

export const SSH_LOGINS: MessagePattern[] = [
  {
    re: `Accepted (?<method>[a-z][a-z0-9@./-]{0,63}) for (?<user>[^ ]{1,100}) from (?<ip>${IP}) port \\d{1,5}(?: ssh[12])?${EXTRA}$`,
    from: 'openssh auth.c auth_log(): "%s %s%s%s for %s%.100s from %.200s port %d ssh2%s%s" with authmsg "Accepted" (7.0–10.5; an invalid user is never accepted)',
  },
];

/** Programs whose sessions are a user's own activity: sshd's logins, and su's sessions opened by a named user. */
export const SESSION_PROGRAMS = [...LOGIN_PROGRAMS, 'su'];

/**
 * su's session, by the user who ran it (PAM's login name for the terminal; a session with none is not read): the
 * account it opened (root) is the target, the method the PAM service.
 */
export const SU_SESSIONS: MessagePattern[] = [
  {
    re: 'pam_unix\\((?<method>su(?:-l)?):session\\): session opened for user (?<target>[^ (]{1,256})(?:\\(uid=\\d{1,10}\\))? by (?<user>[^ (]{1,256})\\(uid=\\d{1,10}\\)$',
    from: 'Linux-PAM modules/pam_unix/pam_unix_sess.c: "session opened for user %s(uid=%lu) by %s(uid=%lu)" (1.5+; before: "for user %s by %s(uid=%lu)"), service su or su-l',
  },
];
