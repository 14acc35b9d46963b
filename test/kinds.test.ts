// A new kind of source, of rule entry and of notifier is a folder each (here, fixtures) and one registry line each:
// the config reads them, check describes them, and run starts the source, compiles the rules and notifies, with
// nothing else changed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startRun } from '../src/app/compose.js';
import { renderCheckSummary } from '../src/cli/check.js';
import { BUILT_IN_KINDS } from '../src/config/kinds.js';
import { parseConfig } from '../src/config/load.js';
import { containsEntryKind } from './fixtures/kinds/contains-entry/kind.js';
import { fileNotifierKind } from './fixtures/kinds/file-notifier/kind.js';
import { linesSourceKind } from './fixtures/kinds/lines-source/kind.js';
import { silentLogger } from './helpers/fixtures.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir();

it('takes a new kind of source, of rule entry and of notifier from one registry line each', async () => {
  const kinds = {
    sources: [...BUILT_IN_KINDS.sources, linesSourceKind],
    rules: [...BUILT_IN_KINDS.rules, containsEntryKind],
    notifiers: [...BUILT_IN_KINDS.notifiers, fileNotifierKind],
  };
  const dir = tempDir();
  const notified = join(dir, 'notified.txt');
  const yaml = [
    `store: { path: ${join(dir, 's.db')} }`,
    'sources: [{ id: fixed, type: lines, lines: ["all quiet", "a needle here", "quiet again"] }]',
    'rules: [{ id: needles, contains: needle, source: fixed }]',
    `fileNotifier: { file: ${notified} }`,
    '',
  ].join('\n');
  // The built-in kinds alone do not know them.
  expect(() => parseConfig(yaml, 'c.yml')).toThrow(/sources\[0\]/);
  const loaded = parseConfig(yaml, 'c.yml', kinds);
  expect(renderCheckSummary(loaded, [], 0)).toContain('fixed  3 lines');
  const stdout: string[] = [];
  const running = await startRun(loaded, {
    env: {},
    logger: silentLogger,
    clock: () => Date.UTC(2026, 10, 23),
    write: (text) => stdout.push(text),
    onFatal: (error) => {
      throw error;
    },
  });
  try {
    // The new notifier and the built-in stdout one (no chat platform is set) both heard the incident.
    await expect.poll(() => readFileSync(notified, 'utf8')).toBe('opened needles a line contains needle\n');
    expect(stdout.map((line) => JSON.parse(line))).toMatchObject([
      { event: 'opened', incident: { rule: 'needles', title: 'a line contains needle' } },
    ]);
    expect(running.app.sourceStatus().get('fixed')).toEqual({ ready: true });
  } finally {
    await running.stop();
  }
});
