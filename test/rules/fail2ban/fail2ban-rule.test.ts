// A fail2ban filter as a logwarden rule: failures counted like a jail (maxretry within findtime, by address, on the
// log's own timestamps), ignoreip and ignoreregex honoured, the address typed so block-IP actions can use it.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { IncidentEvent } from '../../../src/core/types.js';
import { startLogwarden } from '../../helpers/start-logwarden.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir();

async function setup() {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const loaded = parseConfig(
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: app, path: ${JSON.stringify(log)} }]
rules:
  - fail2ban: test/fixtures/fail2ban/app.conf
    source: app
    maxretry: 3
    findtime: 10m
    ignoreip: [10.0.0.0/8]
    actions: [block-ip]
actions:
  - { id: block-ip, command: [/bin/true, '{ip}'], dryRun: true }
`,
    'fail2ban.yml',
  );
  const events: IncidentEvent[] = [];
  const running = await startLogwarden(loaded, { clock: Date.now, onEvent: (e) => events.push(structuredClone(e)) });
  return { running, log, events, loaded };
}

// "Nov 23 10:00:00"-style times, minutes after a fixed start, this year.
const at = (minutes: number) => {
  const d = new Date(new Date().getFullYear(), 0, 2, 10, minutes, 0);
  return `${d.toLocaleString('en-US', { month: 'short' })} ${String(d.getDate()).padStart(2, ' ')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:00`;
};
const failed = (minutes: number, ip: string, user = 'root') =>
  `${at(minutes)} web1 app[7]: login failed for ${user} from ${ip}\n`;

describe('a fail2ban rule', () => {
  it('opens an incident after maxretry failures within findtime of the log’s own time, by address', async () => {
    const { running, log, events, loaded } = await setup();
    try {
      expect(loaded.rules[0]).toMatchObject({ id: 'app', threshold: { count: 3, within: 600_000, by: ['ip'] } });
      expect(loaded.rules[0]!.actions).toEqual(['block-ip']);
      // Three failures, but 20 minutes apart by the log: no incident (the file is written all at once).
      appendFileSync(log, failed(0, '203.0.113.7') + failed(20, '203.0.113.7') + failed(40, '203.0.113.7'));
      // Ignored: ignoreip, ignoreregex, a NOFAIL success.
      appendFileSync(log, failed(41, '10.1.2.3') + failed(41, '10.1.2.3') + failed(41, '10.1.2.3'));
      appendFileSync(log, failed(42, '198.51.100.9', 'monitor').repeat(3));
      appendFileSync(log, `${at(43)} web1 app[7]: login ok for alice from 198.51.100.10\n`.repeat(3));
      // Three within a minute: an incident, keyed and titled by address.
      appendFileSync(
        log,
        failed(50, '203.0.113.99') + failed(50, '203.0.113.99', 'admin') + failed(51, '203.0.113.99'),
      );
      // Every line read: 6 failures counted, 9 lines ignored (ignoreip, ignoreregex, login ok), one incident.
      await expect.poll(() => running.app.counts.get('app')).toMatchObject({ matched: 6, ignored: 9, rejected: 0 });
      expect(events.map((e) => e.event)).toEqual(['opened']);
      expect(events[0]!.incident).toMatchObject({
        rule: 'app',
        key: { ip: '203.0.113.99' },
        title: 'fail2ban app: 203.0.113.99',
        count: 3,
      });
      expect(events[0]!.incident.fields).toMatchObject({ ip: '203.0.113.99' });
    } finally {
      await running.stop();
    }
  });
});
