// A login that succeeds after failures from the same address (or for the same user): the brute force that worked.
// The successes are read from the start of the message of the program that logs them, so no text a client chose can
// pose as one; the user is the account that logged in (a real one: sshd logs Accepted only for valid users).
import { IP, MINUTE } from '../packs/pack.js';
import type { Detector } from './detector.js';

/** auth_log()'s info after "ssh2": a key type and fingerprint, or a certificate's (text set by its CA). */
const EXTRA = '(?:: .{1,2048})?';

export const successAfterFailures: Detector = {
  description: 'a successful login from an address (or for a user) that failed to log in just before',
  after: ['auth.failure'],
  event: 'auth.success',
  programs: ['sshd', 'sshd-session', 'sshd-auth'],
  patterns: [
    {
      re: `Accepted (?<method>[a-z][a-z0-9@./-]{0,63}) for (?<user>[^ ]{1,100}) from (?<ip>${IP}) port \\d{1,5}(?: ssh[12])?${EXTRA}$`,
      from: 'openssh auth.c auth_log(): "%s %s%s%s for %s%.100s from %.200s port %d ssh2%s%s" with authmsg "Accepted" (7.0–10.5; an invalid user is never accepted)',
    },
  ],
  fields: { ip: 'ip', user: 'user', method: 'text' },
  severity: 'critical',
  threshold: { count: 5, within: 10 * MINUTE, by: ['ip'] },
  title: '{user} logged in from {ip} after {failures} failures in {span}',
};
