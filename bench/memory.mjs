// Memory under a key-cardinality attack: N SSH failures from N distinct addresses (each its own IPv6 /64, so nothing
// aggregates), read through the engine's own matcher and threshold tracker as `run` reads a file, and the peak RSS
// of this process. The store is left out: it keeps pending hits on disk, and only their count in memory matters.
// `node bench/memory.mjs [--keys N]` (default 10,000,000); prints one JSON line.
import { parseArgs } from 'node:util';
import { loadSources } from './load-sources.mjs';

const { IncidentTracker, compileRules, matchChunk, SourceMatcher } = await loadSources({
  'src/incidents/incident-tracker.ts': ['IncidentTracker'],
  'src/rules/compile.ts': ['compileRules'],
  'src/rules/match.ts': ['matchChunk', 'SourceMatcher'],
});

const { values } = parseArgs({ options: { keys: { type: 'string', default: '10000000' } } });
const keys = Number(values.keys);
const { rules } = compileRules([{ use: 'sshd', source: ['auth'], ignore: [], actions: [] }], ['auth']);
const matcher = new SourceMatcher(rules, 65536);
const tracker = new IncidentTracker(rules, { reopenAfter: 3_600_000, samples: 5, maxPendingKeys: 50_000 });
const START = Date.UTC(2026, 10, 23);
const started = performance.now();
let opened = 0;
const LINES_PER_CHUNK = 2000;
for (let i = 0; i < keys; i += LINES_PER_CHUNK) {
  let text = '';
  for (let j = i; j < Math.min(keys, i + LINES_PER_CHUNK); j++) {
    const address = `2001:db8:${(j >>> 16).toString(16)}:${(j & 0xffff).toString(16)}::${(j % 7) + 1}`;
    text += `2026-11-23T10:00:00.000000+00:00 web1 sshd[${1000 + (j % 50_000)}]: Failed password for invalid user admin from ${address} port ${1024 + (j % 60_000)} ssh2\n`;
  }
  const matches = [];
  matchChunk(
    matcher,
    Buffer.from(text),
    (line, verdicts) => {
      for (const v of verdicts) {
        if (v.outcome !== 'matched') continue;
        const event = { sourceId: 'auth', origin: 'bench', text: line.text, truncated: false };
        matches.push({ match: { ruleId: v.rule.id, event, fields: v.fields }, at: START + matches.length + i });
      }
    },
    START + keys,
  );
  opened += tracker.record(matches, START + i).events.filter((e) => e.event === 'opened').length;
}
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    keys,
    seconds,
    linesPerSecond: Math.round(keys / seconds),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    pendingKeys: tracker.pendingKeys,
    evicted: tracker.evicted,
    opened,
  }),
);
