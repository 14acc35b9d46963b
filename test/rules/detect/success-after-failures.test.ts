// success-after-failures through the matcher and the incident tracker, as the pipeline runs them: sshd's failures
// are the detector's prior events, an `Accepted` line from the same address (or user) after enough of them opens a
// critical incident that says how many and over how long; a login alone, or after too few, opens nothing.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { IncidentEvent, Match } from '../../../src/core/types.js';
import { IncidentTracker } from '../../../src/incidents/incident-tracker.js';
import { matchChunk, SourceMatcher } from '../../../src/rules/match.js';

const NOW = Date.parse('2026-11-24T00:00:00Z');

function detect(detector = '{ detect: success-after-failures, source: auth }') {
  const loaded = parseConfig(
    `store: { path: ":memory:" }
sources: [{ id: auth, path: /var/log/auth.log }]
rules:
  - { use: sshd, source: auth }
  - ${detector}
`,
    'detect.yml',
  );
  const matcher = new SourceMatcher(loaded.rules, 65536);
  const tracker = new IncidentTracker(loaded.rules, { reopenAfter: 3_600_000, samples: 10 });
  const events: IncidentEvent[] = [];
  const matched = new Map<string, number>();
  return {
    rules: loaded.rules,
    matched,
    events,
    /** Runs lines through the matcher and the tracker as one chunk. */
    feed(...lines: string[]) {
      const matches: { match: Match; at: number }[] = [];
      matchChunk(
        matcher,
        Buffer.from(`${lines.join('\n')}\n`),
        (line, verdicts, _start, context) => {
          for (const v of verdicts) {
            if (v.outcome !== 'matched') continue;
            matched.set(v.rule.id, (matched.get(v.rule.id) ?? 0) + 1);
            const event = { sourceId: 'auth', origin: '/var/log/auth.log', text: line.text, truncated: false };
            matches.push({
              match: { ruleId: v.rule.id, event, fields: v.fields, ...(v.repeat ? { repeat: true } : {}) },
              at: v.time ?? context.time(NOW) ?? NOW,
            });
          }
        },
        NOW,
      );
      events.push(...tracker.record(matches, NOW).events);
    },
    opened(rule = 'success-after-failures') {
      return events.filter((e) => e.event === 'opened' && e.incident.rule === rule).map((e) => e.incident);
    },
  };
}

const stamp = (second: number) =>
  `2026-11-23T10:${String(Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}Z`;
const failed = (second: number, ip: string, user = 'root', pid = 1000 + second) =>
  `${stamp(second)} web1 sshd[${pid}]: Failed password for ${user} from ${ip} port 40022 ssh2`;
const accepted = (second: number, ip: string, user = 'alice', method = 'password') =>
  `${stamp(second)} web1 sshd[${5000 + second}]: Accepted ${method} for ${user} from ${ip} port 40100 ssh2`;

describe('detect: success-after-failures', () => {
  it('opens a critical incident when a login from an address follows its failures, saying how many and over how long', () => {
    const d = detect();
    d.feed(...[0, 60, 120, 180, 240, 300, 360].map((s) => failed(s, '203.0.113.7', s % 120 ? 'root' : 'alice')));
    d.feed(accepted(552, '203.0.113.7'));
    const [incident, ...more] = d.opened();
    expect(more).toEqual([]);
    expect(incident).toMatchObject({
      severity: 'critical',
      title: 'alice logged in from 203.0.113.7 after 7 failures in 9m12s',
      key: { ip: '203.0.113.7' },
      count: 7,
      fields: { ip: '203.0.113.7', user: 'alice', method: 'password', failures: '7', span: '9m12s' },
    });
    // The samples end with the login, after the failures it followed.
    expect(incident!.sample.at(-1)).toContain('Accepted password for alice');
    expect(incident!.sample[0]).toContain('Failed password');
    // The brute force itself is the sshd rule's incident, as before.
    expect(d.opened('sshd')).toHaveLength(1);
  });

  it.each([
    { name: 'a login with no failures before it', failures: [] as number[], ip: '203.0.113.7' },
    { name: 'a login after fewer failures than the threshold', failures: [0, 60, 120, 180], ip: '203.0.113.7' },
    { name: 'a login from another address', failures: [0, 60, 120, 180, 240], ip: '198.51.100.9' },
    { name: 'a login after failures older than the window', failures: [0, 1, 2, 3, 4], ip: '203.0.113.7', at: 610 },
  ])('opens nothing for $name, though the login is read', ({ failures, ip, at }) => {
    const d = detect();
    if (failures.length > 0) d.feed(...failures.map((s) => failed(s, '203.0.113.7')));
    d.feed(accepted(at ?? 300, ip));
    expect(d.opened()).toEqual([]);
    expect(d.matched.get('success-after-failures')).toBe(1);
  });

  it('keys by user when told to: failures for alice from many addresses, then her login from yet another', () => {
    const d = detect('{ detect: success-after-failures, source: auth, threshold: { by: [user], count: 3 } }');
    d.feed(...[1, 2, 3].map((n) => failed(n * 30, `198.51.100.${n}`, 'alice')));
    d.feed(accepted(200, '203.0.113.50', 'bob'));
    expect(d.opened()).toEqual([]);
    d.feed(accepted(210, '203.0.113.50', 'alice'));
    expect(d.opened()).toMatchObject([{ title: 'alice logged in from 203.0.113.50 after 3 failures in 3m' }]);
  });

  it('counts IPv6 failures by their /64: the login from another address of the same network follows them', () => {
    const d = detect();
    d.feed(...[1, 2, 3, 4, 5].map((n) => failed(n, `2001:db8:7:1::${n}`)));
    d.feed(accepted(60, '2001:db8:7:1::99'));
    expect(d.opened()).toMatchObject([{ key: { ip: '2001:db8:7:1::/64' }, fields: { ip: '2001:db8:7:1::99' } }]);
  });

  it('folds later logins into the open incident, keeping what it found before', () => {
    const d = detect();
    d.feed(...[0, 1, 2, 3, 4].map((s) => failed(s, '203.0.113.7')));
    d.feed(accepted(30, '203.0.113.7'));
    d.feed(failed(40, '203.0.113.7'), accepted(50, '203.0.113.7', 'carol'));
    const updated = d.events.filter((e) => e.event === 'updated' && e.incident.rule === 'success-after-failures');
    expect(d.opened()).toHaveLength(1);
    expect(updated.at(-1)?.incident.fields).toMatchObject({ user: 'carol', failures: '5', span: '30s' });
  });

  it('reads logins only from the start of sshd’s own message: text a client chose cannot pose as one', () => {
    const d = detect();
    d.feed(...[0, 1, 2, 3, 4].map((s) => failed(s, '203.0.113.7')));
    d.feed(
      // A user name and a disconnect reason are the client's text.
      `${stamp(20)} web1 sshd[77]: Invalid user Accepted password for alice from 203.0.113.7 port 1 ssh2 from 203.0.113.7 port 40100`,
      `${stamp(21)} web1 sshd[78]: Received disconnect from 203.0.113.7 port 40100:11: Accepted password for root from 203.0.113.7 port 22 ssh2 [preauth]`,
      // Another program's message.
      `${stamp(22)} web1 CRON[79]: Accepted password for root from 203.0.113.7 port 22 ssh2`,
      `${stamp(23)} web1 sshd[80]: error: Accepted password for root from 203.0.113.7 port 22 ssh2`,
    );
    expect(d.opened()).toEqual([]);
    expect(d.matched.get('success-after-failures')).toBeUndefined();
  });

  it('says what is wrong with a key it does not have', () => {
    expect(() =>
      parseConfig(
        `store: { path: ":memory:" }
sources: [{ id: auth, path: /var/log/auth.log }]
rules: [{ detect: success-after-failures, source: auth, threshold: { by: [port] } }]
`,
        'bad.yml',
      ),
    ).toThrow(/rules\[0\]\.threshold\.by\[0\].*keys by ip, user, method, failures, span, not "port"/s);
  });
});

describe('events of custom rules', () => {
  const config = (rule: string) =>
    `store: { path: ":memory:" }
sources: [{ id: auth, path: /var/log/auth.log }]
rules:
  - ${rule}
  - { detect: success-after-failures, source: auth, threshold: { count: 2 } }
`;

  it('count for detectors when the rule reads its program’s messages', () => {
    const loaded = parseConfig(
      config(
        "{ id: vpn, source: auth, program: openvpn, pattern: 'AUTH_FAILED from (?<ip>\\S+)$', fields: { ip: ip }, event: auth.failure }",
      ),
      'custom.yml',
    );
    const tracker = new IncidentTracker(loaded.rules, { reopenAfter: 3_600_000, samples: 5 });
    const event = (text: string) => ({ sourceId: 'auth', origin: 'auth.log', text, truncated: false });
    const changes = tracker.record(
      [
        { match: { ruleId: 'vpn', event: event('f1'), fields: { ip: '203.0.113.9' } }, at: NOW - 2000 },
        { match: { ruleId: 'vpn', event: event('f2'), fields: { ip: '203.0.113.9' } }, at: NOW - 1000 },
        {
          match: { ruleId: 'success-after-failures', event: event('ok'), fields: { ip: '203.0.113.9', user: 'alice' } },
          at: NOW,
        },
      ],
      NOW,
    );
    expect(changes.events.map((e) => e.incident.title)).toContain(
      'alice logged in from 203.0.113.9 after 2 failures in 2s',
    );
  });

  it('are refused on whole-line patterns: text inside another program’s line could pose as a failure', () => {
    expect(() =>
      parseConfig(
        config("{ id: any, source: auth, pattern: 'AUTH_FAILED from (?<ip>\\S+)$', event: auth.failure }"),
        'c.yml',
      ),
    ).toThrow(/rules\[0\]\.event: an event for detectors needs program:/);
  });
});
