// One address failing at a low rate for hours, never fast enough for a brute-force threshold: the patient guesser.
// It keeps, per address (an IPv6 one by its /64), its failures per ten minutes over the window.
import { formatDuration } from '../../config/duration.js';
import { addressKey } from '../../incidents/address-key.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector } from './detector.js';
import { PER_ADDRESS } from './distributed-attack.js';

const DAY = 24 * 60 * MINUTE;
const SLOT = 10 * MINUTE;
/** Failures spread over at least this long, in at least this many ten-minute slots. */
const SPAN = 60 * MINUTE;
const SLOTS = 4;

export const slowAttack: Detector = {
  description: 'one address failing to log in slowly for hours, never fast enough for a brute-force threshold',
  explain: (t) =>
    `≥ ${t.count} auth.failure from one address within ${formatDuration(t.within)}, over ≥ ${formatDuration(SPAN)}, fewer than ${PER_ADDRESS} in any 10 minutes`,
  after: ['auth.failure'],
  programs: [],
  patterns: [],
  fields: {},
  adds: { ip: 'ip', failures: 'int', span: 'text', peak: 'int' },
  severity: 'medium',
  threshold: { count: 12, within: 6 * 60 * MINUTE, by: ['ip'] },
  title: '{ip} failed to log in {failures} times over {span}, at most {peak} in any 10 minutes: a slow brute force',
  memory: { subjects: 100_000, values: 1, keep: DAY },
  describe(ip, memory) {
    const fact = memory.get(ip.includes(':') ? addressKey(ip, 64) : ip, '');
    if (!fact) return [];
    const slots = (fact.data ?? '').split(',').filter(Boolean).length;
    return [
      `${ip}: ${fact.count} failures seen, in ${slots} ten-minute slots of the window, the last at ${new Date(fact.lastSeen).toISOString().slice(0, 16)}Z`,
    ];
  },
  judge({ fields: { ip }, at, prior, threshold, times }, memory) {
    if (!prior || ip === undefined) return undefined;
    const subject = addressKey(ip, 64);
    const slot = Math.floor(at / SLOT);
    const oldest = slot - Math.floor(threshold.within / SLOT);
    const slots = new Map<number, number>();
    for (const pair of (memory.get(subject, '')?.data ?? '').split(',')) {
      const [s, c] = pair.split(':').map(Number);
      if (s !== undefined && c !== undefined && s > oldest) slots.set(s, c);
    }
    slots.set(slot, (slots.get(slot) ?? 0) + times);
    memory.see(subject, '', at, times, [...slots].map(([s, c]) => `${s}:${c}`).join(','));
    let failures = 0;
    let peak = 0;
    for (const c of slots.values()) {
      failures += c;
      peak = Math.max(peak, c);
    }
    const first = Math.min(...slots.keys());
    const span = (slot - first + 1) * SLOT;
    if (failures < threshold.count || slots.size < SLOTS || span < SPAN || peak >= PER_ADDRESS) return undefined;
    return {
      fields: { ip, failures: String(failures), span: formatDuration(span), peak: String(peak) },
      count: failures,
    };
  },
};
