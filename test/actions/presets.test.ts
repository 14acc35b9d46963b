// The presets and the sudoers example that grants them: every preset argv, filled with typed values, is allowed by
// the example; the same programs with anything else are not.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/actions/presets.js';
import { renderArgv } from '../../src/actions/render-argv.js';
import { ROOT } from '../helpers/fixtures.js';

const SUDOERS = join(ROOT, 'examples/sudoers-logwarden');
// /usr/sbin is not on every user's PATH (npm test's preflight installs sudo, which ships visudo there).
const VISUDO = existsSync('/usr/sbin/visudo') ? '/usr/sbin/visudo' : 'visudo';

// program → the regexes its arguments must match, read from the example (sudoers escapes ":" as "\:"); the
// LOGWARDEN_NEVER alias is the one the user line negates.
function readGrants(negated: boolean): Map<string, RegExp[]> {
  const grants = new Map<string, RegExp[]>();
  for (const line of readFileSync(SUDOERS, 'utf8').split('\n')) {
    const alias = /^Cmnd_Alias (\w+) = (.*)$/.exec(line);
    if (!alias || (alias[1] === 'LOGWARDEN_NEVER') !== negated) continue;
    for (const command of alias[2]!.split(/, (?=\/)/)) {
      const [, program, args] = /^(\S+) (\^.*\$)$/.exec(command)!;
      grants.set(program!, [...(grants.get(program!) ?? []), new RegExp(args!.replaceAll('\\:', ':'))]);
    }
  }
  return grants;
}

const allowed = (argv: readonly string[]) => {
  const [sudo, flag, program, ...args] = argv;
  expect([sudo, flag]).toEqual(['sudo', '-n']);
  const matches = (negated: boolean) => (readGrants(negated).get(program!) ?? []).some((re) => re.test(args.join(' ')));
  return matches(false) && !matches(true);
};

const TYPES = { ip: 'ip', user: 'user' } as const;
const VALUES = [
  { ip: '203.0.113.7', user: 'mallory' },
  { ip: '2001:db8::7', user: 'svc_backup.2' },
];

describe('presets and examples/sudoers-logwarden', () => {
  it('is valid sudoers syntax', () => {
    expect(execFileSync(VISUDO, ['-cf', SUDOERS], { encoding: 'utf8' })).toContain('parsed OK');
  });

  it.each(Object.entries(PRESETS))('allows every command of %s with typed values', (_name, preset) => {
    for (const template of [
      preset.command,
      'undo' in preset ? preset.undo : [],
      'verify' in preset ? preset.verify : [],
    ]) {
      if (template.length === 0) continue;
      for (const fields of VALUES) {
        const argv = renderArgv(template, fields, TYPES);
        if (!argv.ok) throw new Error(argv.reason);
        expect(argv.argv[2], 'an absolute path, so sudoers can name it').toMatch(/^\//);
        expect(allowed(argv.argv), argv.argv.join(' ')).toBe(true);
      }
    }
  });

  it('allows nothing else of those programs', () => {
    const denied = [
      ['/usr/sbin/nft', 'flush', 'ruleset'],
      ['/usr/sbin/nft', 'add', 'element', 'inet', 'logwarden', 'blocklist', '{ 1.2.3.4 }', ';', 'flush', 'ruleset'],
      ['/usr/sbin/iptables', '-I', 'INPUT', '-s', '203.0.113.7', '-j', 'ACCEPT'],
      ['/usr/sbin/iptables', '-I', 'INPUT', '-s', '1.2.3.4', '-j', 'ACCEPT', '-j', 'DROP'],
      ['/usr/sbin/iptables', '-F'],
      ['/usr/sbin/ufw', 'allow', 'from', '1.2.3.4'],
      ['/usr/sbin/ufw', 'disable'],
      ['/usr/sbin/usermod', '-L', '-G', 'root', 'mallory'],
      ['/usr/sbin/usermod', '-aG', 'sudo', 'mallory'],
      ['/usr/bin/pkill', '-KILL', '-u', 'mallory', 'sshd'],
      ['/usr/bin/pkill', '-KILL', 'sshd'],
      ['/usr/sbin/usermod', '-L', 'root'],
      ['/usr/sbin/usermod', '-L', '0'],
      ['/usr/bin/pkill', '-KILL', '-u', 'root'],
      ['/usr/bin/pkill', '-KILL', '-u', '0'],
      ['/usr/sbin/nft', 'add', 'element', 'inet', 'logwarden', 'blocklist', '{ 127.0.0.53 }'],
      ['/usr/sbin/iptables', '-I', 'INPUT', '-s', '127.0.0.1', '-j', 'DROP'],
      ['/usr/sbin/ufw', 'prepend', 'deny', 'from', '127.0.0.53'],
    ];
    for (const argv of denied) expect(allowed(['sudo', '-n', ...argv]), argv.join(' ')).toBe(false);
  });
});
