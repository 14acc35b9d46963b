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
