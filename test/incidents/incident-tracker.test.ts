import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Match } from '../../src/core/types.js';
import { IncidentTracker } from '../../src/incidents/incident-tracker.js';
import type { CompiledRule } from '../../src/rules/rule.js';
import { NO_IGNORE } from '../../src/rules/verdict.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { useTempDir } from '../helpers/temp-dir.js';

const MIN = 60_000;

function rule(overrides: Partial<CompiledRule> = {}): CompiledRule {
  return {
    id: 'ssh',
    kind: 'regex',
    severity: 'high',
    title: 'SSH brute force from {ip}',
    sources: ['auth'],
    patterns: [],
    ignore: NO_IGNORE,
    fields: { ip: 'ip', pid: 'int' },
    keyFields: ['ip'],
    captured: ['ip'],
    threshold: { count: 3, within: 10 * MIN, by: ['ip'], ipv6Prefix: 64 },
    actions: [],
    ...overrides,
  };
}

function match(ip: string, text = `failure from ${ip}`, extra: Record<string, string> = {}): Match {
  return {
    ruleId: 'ssh',
    event: { sourceId: 'auth', origin: '/var/log/auth.log', text, truncated: false },
    fields: { ip, ...extra },
  };
}

const options = { reopenAfter: 60 * MIN, samples: 2 };

describe('IncidentTracker.record', () => {
  it.each([
    { name: 'under the count', times: [0, 1], opened: false },
    { name: 'at the count within the window', times: [0, 4 * MIN, 9 * MIN], opened: true },
    { name: 'at the count but spread wider than the window', times: [0, 6 * MIN, 11 * MIN], opened: false },
    {
      name: 'sliding: the oldest falls out, later ones fill in',
      times: [0, 6 * MIN, 11 * MIN, 12 * MIN],
      opened: true,
    },
  ])('opens an incident only when the threshold is met ($name)', ({ times, opened }) => {
    const tracker = new IncidentTracker([rule()], options);
    const events = times.flatMap((t) => tracker.record([{ match: match('203.0.113.7'), at: t }], t).events);
    expect(events.some((e) => e.event === 'opened')).toBe(opened);
  });

  it('counts each key apart', () => {
    const tracker = new IncidentTracker([rule()], options);
    const changes = tracker.record(
      [0, 1, 2, 3, 4].map((i) => ({ match: match(i % 2 ? '198.51.100.1' : '203.0.113.7'), at: i })),
      10,
    );
    expect(changes.events.map((e) => [e.event, e.incident.key])).toEqual([['opened', { ip: '203.0.113.7' }]]);
    expect(changes.events[0]!.incident).toMatchObject({
      count: 3,
      firstSeen: 0,
      lastSeen: 4,
      title: 'SSH brute force from 203.0.113.7',
    });
  });

  it('folds later matches into the open incident, keeping the last samples', () => {
    const tracker = new IncidentTracker(
      [rule({ threshold: { count: 1, within: MIN, by: ['ip'], ipv6Prefix: 64 } })],
      options,
    );
    tracker.record([{ match: match('203.0.113.7', 'a'), at: 0 }], 0);
    const changes = tracker.record(
      [
        { match: match('203.0.113.7', 'b'), at: 1000 },
        { match: match('203.0.113.7', 'c'), at: 2000 },
      ],
      2000,
    );
    expect(changes.events).toHaveLength(1);
    expect(changes.events[0]).toMatchObject({
      event: 'updated',
      incident: { count: 3, lastSeen: 2000, sample: ['b', 'c'] },
    });
    expect(changes.hits).toEqual([]);
  });

  it('persists hits below the threshold, and clears them when the incident opens', () => {
    const tracker = new IncidentTracker([rule()], options);
    const first = tracker.record([{ match: match('203.0.113.7'), at: 5 }], 5);
    expect(first.hits).toEqual([{ rule: 'ssh', keyHash: '["203.0.113.7"]', at: 5, expiresAt: 5 + 10 * MIN }]);
    tracker.record([{ match: match('203.0.113.7'), at: 6 }], 6);
    const third = tracker.record([{ match: match('203.0.113.7'), at: 7 }], 7);
    expect(third.cleared).toEqual([{ rule: 'ssh', keyHash: '["203.0.113.7"]' }]);
  });

  it('resumes counting from persisted hits after a restart', () => {
    const before = new IncidentTracker([rule()], options);
    const hits = [1, 2].flatMap((t) => before.record([{ match: match('203.0.113.7'), at: t }], t).hits);
    const after = new IncidentTracker([rule()], options, { open: [], hits });
    expect(after.record([{ match: match('203.0.113.7'), at: 3 }], 3).events[0]?.event).toBe('opened');
  });

  it("counts a directory account's spellings as one account, and shows the spellings seen", () => {
    const tracker = new IncidentTracker(
      [
        rule({
          id: 'login',
          title: 'Failed logins as {user}',
          fields: { user: 'user' },
          keyFields: ['user'],
          captured: ['user'],
          threshold: { count: 3, within: 10 * MIN, by: ['user'], ipv6Prefix: 64 },
        }),
      ],
      options,
    );
    const as = (user: string, t: number) => ({
      match: { ruleId: 'login', event: match('x').event, fields: { user } },
      at: t,
    });
    const changes = tracker.record(
      [as('ALICE@corp.example.com', 0), as('CORP\\alice', 1), as('Alice@Corp.Example.Com', 2)],
      2,
    );
    const opened = changes.events.find((e) => e.event === 'opened')!;
    expect(opened.incident.title).toBe('Failed logins as alice');
    expect(opened.incident.key).toEqual({ user: 'alice' });
    // What a command would be given is the line's own value, never the key.
    expect(opened.incident.fields.user).toBe('Alice@Corp.Example.Com');
  });

  it('counts lines of one attempt once with dedupe', () => {
    const tracker = new IncidentTracker(
      [
        rule({
          threshold: { count: 2, within: MIN, by: ['ip'], ipv6Prefix: 64 },
          dedupe: { by: ['pid'], within: 1000 },
        }),
      ],
      options,
    );
    const pam = (t: number) => ({ match: match('203.0.113.7', 'pam', { pid: '7' }), at: t });
    const failed = (t: number) => ({ match: match('203.0.113.7', 'failed', { pid: '7' }), at: t });
    expect(tracker.record([pam(0), failed(0)], 0).events).toEqual([]);
    // The next attempt on the connection comes after PAM's delay.
    expect(tracker.record([pam(2500), failed(2500)], 2500).events[0]?.event).toBe('opened');
  });
});

describe('IncidentTracker.silence', () => {
  it('opens nothing for a silenced rule and key until the silence ends', () => {
    const tracker = new IncidentTracker(
      [rule({ threshold: { count: 1, within: MIN, by: ['ip'], ipv6Prefix: 64 } })],
      options,
    );
    tracker.silence('ssh', '["203.0.113.7"]', 10 * MIN);
    expect(tracker.record([{ match: match('203.0.113.7'), at: MIN }], MIN).events).toEqual([]);
    expect(tracker.record([{ match: match('198.51.100.1'), at: MIN }], MIN).events[0]?.event).toBe('opened');
    expect(tracker.record([{ match: match('203.0.113.7'), at: 11 * MIN }], 11 * MIN).events[0]?.event).toBe('opened');
  });

  it('keeps silences from the store across a restart, forever ones included', () => {
    const tracker = new IncidentTracker(
      [rule({ threshold: { count: 1, within: MIN, by: ['ip'], ipv6Prefix: 64 } })],
      options,
      {
        open: [],
        hits: [],
        silences: [{ rule: 'ssh', keyHash: '["203.0.113.7"]', until: null }],
      },
    );
    expect(tracker.record([{ match: match('203.0.113.7'), at: 999 * MIN }], 999 * MIN).events).toEqual([]);
  });
});

describe('IncidentTracker.sweep', () => {
  it('closes an incident after reopenAfter of quiet, and a new match then needs the threshold again', () => {
    const tracker = new IncidentTracker(
      [rule({ threshold: { count: 2, within: 10 * MIN, by: ['ip'], ipv6Prefix: 64 } })],
      options,
    );
    tracker.record(
      [0, 1].map((t) => ({ match: match('203.0.113.7'), at: t })),
      0,
    );
    expect(tracker.sweep(59 * MIN).events).toEqual([]);
    tracker.record([{ match: match('203.0.113.7'), at: 30 * MIN }], 30 * MIN);
    expect(tracker.sweep(89 * MIN).events).toEqual([]);
    const closed = tracker.sweep(90 * MIN).events;
    expect(closed.map((e) => [e.event, e.incident.status])).toEqual([['closed', 'closed']]);
    expect(tracker.record([{ match: match('203.0.113.7'), at: 91 * MIN }], 91 * MIN).events).toEqual([]);
  });
});

describe('IncidentTracker keys', () => {
  const v6 = (i: number) => `2001:db8:7:1:${i.toString(16)}::1`;

  it('counts IPv6 addresses of one /64 as one key, and lists the addresses it saw', () => {
    const tracker = new IncidentTracker(
      [rule({ threshold: { count: 200, within: 10 * MIN, by: ['ip'], ipv6Prefix: 64 } })],
      options,
    );
    const changes = tracker.record(
      Array.from({ length: 200 }, (_, i) => ({ match: match(v6(i)), at: i })),
      200,
    );
    expect(changes.events.map((e) => e.event)).toEqual(['opened']);
    const incident = changes.events[0]!.incident;
    expect(incident.key).toEqual({ ip: '2001:db8:7:1::/64' });
    expect(incident.title).toBe('SSH brute force from 2001:db8:7:1::/64');
    expect(incident.spread?.ip?.values).toHaveLength(10);
    expect(incident.spread?.ip?.more).toBe(190);
  });

  it('keeps addresses of other /64s apart, and IPv4-mapped addresses with their IPv4 form', () => {
    const tracker = new IncidentTracker(
      [rule({ threshold: { count: 2, within: 10 * MIN, by: ['ip'], ipv6Prefix: 64 } })],
      options,
    );
    expect(
      tracker.record(
        [
          { match: match('2001:db8:7:1::1'), at: 0 },
          { match: match('2001:db8:7:2::1'), at: 1 },
        ],
        1,
      ).events,
    ).toEqual([]);
    const mapped = tracker.record(
      [
        { match: match('203.0.113.7'), at: 2 },
        { match: match('::ffff:203.0.113.7'), at: 3 },
      ],
      3,
    );
    expect(mapped.events[0]?.incident.key).toEqual({ ip: '203.0.113.7' });
  });

  it('counts a repeated line as many matches, and a line of an attempt already counted not at all', () => {
    const tracker = new IncidentTracker([rule()], options);
    expect(tracker.record([{ match: { ...match('203.0.113.7'), repeat: true }, at: 0 }], 0).hits).toEqual([]);
    const changes = tracker.record([{ match: { ...match('203.0.113.7'), times: 3 }, at: 1 }], 1);
    expect(changes.events[0]?.incident.count).toBe(3);
  });

  it('counts nothing for a match without a value for its key, and shows "?" for a title field it lacks', () => {
    const tracker = new IncidentTracker(
      [rule({ threshold: { count: 1, within: MIN, by: ['ip'], ipv6Prefix: 64 } })],
      options,
    );
    const noIp = { ...match('x'), fields: {} };
    expect(tracker.record([{ match: noIp, at: 0 }], 0).events).toEqual([]);
    const titled = new IncidentTracker(
      [rule({ title: 'From {ip} as {user}', threshold: { count: 1, within: MIN, by: ['ip'], ipv6Prefix: 64 } })],
      options,
    );
    expect(titled.record([{ match: match('203.0.113.7'), at: 0 }], 0).events[0]?.incident.title).toBe(
      'From 203.0.113.7 as ?',
    );
  });

  it('keeps at most maxPendingKeys windows, dropping the least recently hit (half at a time) and saying so', () => {
    const tracker = new IncidentTracker([rule()], { ...options, maxPendingKeys: 100 });
    const first = tracker.record([{ match: match('198.51.100.1'), at: 0 }], 0);
    expect(first.dropped).toBeUndefined();
    let cleared: { rule: string; keyHash: string }[] = [];
    for (let i = 0; i < 1000; i++) {
      const changes = tracker.record([{ match: match(`10.0.${i >> 8}.${i & 255}`), at: i + 1 }], i + 1);
      cleared = cleared.concat(changes.dropped ?? []);
    }
    expect(tracker.pendingKeys).toBeLessThanOrEqual(100);
    expect(tracker.pendingKeys).toBeGreaterThanOrEqual(50);
    expect(tracker.evicted + tracker.pendingKeys).toBe(1001);
    expect(cleared).toHaveLength(tracker.evicted);
    // The first window went first, and the store is told to forget its hits.
    expect(cleared[0]).toEqual({ rule: 'ssh', keyHash: '["198.51.100.1"]' });
    // A key hit again moves to the back: it survives the next eviction.
    tracker.record([{ match: match('10.0.3.231'), at: 2000 }], 2000);
    tracker.record([{ match: match('192.0.2.1'), at: 2001 }], 2001);
    expect(tracker.record([{ match: match('10.0.3.231'), at: 2002 }], 2002).events[0]?.event).toBe('opened');
  });
});

describe('IncidentTracker with its store', () => {
  const tempDir = useTempDir();

  it('leaves in the store the hits it keeps in memory when a window is dropped in the middle of a batch', async () => {
    const store = new SqliteStore(join(tempDir(), 'store.db'));
    const tracker = new IncidentTracker([rule()], { ...options, maxPendingKeys: 4 });
    const key = '203.0.113.7';
    // Two hits for the key, enough other keys to drop its window, then one more hit for it: all in one batch.
    const batch = [key, key, '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', key].map((ip, i) => ({
      match: match(ip),
      at: i,
    }));
    await store.commit('auth', undefined, tracker.record(batch, 10), 10);
    const stored = (await store.incidents.readTrackerState(10)).hits.filter((h) => h.keyHash === `["${key}"]`);
    expect(stored).toHaveLength(1);
    // Restarted from the store, the key needs two more failures, as the tracker that ran thought.
    const restarted = new IncidentTracker([rule()], options, await store.incidents.readTrackerState(10));
    expect(restarted.record([{ match: match(key), at: 11 }], 11).events).toEqual([]);
    expect(restarted.record([{ match: match(key), at: 12 }], 12).events[0]?.event).toBe('opened');
    await store.close();
  });
});

describe('learned facts of rules gone from the config', () => {
  it('are not held, and the first sweep lets go of a rule that learned nothing for a year, whole', () => {
    const loaded = parseConfig(
      'sources: [{ id: auth, path: /var/log/auth.log }]\nrules: [{ detect: new-login-source, source: auth }]\n',
      'x.yml',
    );
    const YEAR = 365 * 86_400_000;
    const now = Date.UTC(2026, 5, 1);
    const fact = (rule: string, value: string, lastSeen: number) => ({
      rule,
      subject: 'alice',
      value,
      firstSeen: lastSeen,
      lastSeen,
      count: 1,
    });
    const tracker = new IncidentTracker(loaded.rules, options, {
      open: [],
      hits: [],
      learned: [
        fact('new-login-source', '10.0.0.0/24', now - 86_400_000),
        fact('gone', 'old', now - YEAR - 1),
        { ...fact('gone', 'recent', now - 86_400_000), subject: 'bob' },
        // A rule that learned nothing for a year, and the learning start of one that did lately.
        fact('older', 'x', now - YEAR - 2),
        { ...fact('gone', '', now - 2 * YEAR), subject: '' },
      ],
    });
    expect(tracker.detectors.learned('gone')).toEqual([]);
    expect(tracker.sweep(now).forgotten).toEqual([{ rule: 'older', subject: 'alice', value: 'x' }]);
    // Once: the store keeps the recent one until a start a year on.
    expect((tracker.sweep(now + YEAR).forgotten ?? []).filter((f) => f.rule === 'gone')).toEqual([]);
  });
});

describe('a lesson taken back', () => {
  it('restores what it changed, takes its count out of one that learned more since, lets go of what it made', () => {
    const loaded = parseConfig(
      'sources: [{ id: auth, path: /var/log/auth.log }]\nrules: [{ detect: unusual-time, source: auth, learn: { timezone: UTC } }]\n',
      'x.yml',
    );
    const monday3 = Date.UTC(2026, 0, 5, 3, 10);
    const tracker = new IncidentTracker(loaded.rules, options, {
      open: [],
      hits: [],
      learned: [{ rule: 'unusual-time', subject: 'alice', value: '3', firstSeen: 0, lastSeen: 0, count: 3 }],
    });
    const incident = (firstSeen: number) => ({
      id: 1,
      rule: 'unusual-time',
      severity: 'medium' as const,
      title: '',
      key: { user: 'alice' },
      fields: { user: 'alice' },
      count: 1,
      firstSeen,
      lastSeen: firstSeen,
      source: 'auth',
      sample: [],
      status: 'open' as const,
    });
    const count = (value: string) =>
      tracker.detectors.learned('unusual-time').find((f) => f.subject === 'alice' && f.value === value)?.count;
    const first = tracker.detectors.teach(incident(monday3), monday3)!;
    const second = tracker.detectors.teach(incident(monday3 + 60_000), monday3 + 60_000)!;
    const made = tracker.detectors.teach(incident(monday3 + 3_600_000), monday3 + 3_600_000)!;
    expect([count('3'), count('4')]).toEqual([5, 1]);
    // The first lesson's count learned more since (the second lesson): what it counted is taken out of it.
    expect(tracker.detectors.unteach('unusual-time', first.undo).kept).toBe(0);
    expect(count('3')).toBe(4);
    // The second is the last change to it: restored to before it.
    expect(tracker.detectors.unteach('unusual-time', second.undo).kept).toBe(0);
    expect(count('3')).toBe(3);
    // An hour the lesson made is let go.
    expect(tracker.detectors.unteach('unusual-time', made.undo).changes.forgotten).toEqual([
      { rule: 'unusual-time', subject: 'alice', value: '4' },
    ]);
    expect(count('4')).toBeUndefined();
  });

  it("keeps a summary the lesson changed and that changed since (a spike's peak), and says so", () => {
    const loaded = parseConfig(
      'sources: [{ id: auth, path: /var/log/auth.log }]\nrules: [{ detect: spike, source: auth }]\n',
      'x.yml',
    );
    const at = Date.UTC(2026, 0, 5, 3);
    const peak = { rule: 'spike', subject: 'auth auth.failure', value: 'peak', firstSeen: 0, lastSeen: 0, count: 0 };
    const tracker = new IncidentTracker(loaded.rules, options, {
      open: [],
      hits: [],
      learned: [{ ...peak, data: `30 ${at}` }],
    });
    const lesson = (observed: number, when: number) =>
      tracker.detectors.teach(
        {
          id: 1,
          rule: 'spike',
          severity: 'high',
          title: '',
          key: { source: 'auth', event: 'auth.failure' },
          fields: { source: 'auth', event: 'auth.failure', observed: String(observed) },
          count: observed,
          firstSeen: when,
          lastSeen: when,
          source: 'auth',
          sample: [],
          status: 'open',
        },
        when,
      )!;
    const data = () => tracker.detectors.learned('spike').find((f) => f.value === 'peak')?.data;
    const first = lesson(40, at + 60_000);
    lesson(60, at + 120_000);
    expect(tracker.detectors.unteach('spike', first.undo).kept).toBe(1);
    expect(data()).toBe(`60 ${at + 120_000}`);
  });
});

describe('a novelty lesson taken back', () => {
  it('lets go of the value the finding itself learned as it judged it', () => {
    const loaded = parseConfig(
      'sources: [{ id: auth, path: /var/log/auth.log }]\nrules: [{ detect: new-sudo-command, source: auth }]\n',
      'x.yml',
    );
    const T = Date.UTC(2026, 2, 2, 10);
    const fact = (value: string, firstSeen: number) => ({
      rule: 'new-sudo-command',
      subject: 'alice',
      value,
      firstSeen,
      lastSeen: T,
      count: 1,
    });
    // Judged at T: the command became known as it was told.
    const tracker = new IncidentTracker(loaded.rules, options, {
      open: [],
      hits: [],
      learned: [fact('/usr/bin/apt', T - 86_400_000), fact('/usr/bin/nc', T)],
    });
    const incident = {
      id: 3,
      rule: 'new-sudo-command',
      severity: 'medium' as const,
      title: '',
      key: { user: 'alice', executable: '/usr/bin/nc' },
      fields: { user: 'alice', executable: '/usr/bin/nc' },
      count: 1,
      firstSeen: T,
      lastSeen: T,
      source: 'auth',
      sample: [],
      status: 'open' as const,
    };
    const lesson = tracker.detectors.teach(incident, T + 60_000)!;
    const known = () => tracker.detectors.learned('new-sudo-command').map((f) => f.value);
    expect(known()).toEqual(['/usr/bin/apt', '/usr/bin/nc']);
    tracker.detectors.unteach('new-sudo-command', lesson.undo, T);
    expect(known()).toEqual(['/usr/bin/apt']);
  });
});
