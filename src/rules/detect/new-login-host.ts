// A user's first login on a host: in a log gathered from many hosts (rsyslog, Vector), an account that only ever used
// the web servers turning up on the database server. It learns which hosts each user logs in on for a period, then
// speaks of a host new to them. The host is the one the line's envelope names, as the host's own syslog wrote it.
import { formatDuration } from '../../config/duration.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector } from './detector.js';
import { LOGIN_FIELDS, LOGIN_PROGRAMS, SSH_LOGINS } from './logins.js';
import { describeKnown, judgeNovel } from './novelty.js';

const DAY = 24 * 60 * MINUTE;

export const newLoginHost: Detector = {
  description: "a user's first login on a host (of those a central log gathers) in the learning period",
  explain: (_t, learn) =>
    `auth.success on a host new to the user in ${formatDuration(learn.period)}, after learning for as long`,
  after: [],
  event: 'auth.success',
  programs: LOGIN_PROGRAMS,
  patterns: SSH_LOGINS,
  fields: LOGIN_FIELDS,
  adds: { host: 'host', known: 'text' },
  severity: 'medium',
  threshold: { count: 1, within: DAY, by: ['user', 'host'] },
  title: '{user} logged in on {host} from {ip}, a host new to them (known: {known})',
  learns: { period: 30 * DAY },
  wantsHost: true,
  memory: { subjects: 10_000, values: 64, keep: 60 * DAY },
  describe: (user, memory, learn, now) => describeKnown(`hosts ${user} logged in on`, user, memory, learn, now),
  teach({ fields: { user, host }, at }, memory) {
    if (!user || !host) return undefined;
    memory.see(user, host, at);
    return `${host} is a host ${user} logs in on`;
  },
  judge({ fields: { user }, host, at, learn }, memory) {
    if (user === undefined || host === undefined) return undefined;
    const novel = judgeNovel(memory, user, host.toLowerCase(), at, learn.period);
    return novel && { fields: { host: host.toLowerCase(), known: novel.known } };
  },
};
