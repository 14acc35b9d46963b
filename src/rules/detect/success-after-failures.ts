// A login that succeeds after failures from the same address (or for the same user): the brute force that worked.
import { formatDuration } from '../../config/duration.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector } from './detector.js';
import { LOGIN_FIELDS, LOGIN_PROGRAMS, SSH_LOGINS } from './logins.js';

export const successAfterFailures: Detector = {
  description:
    'a successful login (sshd, or a web login or basic auth the web pack read) from an address (or for a user) that failed to log in just before',
  explain: (t) =>
    `auth.success after ${t.count} auth.failure within ${formatDuration(t.within)}${t.by.length ? ` by ${t.by.join(', ')}` : ''}`,
  after: ['auth.failure'],
  // A web login that succeeded (the web pack's login-ok and auth-ok), as its own sshd Accepted.
  triggers: ['auth.success'],
  event: 'auth.success',
  programs: LOGIN_PROGRAMS,
  patterns: SSH_LOGINS,
  fields: LOGIN_FIELDS,
  adds: { failures: 'int', span: 'text' },
  severity: 'critical',
  threshold: { count: 5, within: 10 * MINUTE, by: ['ip'] },
  title: '{user} logged in from {ip} after {failures} failures in {span}',
  untitled: { user: 'someone' },
};
