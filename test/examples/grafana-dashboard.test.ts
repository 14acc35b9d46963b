// The example Grafana dashboard asks only for metrics logwarden serves: a renamed metric fails here, not on a
// responder's screen.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createMetricsRegistry } from '../../src/metrics/metrics-registry.js';
import { ROOT } from '../helpers/fixtures.js';

it('queries only metrics the /metrics endpoint has', async () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'examples', 'grafana-dashboard.json'), 'utf8')) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  const served = new Set(
    [...(await createMetricsRegistry().registry.metrics()).matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!),
  );
  const asked = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/logwarden_\w+/g)]));
  expect(asked.length).toBeGreaterThan(15);
  expect(asked.map((m) => m[0]).filter((name) => !served.has(name))).toEqual([]);
  // Every metric of logwarden's own (not Node's) is on some panel.
  const ours = [...served].filter((n) => !/^logwarden_(nodejs|process)_/.test(n));
  expect(ours.filter((n) => !asked.some((m) => m[0] === n))).toEqual([]);
});
