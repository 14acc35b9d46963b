// One account tried from many addresses, each staying under the brute-force threshold: credential stuffing or a
// botnet spreading its guesses so no address is ever blocked. It keeps, per user, the addresses that failed within the
// window and how often, and the most such addresses it has seen at once (decayed), so an account the internet always
// tries (root) must be tried by far more than usual.
import { formatDuration } from '../../config/duration.js';
import { addressKey } from '../../incidents/address-key.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector } from './detector.js';

const DAY = 24 * 60 * MINUTE;
/** An address failing this often in the window is a brute force of its own (the packs' threshold): not counted. */
export const PER_ADDRESS = 5;
/** How many times the usual peak of addresses a user must see at once. */
const OVER_PEAK = 2;
/** The usual peak halves every week it is not reached again. */
const PEAK_HALF_LIFE = 7 * DAY;
const PEAK = '~peak';

export const distributedAttack: Detector = {
  description: 'one user failing to log in from many addresses, each under the brute-force threshold',
  explain: (t) =>
    `auth.failure for one user from ≥ ${t.count} addresses (and ≥ ${OVER_PEAK}× its usual peak) within ${formatDuration(t.within)}, each failing fewer than ${PER_ADDRESS} times`,
  after: ['auth.failure'],
  programs: [],
  patterns: [],
  fields: {},
  // `user` as the packs type it: a name an attacker typed (an invalid user), never an account an action locks.
  adds: { user: 'text', addresses: 'int', window: 'text', usual: 'int' },
  severity: 'high',
  threshold: { count: 20, within: 60 * MINUTE, by: ['user'] },
  title: '{user} targeted from {addresses} addresses within {window}, each failing fewer than 5 times',
  learns: { period: 0 },
  // At most 5,000 users × 48 networks (each an address, an IPv6 one by its /64): 240,000 facts.
  memory: { subjects: 5_000, values: 48, keep: DAY },
  describe(user, memory, _learn, now) {
    const peak = memory.get(user, PEAK);
    const recent = memory.facts(user).filter((f) => f.value !== PEAK && f.lastSeen > now - 60 * MINUTE);
    if (!peak && recent.length === 0) return [];
    const [most = 0, at = now] = (peak?.data ?? '').split(' ').filter(Boolean).map(Number);
    return [
      `${user}: failures from ${recent.length} addresses in the last hour; at most ${Math.round(most * 0.5 ** (Math.max(0, now - at) / PEAK_HALF_LIFE))} at once lately`,
    ];
  },
  teach({ fields: { user, addresses }, at }, memory) {
    const count = Number(addresses);
    if (!user || !Number.isFinite(count)) return undefined;
    const [, , period = 0, most = 0, pending = -1] = (memory.get(user, PEAK)?.data ?? '')
      .split(' ')
      .filter(Boolean)
      .map(Number);
    // Failures from this many addresses at once are usual for the user now.
    memory.see(user, PEAK, at, 0, `${count} ${at} ${period} ${most} ${pending}`);
    return `${count} addresses at once are usual for ${user}`;
  },
  judge({ fields: { user, ip }, at, prior, threshold, times }, memory) {
    if (!prior || user === undefined || ip === undefined) return undefined;
    const within = threshold.within;
    // One IPv6 host holds a /64 of addresses: they count as one.
    const network = addressKey(ip, 64);
    const last = memory.get(user, network);
    // A count restarts when the address's last failure left the window.
    const fresh = last !== undefined && last.lastSeen > at - within;
    memory.see(user, network, at, fresh ? times : times - (last?.count ?? 0));
    let addresses = 0;
    for (const f of memory.facts(user)) {
      if (f.value !== PEAK && f.lastSeen > at - within && f.count < PER_ADDRESS) addresses++;
    }
    // The usual peak: the most addresses seen at once in a past window that stayed under the bar (decayed), so
    // neither an attack nor the rise of the one going on now is learned as usual.
    // The usual peak: the most addresses seen at once in past windows that stayed under the bar (decayed). A window
    // is learned only once the next one has passed quietly too: an attack that began in it is not learned as usual.
    const [peak = 0, peakAt = at, period = Math.floor(at / within), most = 0, pending = -1] = (
      memory.get(user, PEAK)?.data ?? ''
    )
      .split(' ')
      .filter(Boolean)
      .map(Number);
    let usual = peak * 0.5 ** (Math.max(0, at - peakAt) / PEAK_HALF_LIFE);
    const now = { period, most, pending };
    const current = Math.floor(at / within);
    if (current > period) {
      const quiet = most < threshold.count;
      if (quiet && pending > usual) usual = pending;
      // Windows with no failure at all between: the ended one is learned at once.
      if (quiet && current > period + 1 && most > usual) usual = most;
      Object.assign(now, { period: current, most: 0, pending: quiet && current === period + 1 ? most : -1 });
    }
    const over = addresses >= Math.max(threshold.count, OVER_PEAK * usual);
    now.most = Math.max(now.most, over ? threshold.count : addresses);
    const f = (x: number) => Number(x.toPrecision(4));
    memory.see(user, PEAK, at, 0, `${f(usual)} ${at} ${now.period} ${now.most} ${now.pending}`);
    if (!over) return undefined;
    return {
      fields: { user, addresses: String(addresses), window: formatDuration(within), usual: String(Math.round(usual)) },
      count: addresses,
    };
  },
};
