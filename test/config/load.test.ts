import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, readConfig } from '../../src/config/load.js';
import { ConfigInvalidError, ConfigUnreadableError } from '../../src/core/errors.js';
import { FIXTURES, ROOT } from '../helpers/fixtures.js';

const invalidDir = join(FIXTURES, 'configs/invalid');
const invalid = readdirSync(invalidDir)
  .filter((f) => f.endsWith('.yml'))
  .map((file) => {
    const text = readFileSync(join(invalidDir, file), 'utf8');
    const wantErr = /^# wantErr: (.*)$/m.exec(text)?.[1];
    return { file, text, wantErr };
  });

describe('parseConfig with invalid fixtures', () => {
  it('has fixtures that each state their expected error', () => {
    expect(invalid.length).toBeGreaterThan(10);
    for (const f of invalid) expect(f.wantErr, f.file).toBeTruthy();
  });

  it.each(invalid)('$file: reports "$wantErr"', ({ file, text, wantErr }) => {
    let error: unknown;
    try {
      parseConfig(text, file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect((error as Error).message).toContain(wantErr);
    expect((error as ConfigInvalidError).code).toBe('logwarden_config_invalid');
  });
});

describe('parseConfig', () => {
  it('reports every problem of a file at once, each with its line', () => {
    const text = `sources: [{ id: auth, path: /x }]
rules:
  - { id: a, source: nope, pattern: 'x(?<ip>\\S+)' }
  - { id: b, source: auth, pattern: '(' }
`;
    const error = (() => {
      try {
        parseConfig(text, 'two.yml');
      } catch (e) {
        return e as ConfigInvalidError;
      }
      throw new Error('expected an error');
    })();
    expect(error.problems.map((p) => [p.path, p.line])).toEqual([
      ['rules[0].source', 3],
      ['rules[1].pattern', 4],
    ]);
    expect(error.message).toMatch(/^two\.yml has 2 problems:/);
  });

  it('fills in every default from the schema', () => {
    const { config, rules } = parseConfig(
      "sources: [{ id: auth, path: /x }]\nrules: [{ id: r, source: auth, pattern: 'a(?<ip>b)' }]\n",
      'min.yml',
    );
    expect(config.store.path).toBe('./data/logwarden.db');
    expect(config.sources[0]).toEqual({ id: 'auth', type: 'file', path: '/x', from: 'end', maxLineBytes: 65536 });
    expect(config.incidents).toEqual({
      reopenAfter: 3_600_000,
      samples: 5,
      maxPendingKeys: 50_000,
      history: 90 * 86_400_000,
      geoip: [],
      blocklists: [],
    });
    expect(config.tail).toEqual({ pollInterval: 1000, rotateQuiet: 5000 });
    expect(rules[0]).toMatchObject({
      severity: 'medium',
      threshold: { count: 1, within: 600_000, by: [], ipv6Prefix: 64 },
      title: 'r',
    });
    expect(Object.isFrozen(config.sources[0])).toBe(true);
  });

  it('reads a config that uses every feature', () => {
    const { config, rules } = parseConfig(readFileSync(join(FIXTURES, 'configs/valid/full.yml'), 'utf8'), 'full.yml');
    expect(config.sources.map((s) => s.type)).toEqual(['file', 'file', 'journald']);
    expect(rules.map((r) => r.id)).toEqual([
      'sshd',
      'sudo-auth',
      'sudo-not-allowed',
      'sudo-lockout',
      'nginx-auth',
      'nginx-traversal',
      'nginx-injection',
      'nginx-probe',
      'nginx-scanner',
      'nginx-login',
      'nginx-auth-401',
      'nginx-waf',
      'nginx-flood',
      'nginx-login-ok',
      'generic',
      'app-login',
    ]);
    expect(rules[0]!.threshold).toEqual({ count: 3, within: 600_000, by: ['ip'], ipv6Prefix: 64 });
    expect(rules.at(-1)!.threshold.within).toBe(5_400_000);
  });

  it('accepts the bundled example', () => {
    expect(() => readConfig(join(ROOT, 'examples/logwarden.yml'))).not.toThrow();
  });
});

describe('readConfig', () => {
  it('says how to fix a missing file', () => {
    expect(() => readConfig('/nonexistent/logwarden.yml')).toThrow(ConfigUnreadableError);
    expect(() => readConfig('/nonexistent/logwarden.yml')).toThrow(/no such file or directory \(ENOENT\)\. Create it/);
  });
});
