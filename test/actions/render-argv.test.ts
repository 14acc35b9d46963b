import { describe, expect, it } from 'vitest';
import { placeholdersOf, renderArgv } from '../../src/actions/render-argv.js';
import type { FieldType } from '../../src/core/types.js';
import { HOSTILE_CAPTURES as HOSTILE } from '../helpers/hostile-text.js';

const TYPES: Record<string, FieldType> = { ip: 'ip', user: 'user', host: 'host', port: 'port', note: 'text' };
const BLOCK = ['/usr/sbin/nft', 'add', 'element', 'inet', 'filter', 'blocklist', '{ {ip} }'];

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

  it("counts a directory's account as a user, but runs no local command on it", () => {
    for (const user of ['alice@corp.example.com', 'CORP\\alice']) {
      expect(renderArgv(['/usr/sbin/usermod', '-L', '{user}'], { user }, TYPES)).toEqual({
        ok: false,
        reason: expect.stringMatching(
          /^user is not a local login name: .*a directory account is locked in its directory\), so the command was not run$/,
        ),
      });
    }
    expect(renderArgv(['/usr/sbin/usermod', '-L', '{user}'], { user: 'alice' }, TYPES)).toEqual({
      ok: true,
      argv: ['/usr/sbin/usermod', '-L', 'alice'],
    });
  });

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
