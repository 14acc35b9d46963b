// MaxMind databases (incidents.geoip), read with the maxmind package from files written in its format: new-login-source
// learns networks as autonomous systems (else countries), incidents say where an address is, and a database that
// cannot be read stops `run` with exit 2, naming it.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openGeoip } from '../../src/app/geoip.js';
import { parseConfig } from '../../src/config/load.js';
import type { IncidentEvent } from '../../src/core/types.js';
import { writeMmdb } from '../helpers/mmdb.js';
import { runCli } from '../helpers/run-cli.js';
import { startLogwarden } from '../helpers/start-logwarden.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
const DAY = 86_400_000;
const stamp = (at: number) => `${new Date(at).toISOString().slice(0, 23)}000+00:00`;

function databases(dir: string) {
  const asn = join(dir, 'GeoLite2-ASN.mmdb');
  const country = join(dir, 'GeoLite2-Country.mmdb');
  writeFileSync(
    asn,
    writeMmdb('GeoLite2-ASN', {
      '198.51.100.0/24': { autonomous_system_number: 64500, autonomous_system_organization: 'Home ISP' },
      '198.18.0.0/15': { autonomous_system_number: 64500, autonomous_system_organization: 'Home ISP' },
      '203.0.113.0/24': { autonomous_system_number: 64511, autonomous_system_organization: 'Far Away Hosting' },
    }),
  );
  writeFileSync(
    country,
    writeMmdb('GeoLite2-Country', {
      '198.51.100.0/24': { country: { iso_code: 'DE' } },
      '198.18.0.0/15': { country: { iso_code: 'DE' } },
      '203.0.113.0/24': { country: { iso_code: 'NL' } },
      '192.0.2.0/24': { country: { iso_code: 'FR' } },
    }),
  );
  return [asn, country];
}

describe('MaxMind databases', () => {
  it('look an address up in each: ASN and organisation from one, country from the other', () => {
    const geo = openGeoip(databases(tempDir()))!;
    expect(geo('203.0.113.9')).toEqual({ asn: 64511, org: 'Far Away Hosting', country: 'NL' });
    expect(geo('192.0.2.1')).toEqual({ country: 'FR' });
    expect(geo('10.0.0.1')).toBeUndefined();
    expect(geo('2001:db8::1')).toBeUndefined();
  });

  it('make new-login-source learn autonomous systems, and an incident say where its address is', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const [asn, country] = databases(dir);
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(log)} }]
rules: [{ use: sshd, source: auth }, { detect: new-login-source, source: auth, learn: { period: 1d } }]
incidents: { geoip: [${JSON.stringify(asn)}, ${JSON.stringify(country)}] }
tail: { pollInterval: 20ms }
`,
      'geo.yml',
    );
    const events: IncidentEvent[] = [];
    const lw = await startLogwarden(loaded, { clock: Date.now, onEvent: (e) => events.push(e) });
    cleanup.push(() => lw.stop());
    const t = Date.now() - 10 * DAY;
    const login = (at: number, ip: string) =>
      `${stamp(at)} web1 sshd[${at % 50_000}]: Accepted publickey for alice from ${ip} port 50022 ssh2\n`;
    // Two days from her home ISP (within the 1d period of each other), then a login from another of its ranges (the
    // same AS: nothing new), then abroad.
    appendFileSync(
      log,
      [
        login(t, '198.51.100.7'),
        login(t + 0.9 * DAY, '198.51.100.8'),
        login(t + 1.8 * DAY, '198.51.100.8'),
        login(t + 2.5 * DAY, '198.19.4.4'),
        login(t + 2.5 * DAY + 1000, '203.0.113.9'),
      ].join(''),
    );
    await expect
      .poll(() => events.filter((e) => e.event === 'opened').map((e) => [e.incident.title, e.incident.fields.where]))
      .toEqual([
        ['alice logged in from 203.0.113.9, a network new to them (AS64511; known: AS64500)', 'Far Away Hosting, NL'],
      ]);
    // Any incident about an address says where it is.
    appendFileSync(
      log,
      [1, 2, 3, 4, 5]
        .map(
          (k) =>
            `${stamp(Date.now())} web1 sshd[${900 + k}]: Failed password for root from 192.0.2.50 port 4${k} ssh2\n`,
        )
        .join(''),
    );
    await expect.poll(() => events.find((e) => e.incident.rule === 'sshd')?.incident.fields.where).toBe('FR');
  });

  it('stop run with exit 2 when one cannot be read, naming it', async () => {
    const dir = tempDir();
    const config = join(dir, 'c.yml');
    const bad = join(dir, 'not.mmdb');
    writeFileSync(bad, 'not a database');
    writeFileSync(
      config,
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(join(dir, 'auth.log'))} }]
rules: [{ use: sshd, source: auth }]
incidents: { geoip: [${JSON.stringify(bad)}] }
`,
    );
    const result = await runCli(['run', '-c', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`incidents.geoip: cannot read ${bad}: not a MaxMind database`);
  });
});
