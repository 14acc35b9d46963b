// One address failing on many hosts of a fleet within minutes: the scanner that works through a network, seen once
// as one incident listing the hosts (grown in place as it reaches more) instead of one per host. The host is the one
// each line's envelope names (a central log, or the syslog and HTTP sources).
import { formatDuration } from '../../config/duration.js';
import { addressKey } from '../../incidents/address-key.js';
import { isValidField } from '../field-types.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector } from './detector.js';

/** Hosts a title lists at most. */
const HOSTS_SHOWN = 10;

export const fleetAttack: Detector = {
  description: 'one address failing on many hosts within minutes',
  explain: (t) =>
    `auth.failure or web.attack from one address (an IPv6 one by its /64) on ≥ ${t.count} hosts within ${formatDuration(t.within)}`,
  after: ['auth.failure', 'web.attack'],
  programs: [],
  patterns: [],
  fields: {},
  adds: { ip: 'ip', hosts: 'int', names: 'text' },
  severity: 'high',
  threshold: { count: 3, within: 10 * MINUTE, by: ['ip'] },
  title: '{ip} attacking {hosts} hosts: {names}',
  wantsHost: true,
  grows: true,
  // 256 hosts per address, 100,000 addresses.
  memory: { subjects: 100_000, values: 256, keep: 24 * 60 * MINUTE },
  describe(ip, memory, _learn, now) {
    const hosts = memory.facts(addressKey(ip, 64));
    if (hosts.length === 0) return [];
    return [
      `${ip}: failed on ${hosts.length} hosts lately: ${hosts
        .slice(-HOSTS_SHOWN)
        .reverse()
        .map((f) => `${f.value} (${f.count}×, ${Math.round((now - f.lastSeen) / MINUTE)} min ago)`)
        .join(', ')}`,
    ];
  },
  judge({ fields: { ip }, host, at, prior, threshold, times }, memory) {
    // A host name that is none (a sender's `<!channel>`) names no host of the fleet.
    if (!prior || ip === undefined || host === undefined || !isValidField('host', host)) return undefined;
    const subject = addressKey(ip, 64);
    memory.see(subject, host.toLowerCase().slice(0, 255), at, times);
    const hosts = memory
      .facts(subject)
      .filter((f) => at - f.lastSeen <= threshold.within)
      .map((f) => f.value);
    if (hosts.length < threshold.count) return undefined;
    const more = hosts.length > HOSTS_SHOWN ? ` and ${hosts.length - HOSTS_SHOWN} more` : '';
    return {
      fields: { ip, hosts: String(hosts.length), names: `${hosts.slice(0, HOSTS_SHOWN).join(', ')}${more}` },
      count: times,
    };
  },
};
