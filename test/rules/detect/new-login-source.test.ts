// new-login-source through the matcher and the incident tracker: it learns each user's networks for its period, then
// speaks of a login from a network the user has not used in that period; what it knows survives a restart (the
// store), and it stays bounded.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { Incident, Match, TrackerState } from '../../../src/core/types.js';
import { IncidentTracker } from '../../../src/incidents/incident-tracker.js';
import { newLoginSource } from '../../../src/rules/detect/new-login-source.js';
import { matchChunk, SourceMatcher } from '../../../src/rules/match.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir();
const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T08:00:00Z');

function setup(learn = '{ period: 10d }', state?: TrackerState) {
  const loaded = parseConfig(
    `store: { path: ":memory:" }
sources: [{ id: auth, path: /var/log/auth.log }]
rules: [{ detect: new-login-source, source: auth, learn: ${learn} }]
`,
    'nls.yml',
  );
  const matcher = new SourceMatcher(loaded.rules, 65536);
  const tracker = new IncidentTracker(loaded.rules, { reopenAfter: 3_600_000, samples: 5 }, state);
  const opened: Incident[] = [];
  const learnedWrites: unknown[] = [];
  const forgotten: { value: string }[] = [];
  const login = (at: number, user: string, ip: string) => {
    const stamp = new Date(at).toISOString().replace('.000Z', 'Z');
    const matches: { match: Match; at: number }[] = [];
    matchChunk(
      matcher,
      Buffer.from(`${stamp} web1 sshd[4242]: Accepted publickey for ${user} from ${ip} port 50022 ssh2\n`),
      (line, verdicts, _s, context) => {
        for (const v of verdicts) {
          if (v.outcome !== 'matched') continue;
          const event = { sourceId: 'auth', origin: 'auth.log', text: line.text, truncated: false };
          matches.push({ match: { ruleId: v.rule.id, event, fields: v.fields }, at: context.time(at) ?? at });
        }
      },
      at + 1000,
    );
    const changes = tracker.record(matches, at + 1000);
    learnedWrites.push(...(changes.learned ?? []));
    forgotten.push(...(changes.forgotten ?? []));
    opened.push(...changes.events.filter((e) => e.event === 'opened').map((e) => e.incident));
  };
  return { login, opened, learnedWrites, forgotten };
}

describe('detect: new-login-source', () => {
  it('learns for its period, then speaks of a network new to the user, naming the ones it knows', () => {
    const d = setup();
    for (let day = 0; day < 12; day++) {
      d.login(T0 + day * DAY, 'alice', `10.1.2.${day + 1}`);
      d.login(T0 + day * DAY + 3_600_000, 'alice', '2001:db8:aa:1::5');
    }
    // Day 3, while it learns: a new network teaches, and says nothing.
    d.login(T0 + 3 * DAY + 60_000, 'alice', '192.0.2.9');
    expect(d.opened).toEqual([]);
    // Day 12, learned: the networks it saw are known, a new one is told.
    d.login(T0 + 12 * DAY, 'alice', '10.1.2.200');
    d.login(T0 + 12 * DAY, 'alice', '2001:db8:aa:ffff::1');
    expect(d.opened).toEqual([]);
    d.login(T0 + 12 * DAY + 5000, 'alice', '203.0.113.77');
    expect(d.opened).toMatchObject([
      {
        rule: 'new-login-source',
        severity: 'medium',
        key: { user: 'alice', network: '203.0.113.0/24' },
        title:
          'alice logged in from 203.0.113.77, a network new to them (203.0.113.0/24; known: 2001:db8:aa::/48, 10.1.2.0/24, 192.0.2.0/24)',
        fields: { user: 'alice', ip: '203.0.113.77', network: '203.0.113.0/24' },
      },
    ]);
    // Once seen, it is known: the same network again opens nothing new.
    d.login(T0 + 12 * DAY + 9000, 'alice', '203.0.113.1');
    expect(d.opened).toHaveLength(1);
  });

  it('counts a network unused for longer than the period as new again, and a user it never saw as having none', () => {
    const d = setup();
    d.login(T0, 'alice', '10.1.2.3');
    d.login(T0 + 11 * DAY, 'bob', '10.9.9.9');
    d.login(T0 + 11 * DAY, 'alice', '10.1.2.4');
    expect(d.opened.map((i) => i.title)).toEqual([
      'bob logged in from 10.9.9.9, a network new to them (10.9.9.0/24; known: none)',
      'alice logged in from 10.1.2.4, a network new to them (10.1.2.0/24; known: none)',
    ]);
  });

  it('keeps at most 32 networks per user, letting go of the least recently seen', () => {
    const d = setup();
    expect(newLoginSource.memory?.values).toBe(32);
    for (let n = 0; n < 32 + 5; n++) d.login(T0 + n * 1000, 'alice', `10.${n}.0.1`);
    // The five first networks went, oldest first.
    expect(d.forgotten.map((f) => f.value)).toEqual([0, 1, 2, 3, 4].map((n) => `10.${n}.0.0/24`));
  });

  it('remembers what it learned across a restart, through the store', async () => {
    const path = join(tempDir(), 'store.db');
    const first = new SqliteStore(path);
    const d1 = setup('{ period: 10d }', await first.incidents.readTrackerState(T0));
    const loaded = parseConfig(
      'store: { path: ":memory:" }\nsources: [{ id: auth, path: /x }]\nrules: [{ detect: new-login-source, source: auth }]\n',
      'x.yml',
    );
    expect(loaded.rules[0]!.detect?.learn).toMatchObject({ period: 30 * DAY, ipv4Prefix: 24, ipv6Prefix: 48 });
    for (let day = 0; day < 11; day++) d1.login(T0 + day * DAY, 'alice', '10.1.2.3');
    await first.commit(
      'auth',
      undefined,
      { hits: [], cleared: [], incidents: [], events: [], learned: d1.learnedWrites as never },
      T0,
    );
    await first.close();
    const second = new SqliteStore(path);
    const d2 = setup('{ period: 10d }', await second.incidents.readTrackerState(T0 + 11 * DAY));
    d2.login(T0 + 11 * DAY, 'alice', '10.1.2.9');
    expect(d2.opened).toEqual([]);
    d2.login(T0 + 11 * DAY, 'alice', '198.51.100.4');
    expect(d2.opened.map((i) => i.key)).toEqual([{ user: 'alice', network: '198.51.100.0/24' }]);
    await second.close();
  });

  it('refuses learn: on a detector that learns nothing', () => {
    expect(() =>
      parseConfig(
        'store: { path: ":memory:" }\nsources: [{ id: auth, path: /x }]\nrules: [{ detect: success-after-failures, source: auth, learn: { period: 1d } }]\n',
        'bad.yml',
      ),
    ).toThrow(/rules\[0\]\.learn: detector success-after-failures learns nothing; learn: is for new-login-source/);
  });
});
