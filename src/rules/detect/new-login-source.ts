// A login from a network the user has not logged in from lately: a stolen key or password used from elsewhere. It
// learns each user's networks for a period before it speaks, and keeps learning.
import { MINUTE } from '../packs/pack.js';
import type { Detector } from './detector.js';
import { LOGIN_FIELDS, LOGIN_PROGRAMS, SSH_LOGINS } from './logins.js';

const DAY = 24 * 60 * MINUTE;

export const newLoginSource: Detector = {
  description: 'a login from a network (/24, /48) the user has not logged in from during the learning period',
  after: [],
  event: 'auth.success',
  programs: LOGIN_PROGRAMS,
  patterns: SSH_LOGINS,
  fields: LOGIN_FIELDS,
  adds: { network: 'cidr', known: 'text' },
  severity: 'medium',
  // One incident per user and new network; the network is the detector's field.
  threshold: { count: 1, within: DAY, by: ['user', 'network'] },
  title: '{user} logged in from {ip}, a network new to them ({network}; known: {known})',
  learns: { period: 30 * DAY, ipv4Prefix: 24, ipv6Prefix: 48 },
};
