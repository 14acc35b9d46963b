// util-linux login's failure formats as the languages write them (src/rules/packs/login-translations.ts, generated
// from util-linux's po/ files): each becomes a pattern that reads its arguments wherever the translation put them.
import { describe, expect, it } from 'vitest';
import { translatedLoginPattern } from '../../../src/rules/packs/login.js';
import { LOGIN_TRANSLATIONS } from '../../../src/rules/packs/login-translations.js';

describe('translatedLoginPattern', () => {
  it('reads every translation util-linux ships', () => {
    const unread = LOGIN_TRANSLATIONS.filter((t) => translatedLoginPattern(t.msgid, t.msgstr) === undefined);
    expect(unread).toEqual([]);
    expect(LOGIN_TRANSLATIONS.length).toBeGreaterThan(50);
  });

  it('follows numbered conversions to their arguments', () => {
    const re = new RegExp(
      `^${translatedLoginPattern('FAILED LOGIN %u FROM %s FOR %s, %s', '%3$s z %2$s (%1$u): %4$s')}`,
    );
    expect(re.exec('bob z tty3 (7): Fehler')?.groups).toMatchObject({ user: 'bob', from: 'tty3', count: '7' });
  });

  it('reads the literal text literally', () => {
    const re = new RegExp(`^${translatedLoginPattern('FAILED LOGIN SESSION FROM %s FOR %s, %s', 'X.(%s) [%s]? %s')}`);
    expect(re.test('X.(tty1) [root]? denied')).toBe(true);
    expect(re.test('XY(tty1) [root]? denied')).toBe(false);
  });

  it('leaves out a translation that prints an argument twice or not at all', () => {
    expect(translatedLoginPattern('FAILED LOGIN %u FROM %s FOR %s, %s', 'FEHLER %2$s VON %2$s, %4$s')).toBeUndefined();
    expect(translatedLoginPattern('FAILED LOGIN %u FROM %s FOR %s, %s', 'FEHLER %s FÜR %s, %s')).toBeUndefined();
    expect(translatedLoginPattern('NOT A LOGIN FORMAT %s', 'X %s')).toBeUndefined();
  });
});
