import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { matchChunk, SourceMatcher } from '../../src/rules/match.js';

const NOW = Date.parse('2026-11-24T00:00:00Z');

function verdicts(yaml: string, line: string) {
  const { rules, config } = parseConfig(yaml, 't.yml');
  const out: { rule: string; outcome: string; fields?: Record<string, string> }[] = [];
  matchChunk(
    new SourceMatcher(rules, config.sources[0]!.maxLineBytes),
    Buffer.from(`${line}\n`),
    (_l, vs) => {
      for (const v of vs)
        out.push({ rule: v.rule.id, outcome: v.outcome, ...(v.outcome === 'matched' ? { fields: v.fields } : {}) });
    },
    NOW,
  );
  return out;
}

const SOURCE = 'sources: [{ id: auth, path: /x }]\n';

describe('ignore scoped to a field', () => {
  const yaml = `${SOURCE}rules:\n  - use: sshd\n    source: auth\n    ignore: { ip: [10.0.0.0/8, '2001:db8::/32'], user: [backup] }\n`;

  it.each([
    { line: 'Nov 23 10:00:00 h sshd[1]: Failed password for root from 10.1.2.3 port 22 ssh2', outcome: 'ignored' },
    { line: 'Nov 23 10:00:00 h sshd[1]: Failed password for root from 2001:db8::9 port 22 ssh2', outcome: 'ignored' },
    { line: 'Nov 23 10:00:00 h sshd[1]: Failed password for backup from 203.0.113.7 port 22 ssh2', outcome: 'ignored' },
    { line: 'Nov 23 10:00:00 h sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2', outcome: 'matched' },
    {
      line: 'Nov 23 10:00:00 h sshd[1]: Failed password for invalid user from 10.0.0.1 port 22 ssh2 from 203.0.113.7 port 22 ssh2',
      outcome: 'matched',
    },
  ])('$outcome: $line', ({ line, outcome }) => {
    expect(verdicts(yaml, line).map((v) => v.outcome)).toEqual([outcome]);
  });

  it('warns that a whole-line ignore can be met through a capture the attacker writes', () => {
    const { warnings } = parseConfig(
      `${SOURCE}rules:\n  - use: sshd\n    source: auth\n    ignore: ['from 10\\.']\n`,
      't.yml',
    );
    expect(warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      expect.stringMatching(/^rules\[0\]\.ignore\[0\]: is tried on the whole line, and pack sshd's capture \{user\}/),
    ]);
  });
});

describe('typed captures', () => {
  const yaml = `${SOURCE}rules:\n  - id: app\n    source: auth\n    pattern: 'denied (?<user>\\S+) from (?<ip>\\S+)$'\n    fields: { ip: ip, user: user }\n    threshold: { by: [ip] }\n`;

  it('leaves out a value that fails its type, and counts the line', () => {
    expect(verdicts(yaml, 'denied bob;id from 203.0.113.7')).toEqual([
      { rule: 'app', outcome: 'matched', fields: { ip: '203.0.113.7' } },
    ]);
  });

  it('rejects the line when the count is keyed by the value that fails', () => {
    expect(verdicts(yaml, 'denied bob from not-an-address')).toEqual([{ rule: 'app', outcome: 'rejected' }]);
  });
});

describe('program:', () => {
  const yaml = `${SOURCE}rules:\n  - id: app\n    source: auth\n    program: [myapp, myapp-worker]\n    pattern: 'login failed for (?<user>\\S+) from (?<ip>\\S+)$'\n    fields: { ip: ip }\n`;

  it("reads the program's message from its start", () => {
    expect(verdicts(yaml, 'Nov 23 10:00:00 h myapp[4]: login failed for bob from 203.0.113.7')).toHaveLength(1);
    expect(verdicts(yaml, 'Nov 23 10:00:00 h myapp-worker: login failed for bob from 203.0.113.7')).toHaveLength(1);
  });

  it("leaves other programs' lines, and the words later in a message, alone", () => {
    expect(verdicts(yaml, 'Nov 23 10:00:00 h other[4]: login failed for bob from 203.0.113.7')).toEqual([]);
    expect(verdicts(yaml, 'Nov 23 10:00:00 h myapp[4]: note: login failed for bob from 203.0.113.7')).toEqual([]);
  });

  // A pattern without a literal of its own is screened by its programs' tags, in every form a tag takes.
  const bare = (program: string) =>
    `${SOURCE}rules:\n  - id: bare\n    source: auth\n    program: [${program}]\n    pattern: '(?<user>[a-z]{1,8})=(?<n>\\d{1,3})$'\n`;
  it.each([
    ['sshd', 'Nov 23 10:00:00 h sshd[4]: bob=12'],
    ['sshd', 'Nov 23 10:00:00 h sshd(pam_unix)[4]: bob=12'],
    ['gdm-password', 'Nov 23 10:00:00 h gdm-password][4]: bob=12'],
    ['myapp', '<13>1 2026-11-23T10:00:00Z h myapp 4 - - bob=12'],
    ['nginx', '2026/11/23 10:00:00 [error] 812#812: *5 bob=12'],
    ['apache', '[Mon Nov 23 10:00:00.123456 2026] [core:error] [pid 7] [client 203.0.113.7:4000] bob=12'],
    ['apache', 'Nov 23 10:00:00 h apache2[7]: bob=12'],
  ])('reads a %s line though the pattern holds no literal: %s', (program, line) => {
    expect(verdicts(bare(program), line).map((v) => v.fields)).toEqual([{ user: 'bob', n: '12' }]);
  });
});

describe('the screen', () => {
  it('finds literals beyond ASCII, whose windows are never cut inside a character', () => {
    const yaml = `${SOURCE}rules:\n  - id: ticket\n    source: auth\n    pattern: 'ticket 🎫 rejected for (?<who>\\w+)'\n`;
    const line = 'Nov 23 10:00:00 h app[1]: ticket 🎫 rejected for bob';
    expect(verdicts(yaml, line).map((v) => v.fields)).toEqual([{ who: 'bob' }]);
    expect(verdicts(yaml, 'Nov 23 10:00:00 h app[1]: ticketé 🎫 rejected for bob').map((v) => v.fields)).toEqual([]);
  });

  it("runs only the patterns whose words a line holds: the others' regexes are never executed", () => {
    const { rules, config } = parseConfig(`${SOURCE}rules:\n  - use: sshd\n    source: auth\n`, 't.yml');
    const matcher = new SourceMatcher(rules, config.sources[0]!.maxLineBytes);
    const executed: string[] = [];
    for (const rule of rules) {
      for (const pattern of rule.patterns) {
        const { regex } = pattern;
        // Without the screen's marks, a pattern without literals of its own would run on every line.
        pattern.anchors = [];
        pattern.regex = new Proxy(regex, {
          get: (target, name) =>
            name === 'exec'
              ? (text: string) => {
                  executed.push(regex.source.slice(0, 40));
                  return target.exec(text);
                }
              : Reflect.get(target, name),
        });
      }
    }
    const found: string[] = [];
    matchChunk(
      matcher,
      Buffer.from('Nov 23 10:00:00 h sshd[1]: Invalid user admin from 203.0.113.7 port 22\n'),
      (_l, vs) => {
        for (const v of vs) found.push(v.outcome);
      },
      NOW,
    );
    expect(found).toEqual(['matched']);
    // Of the pack's 25 patterns, only those sharing a screen word with the line ("nvalid user") ran.
    expect(executed.length).toBeLessThanOrEqual(3);
    expect(executed.some((source) => source.includes('Invalid user'))).toBe(true);
  });
});
