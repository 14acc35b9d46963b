// The learned detectors on generated weeks of hosts' auth.log (bench/generate-weeks.mjs): normal users, cron and the
// internet's noise for weeks, then labelled anomalies of every kind. Each detector must find ≥ 90% of its anomalies
// with at most one false alert per host and day in all, and success-after-failures must speak on the success line.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../bench/evaluate-detectors.mjs';
import { generateHost } from '../../../bench/generate-weeks.mjs';
import { parseConfig } from '../../../src/config/load.js';
import { IncidentTracker } from '../../../src/incidents/incident-tracker.js';
import { matchChunk, SourceMatcher } from '../../../src/rules/match.js';
import { matchOf } from '../../../src/rules/verdict.js';

describe('learned detectors on generated weeks', () => {
  it('find their anomalies with few false alerts', () => {
    const hosts = [0, 1].map((i) => generateHost({ host: `web${i + 1}`, hostIndex: i, seed: 7 }));
    const result = evaluate({ parseConfig, SourceMatcher, matchChunk, IncidentTracker, matchOf }, hosts);
    for (const row of result.rows) {
      expect(row.injected, row.detector).toBeGreaterThanOrEqual(2);
      expect(row.rate, row.detector).toBeGreaterThanOrEqual(0.9);
    }
    const falsePerHostDay = result.rows.reduce((sum, r) => sum + r.falsePerHostDay, 0);
    expect(falsePerHostDay).toBeLessThanOrEqual(1);
    // On the success line itself: no later than its own time.
    expect(result.rows.find((r) => r.detector === 'success-after-failures')?.maxDelayMs).toBeLessThanOrEqual(1);
  }, 120_000);
});
