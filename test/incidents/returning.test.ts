// Returning attackers: an incident about an address with a past says what came before, is raised a severity, and its
// timed actions last twice as long per earlier incident (at most 32 times); blocklists in FireHOL's netset format.
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/core/types.js';
import { isListed, parseBlocklist } from '../../src/incidents/blocklist.js';
import { incrementedTtl, markReturning } from '../../src/incidents/returning.js';

const T = Date.parse('2026-03-02T10:00:00Z');
const DAY = 86_400_000;
const incident = (): Incident => ({
  id: 0,
  rule: 'sshd',
  severity: 'high',
  title: 'SSH brute force from 203.0.113.7',
  key: { ip: '203.0.113.7' },
  fields: { ip: '203.0.113.7' },
  count: 5,
  firstSeen: T,
  lastSeen: T,
  source: 'auth',
  sample: [],
  status: 'open',
});

describe('returning attackers', () => {
  it('says what came before, raises the severity, and is untouched without a past', () => {
    const fresh = incident();
    expect(markReturning(fresh, { incidents: [], actions: [] }, undefined, 90 * DAY, T)).toBe(false);
    expect(fresh).toEqual(incident());
    const back = incident();
    const history = {
      incidents: [
        { id: 9, rule: 'slow-attack', firstSeen: T - 2 * DAY },
        { id: 4, rule: 'sshd', firstSeen: T - 10 * DAY },
        { id: 2, rule: 'sshd', firstSeen: T - 20 * DAY },
      ],
      actions: [{ action: 'block-ip', at: T - 10 * DAY + 60_000 }],
    };
    expect(markReturning(back, history, undefined, 90 * DAY, T)).toBe(true);
    expect(back).toMatchObject({
      severity: 'critical',
      title: 'SSH brute force from 203.0.113.7 (returning: 3 earlier)',
      fields: {
        ip: '203.0.113.7',
        returning: '3',
        history: '3 earlier incidents in 90d (slow-attack, sshd ×2), the last 2d ago; block-ip ran, the last 10d ago',
      },
    });
  });

  it('marks an address on a blocklist, even with no past of its own', () => {
    const listed = incident();
    listed.severity = 'medium';
    markReturning(listed, { incidents: [], actions: [] }, '/etc/logwarden/firehol_level1.netset', 90 * DAY, T);
    expect(listed).toMatchObject({
      severity: 'high',
      title: 'SSH brute force from 203.0.113.7 (returning: blocklisted)',
      fields: { history: 'listed in /etc/logwarden/firehol_level1.netset' },
    });
  });

  it('doubles a timed action per earlier incident, up to 32 times', () => {
    const at = (returning?: string) =>
      incrementedTtl(3_600_000, { ...incident(), fields: returning ? { returning } : {} });
    expect([at(), at('0'), at('1'), at('3'), at('5'), at('9'), at('x')]).toEqual(
      [1, 1, 2, 8, 32, 32, 1].map((n) => n * 3_600_000),
    );
  });
});

describe('blocklists (FireHOL netset)', () => {
  it('reads addresses and ranges, both families, skipping comments and naming the lines that are neither', () => {
    const parsed = parseBlocklist(
      '# firehol_level1\n#\n203.0.113.0/24\n198.51.100.7\n2001:db8:bad::/48  # a comment\n\nnot-an-address\n10.0.0.0/33\n',
    );
    expect(parsed.entries).toBe(3);
    expect(parsed.invalid).toEqual([7, 8]);
    expect(
      ['203.0.113.99', '198.51.100.7', '198.51.100.8', '2001:db8:bad:1::5', '2001:db8:bad:1::/64'].map((a) =>
        isListed(parsed.list, a),
      ),
    ).toEqual([true, true, false, true, true]);
    expect(isListed(parsed.list, 'alice')).toBe(false);
  });
});
