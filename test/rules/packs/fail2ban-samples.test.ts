// fail2ban's own annotated sample logs (Debian's fail2ban package; only those of filters named a to m — the rest are
// kept back to judge the packs on lines they were not built against): every line fail2ban's filter must catch, the
// pack of the same family catches too, blaming the same address.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackName } from '../../../src/rules/packs/index.js';
import { matchesOf, packMatcher } from './matching.js';

const SAMPLES = '/usr/lib/python3/dist-packages/fail2ban/tests/files/logs';

/** fail2ban's filter → the pack that covers it. */
const FAMILIES: [string, PackName][] = [
  ['apache-auth', 'apache'],
  ['apache-badbots', 'apache'],
  ['apache-botsearch', 'apache'],
  ['apache-modsecurity', 'apache'],
  ['apache-nohome', 'apache'],
  ['apache-noscript', 'apache'],
  ['apache-overflows', 'apache'],
  ['apache-shellshock', 'apache'],
  ['dropbear', 'sshd'],
  ['lighttpd-auth', 'lighttpd'],
];

function failures(name: string): { text: string; host?: string }[] {
  const out: { text: string; host?: string }[] = [];
  let pending: { match: boolean; host?: string } | undefined;
  for (const line of readFileSync(join(SAMPLES, name), 'utf8').split('\n')) {
    const json = /^# failJSON: (.*)$/.exec(line);
    if (json) {
      pending = JSON.parse(json[1]!);
      continue;
    }
    if (line.startsWith('#') || line === '') continue;
    if (pending?.match) out.push({ text: line, ...(pending.host ? { host: pending.host } : {}) });
    pending = undefined;
  }
  return out;
}

describe("the packs on fail2ban's annotated samples (a–m)", () => {
  it('has the samples (.ci/run installs fail2ban)', () => {
    expect(existsSync(SAMPLES)).toBe(true);
  });

  describe.each(FAMILIES)('%s', (name, pack) => {
    const lines = existsSync(SAMPLES) ? failures(name) : [];
    it.each(lines.map((l) => ({ ...l, short: l.text.slice(0, 100) })))(`${pack} catches $short`, ({ text, host }) => {
      const found = matchesOf(packMatcher(pack), text);
      expect(found.length, text).toBeGreaterThan(0);
      if (host && /^[\d.:a-f]+$/i.test(host))
        expect(
          found.some((f) => f.fields.ip === host),
          text,
        ).toBe(true);
    });
  });
});
