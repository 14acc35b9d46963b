// The learned detectors' state over a year: 1,000 users logging in at their hours from their networks, and 100,000
// distinct addresses failing a few times each (below the brute-force threshold, so the detectors keep them and the
// packs open little), read through the matcher and the tracker and committed to a real SQLite file as `run` commits.
// Prints one JSON line: the store's size on disk, the facts learned, the peak RSS of this process (garbage
// included), and the heap the tracker holds at the end after a full collection (run with --expose-gc). `node bench/detector-state.mjs [--users N] [--addresses N] [--days N]`.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mulberry32 } from './generate-weeks.mjs';
import { loadSources } from './load-sources.mjs';

const { IncidentTracker, parseConfig, matchChunk, SourceMatcher, SqliteStore } = await loadSources({
  'src/incidents/incident-tracker.ts': ['IncidentTracker'],
  'src/config/load.ts': ['parseConfig'],
  'src/rules/match.ts': ['matchChunk', 'SourceMatcher'],
  'src/store/sqlite/sqlite-store.ts': ['SqliteStore'],
});
const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    addresses: { type: 'string', default: '100000' },
    days: { type: 'string', default: '365' },
  },
});
const USERS = Number(values.users);
const ADDRESSES = Number(values.addresses);
const DAYS = Number(values.days);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 5);

const dir = mkdtempSync(join(tmpdir(), 'logwarden-state-'));
const path = join(dir, 'store.db');
const config = `store: { path: ${JSON.stringify(path)} }
sources: [{ id: auth, path: /var/log/auth.log }]
rules:
  - { use: sshd, source: auth }
  - { detect: success-after-failures, source: auth }
  - { detect: new-login-source, source: auth }
  - { detect: unusual-time, source: auth, learn: { timezone: UTC } }
  - { detect: spike, source: auth, learn: { timezone: UTC } }
  - { detect: distributed-attack, source: auth }
  - { detect: slow-attack, source: auth }
`;
const loaded = parseConfig(config, 'state.yml');
const store = new SqliteStore(path);
const matcher = new SourceMatcher(loaded.rules, 65536);
const tracker = new IncidentTracker(loaded.rules, { reopenAfter: HOUR, samples: 5 });
const rnd = mulberry32(11);
const int = (n) => Math.floor(rnd() * n);
const users = Array.from({ length: USERS }, (_, u) => ({
  name: `user${u}`,
  start: 6 + int(6),
  networks: Array.from({ length: 1 + int(3) }, () => `${10 + int(200)}.${int(256)}.${int(256)}`),
}));
const stamp = (at) => `${new Date(at).toISOString().slice(0, 23)}000+00:00`;
globalThis.gc?.();
const baseRssMb = Math.round(process.memoryUsage().rss / 1048576);
const baseHeapMb = Math.round(process.memoryUsage().heapUsed / 1048576);
const started = performance.now();
let lines = 0;
let address = 0;
for (let day = 0; day < DAYS; day++) {
  for (let hour = 0; hour < 24; hour++) {
    const base = START + day * DAY + hour * HOUR;
    const batch = [];
    for (const u of users) {
      if (day % 7 >= 5 || hour < u.start || hour >= u.start + 9 || rnd() > 0.35) continue;
      const ip = `${u.networks[int(u.networks.length)]}.${1 + int(254)}`;
      batch.push({
        at: base + int(HOUR),
        text: `sshd[${1000 + int(60000)}]: Accepted publickey for ${u.name} from ${ip} port ${1024 + int(60000)} ssh2`,
      });
    }
    // This hour's share of the year's distinct addresses, each failing one to three times.
    const until = Math.round((ADDRESSES * (day * 24 + hour + 1)) / (DAYS * 24));
    for (; address < until; address++) {
      const ip = `${1 + (address >>> 16)}.${(address >>> 8) & 255}.${address & 255}.${1 + (address % 7)}`;
      for (let k = 0, n = 1 + int(3); k < n; k++) {
        const who = rnd() < 0.5 ? 'root' : users[int(USERS)].name;
        batch.push({
          at: base + int(HOUR),
          text: `sshd[${1000 + int(60000)}]: Failed password for ${who} from ${ip} port ${1024 + int(60000)} ssh2`,
        });
      }
    }
    batch.sort((a, b) => a.at - b.at);
    const now = base + HOUR;
    const matches = [];
    matchChunk(
      matcher,
      Buffer.from(batch.map((l) => `${stamp(l.at)} web1 ${l.text}\n`).join('')),
      (line, verdicts, _s, context) => {
        for (const v of verdicts) {
          if (v.outcome !== 'matched') continue;
          const event = { sourceId: 'auth', origin: 'bench', text: line.text, truncated: false };
          matches.push({ match: { ruleId: v.rule.id, event, fields: v.fields }, at: context.time(now) ?? now });
        }
      },
      now,
    );
    lines += batch.length;
    await store.commit('auth', undefined, tracker.record(matches, now), now);
    await store.commitSweep(tracker.sweep(now), now);
  }
}
const seconds = (performance.now() - started) / 1000;
globalThis.gc?.();
const heapMb = Math.round(process.memoryUsage().heapUsed / 1048576);
const learnedRows = loaded.rules.reduce((sum, r) => sum + tracker.detectors.learned(r.id).length, 0);
await store.close();
const storeMb = statSync(path).size / 1048576;
console.log(
  JSON.stringify({
    users: USERS,
    addresses: ADDRESSES,
    days: DAYS,
    lines,
    seconds: Number(seconds.toFixed(1)),
    storeMb: Number(storeMb.toFixed(1)),
    learnedFacts: learnedRows,
    baseRssMb,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    heapMb,
    // What the detectors and the tracker hold: the heap after a full collection, less the heap before the first line.
    stateMb: heapMb - baseHeapMb,
  }),
);
rmSync(dir, { recursive: true, force: true });
