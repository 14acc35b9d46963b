// The demo's generated traffic trips the demo config's rules: each attack scenario matches its pack's rule, and the
// benign lines match nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAttackGenerator } from '../../src/sandbox/attack-generator.js';
import { renderDemoConfig } from '../../src/sandbox/demo-config.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

function setup() {
  const dir = tempDir();
  const authLog = join(dir, 'auth.log');
  const webLog = join(dir, 'access.log');
  const config = join(dir, 'logwarden.yml');
  writeFileSync(config, renderDemoConfig({ dir, authLog, webLog, firewall: '/bin/true', node: process.execPath }));
  writeFileSync(authLog, '');
  writeFileSync(webLog, '');
  const lines = () => [authLog, webLog].flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean));
  const replay = async () => {
    const { code, stdout } = await runCli(['replay', '-c', config, authLog, webLog]);
    expect(code).toBe(0);
    return Object.fromEntries<number>(
      [...stdout.matchAll(/^(\S+)\s+([\d,]+)\s+0\s+0$/gm)].map((m) => [m[1]!, Number(m[2]!.replaceAll(',', ''))]),
    );
  };
  return { authLog, webLog, lines, replay };
}

describe('the demo attack generator', () => {
  it('takes turns: a brute force, a web scan, a sudo refusal, each caught by its rule', async () => {
    const { authLog, webLog, replay } = setup();
    const generator = startAttackGenerator({ authLog, webLog, interval: 3_600_000 });
    for (let i = 0; i < 3; i++) generator.burst();
    generator.stop();
    expect(await replay()).toMatchObject({ sshd: 6, 'nginx-probe': 5, 'sudo-not-allowed': 1, 'nginx-traversal': 0 });
  });

  it('writes benign lines between attacks that no rule matches', async () => {
    const { authLog, webLog, lines, replay } = setup();
    const generator = startAttackGenerator({ authLog, webLog, interval: 2 });
    await expect.poll(() => lines().length, { timeout: 10_000 }).toBeGreaterThan(50);
    generator.stop();
    const benign = lines().filter((l) => l.includes('Accepted publickey') || l.includes('" 200 '));
    expect(benign.length).toBeGreaterThan(10);
    const matched = Object.values(await replay()).reduce((a, b) => a + b, 0);
    expect(matched).toBe(lines().length - benign.length);
  });
});
