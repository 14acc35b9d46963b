// The package as npm would publish it: packed, installed into an empty prefix, and run from there — as someone who
// typed `npm install -g logwarden` would run it. Offline: the install takes better-sqlite3 from npm's cache (filled
// by `npm ci`), without its build (check and replay never open the store).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'logwarden-pack-'));
const prefix = join(work, 'prefix');
let files: string[] = [];
let bin = '';

beforeAll(async () => {
  // --ignore-scripts: packing must not rebuild dist/ under the other tests' feet (npm test built it just before).
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
    cwd: ROOT,
  });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  files = packed!.files.map((f) => f.path);
  await run(
    'npm',
    ['install', '--global', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund'].concat(
      join(work, packed!.filename),
    ),
    { cwd: work },
  );
  bin = join(prefix, 'bin', 'logwarden');
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the published package', () => {
  it('ships the built code, its licences and the examples, and no sources or source maps', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/logwarden.js']));
    expect(files).toEqual(expect.arrayContaining(['dist/cli/cli.js', 'dist/THIRD-PARTY-LICENSES.txt']));
    expect(files).toEqual(expect.arrayContaining(['examples/logwarden.yml', 'examples/logwarden.service']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.map'))).toEqual([]);
  });

  it('runs --help, --version, check and replay from the install', async () => {
    const help = await run(bin, ['--help']);
    expect(help.stdout).toContain('Usage: logwarden');
    const version = await run(bin, ['--version']);
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);

    const installed = join(prefix, 'lib', 'node_modules', 'logwarden');
    // Everything else is in dist/: of the packages the code uses, only better-sqlite3 (a compiled addon) is installed.
    const installedPackages = readdirSync(join(installed, 'node_modules'));
    expect(installedPackages).toContain('better-sqlite3');
    expect(
      installedPackages.filter((p) => ['@slack', 'zod', 'pino', 'nodemailer', 'execa', 'yaml'].includes(p)),
    ).toEqual([]);
    const config = join(installed, 'examples', 'logwarden.yml');
    const check = await run(bin, ['check', '-c', config]);
    expect(check.stdout).toContain('rules:');

    const log = join(work, 'auth.log');
    writeFileSync(
      log,
      `${Array.from({ length: 6 }, (_, i) => `Nov 23 10:00:0${i} web1 sshd[4${i}]: Failed password for root from 203.0.113.9 port 22 ssh2`).join('\n')}\n`,
    );
    const replay = await run(bin, ['replay', '-c', config, log]);
    expect(replay.stdout).toContain('Replayed 6 lines');
    expect(replay.stdout).toMatch(/\nsshd\s+6\s+0\s+0\n/);
  });
});
