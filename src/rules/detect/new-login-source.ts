// A login from a network the user has not logged in from lately: a stolen key or password used from elsewhere. It
// learns each user's networks for a period before it speaks, and keeps learning.
import { formatDuration } from '../../config/duration.js';
import { networkOf } from '../../incidents/address-key.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector } from './detector.js';
import { LOGIN_FIELDS, LOGIN_PROGRAMS, SSH_LOGINS } from './logins.js';
import { describeKnown, judgeNovel } from './novelty.js';

const DAY = 24 * 60 * MINUTE;

export const newLoginSource: Detector = {
  description:
    'a login from a network (/24, /48; with MaxMind databases, an autonomous system or country) the user has not logged in from during the learning period',
  explain: (_t, learn) =>
    `auth.success from a network (/${learn.ipv4Prefix}, /${learn.ipv6Prefix}, or AS with incidents.geoip) new to the user in ${formatDuration(learn.period)}, after learning for as long`,
  after: [],
  event: 'auth.success',
  programs: LOGIN_PROGRAMS,
  patterns: SSH_LOGINS,
  fields: LOGIN_FIELDS,
  adds: { network: 'text', known: 'text', where: 'text' },
  severity: 'medium',
  // One incident per user and new network; the network is the detector's field.
  threshold: { count: 1, within: DAY, by: ['user', 'network'] },
  title: '{user} logged in from {ip}, a network new to them ({network}; known: {known})',
  learns: { period: 30 * DAY },
  // 32 networks per user, 10,000 users; a network unseen for a period is new again (kept a little longer).
  memory: { subjects: 10_000, values: 32, keep: 60 * DAY },
  teach({ fields: { user, network }, at }, memory) {
    if (!user || !network) return undefined;
    memory.see(user, network, at);
    return `${network} is known for ${user}`;
  },
  describe: (user, memory, learn, now) => describeKnown(`networks ${user} logged in from`, user, memory, learn, now),
  judge({ fields: { user, ip }, at, learn, geo }, memory) {
    if (user === undefined || ip === undefined) return undefined;
    // With the operator's MaxMind databases a network is an autonomous system (else a country); else a prefix.
    const where = geo?.(ip);
    const network =
      where?.asn !== undefined
        ? `AS${where.asn}`
        : (where?.country ?? networkOf(ip, learn.ipv4Prefix, learn.ipv6Prefix));
    // A login whose address failed its type teaches nothing.
    if (network === undefined) return undefined;
    const novel = judgeNovel(memory, user, network, at, learn.period);
    if (!novel) return undefined;
    const named = [where?.org, where?.country].filter(Boolean).join(', ');
    return { fields: { network, known: novel.known, ...(named ? { where: named } : {}) } };
  },
};
