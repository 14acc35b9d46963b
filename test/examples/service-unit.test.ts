// The example systemd unit is one systemd accepts, with the hardening the README describes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';

const UNIT = join(ROOT, 'examples/logwarden.service');

describe('examples/logwarden.service', () => {
  it('passes systemd-analyze verify', () => {
    // verify prints problems on stderr and exits non-zero on errors; warnings are failures here too.
    const result = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs as its own user with its state directory, the file system read-only, and exit 2 not restarted', () => {
    const unit = readFileSync(UNIT, 'utf8');
    for (const line of [
      'User=logwarden',
      'SupplementaryGroups=adm systemd-journal',
      'StateDirectory=logwarden',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK',
      'EnvironmentFile=/etc/logwarden/logwarden.env',
      'RestartPreventExitStatus=2',
    ]) {
      expect(unit.split('\n'), line).toContain(line);
    }
  });
});
