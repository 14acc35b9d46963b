// A new kind of source and of rule entry is a folder each (here, fixtures) and one registry line each: the config
// reads them, check describes them, and run starts the source and compiles the rules, with nothing else changed.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { renderCheckSummary } from '../src/commands/check.js';
import { parseConfig } from '../src/config/load.js';
import { BUILT_IN_KINDS } from '../src/config/schema.js';
import type { IncidentEvent } from '../src/core/types.js';
import { containsEntryKind } from './fixtures/kinds/contains-entry/kind.js';
import { linesSourceKind } from './fixtures/kinds/lines-source/kind.js';
import { startLogwarden } from './helpers/start-logwarden.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir();

it('takes a new kind of source and of rule entry from one registry line each', async () => {
  const kinds = {
    sources: [...BUILT_IN_KINDS.sources, linesSourceKind],
    rules: [...BUILT_IN_KINDS.rules, containsEntryKind],
  };
  const yaml = [
    `store: { path: ${join(tempDir(), 's.db')} }`,
    'sources: [{ id: fixed, type: lines, lines: ["all quiet", "a needle here", "quiet again"] }]',
    'rules: [{ id: needles, contains: needle, source: fixed }]',
    '',
  ].join('\n');
  // The built-in kinds alone do not know them.
  expect(() => parseConfig(yaml, 'c.yml')).toThrow(/sources\[0\]/);
  const loaded = parseConfig(yaml, 'c.yml', kinds);
  expect(renderCheckSummary(loaded, [], 0)).toContain('fixed  3 lines');
  const events: IncidentEvent[] = [];
  const running = await startLogwarden(loaded, { clock: () => Date.UTC(2026, 10, 23), onEvent: (e) => events.push(e) });
  try {
    expect(events.map((e) => [e.event, e.incident.rule, e.incident.title])).toEqual([
      ['opened', 'needles', 'a line contains needle'],
    ]);
    expect(running.app.sourceStatus().get('fixed')).toEqual({ ready: true });
  } finally {
    await running.stop();
  }
});
