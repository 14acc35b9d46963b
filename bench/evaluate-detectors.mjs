// Runs a generated host's weeks (generate-weeks.mjs) through logwarden's matcher and incident tracker as the pipeline
// does (chunks of lines as they would arrive, the clock at the newest line, a sweep every minute), and scores each
// detector: the share of injected anomalies it opened an incident for, how long after the anomaly became visible,
// and its incidents no anomaly explains (false alerts), per host and day. Shared by `npm run bench` and the tests,
// which pass in the modules (bundled from src/ for the bench, the sources themselves under vitest).

export const DETECTOR_KINDS = [
  'success-after-failures',
  'new-login-source',
  'new-sudo-command',
  'unusual-time',
  'spike',
  'distributed-attack',
  'slow-attack',
  'source-quiet',
];

export const WEEKS_CONFIG = `store: { path: ":memory:" }
sources: [{ id: auth, path: /var/log/auth.log }]
rules:
  - { use: sshd, source: auth }
  - { detect: success-after-failures, source: auth }
  - { detect: new-login-source, source: auth }
  - { detect: new-sudo-command, source: auth }
  - { detect: unusual-time, source: auth, learn: { timezone: UTC } }
  - { detect: spike, source: auth, learn: { timezone: UTC } }
  - { detect: distributed-attack, source: auth }
  - { detect: slow-attack, source: auth }
  - { detect: source-quiet, source: auth, learn: { timezone: UTC } }
`;

const MINUTE = 60_000;
/** An incident up to this long after its anomaly became visible is its detection (unless its label says). */
const GRACE = 60 * MINUTE;

/** One host: every incident the detectors opened, and the labels they are scored against. */
export function runHost(modules, host, config = WEEKS_CONFIG) {
  const { parseConfig, SourceMatcher, matchChunk, IncidentTracker, matchOf } = modules;
  const loaded = parseConfig(config, 'weeks.yml');
  const matcher = new SourceMatcher(loaded.rules, 65536);
  const tracker = new IncidentTracker(loaded.rules, { reopenAfter: 60 * MINUTE, samples: 5 });
  const opened = [];
  // Each incident as it stands after the last line (by rule and key): what it grew into.
  const latest = new Map();
  const lines = host.lines;
  let lastSweep = lines[0]?.at ?? 0;
  let learnedWrites = 0;
  const take = (changes) => {
    learnedWrites += changes.learned?.length ?? 0;
    for (const e of changes.events) {
      latest.set(`${e.incident.rule} ${JSON.stringify(e.incident.key)}`, {
        ...e.incident,
        fields: { ...e.incident.fields },
      });
      if (e.event !== 'opened') continue;
      opened.push({
        rule: e.incident.rule,
        key: e.incident.key,
        fields: e.incident.fields,
        at: e.incident.lastSeen,
        title: e.incident.title,
      });
    }
  };
  for (let i = 0; i < lines.length; ) {
    // A chunk: what arrives within a second, 256 lines at most.
    let j = i;
    while (j < lines.length && j - i < 256 && lines[j].at - lines[i].at < 1000) j++;
    const now = lines[j - 1].at;
    // The sweep runs on a timer: every minute, lines or none.
    while (lines[i].at - lastSweep >= MINUTE) {
      lastSweep += MINUTE;
      take(tracker.sweep(lastSweep));
    }
    const matches = [];
    matchChunk(
      matcher,
      Buffer.from(
        `${lines
          .slice(i, j)
          .map((l) => l.text)
          .join('\n')}\n`,
      ),
      (line, verdicts, _start, context) => {
        for (const v of verdicts) {
          if (v.outcome !== 'matched') continue;
          const event = { sourceId: 'auth', origin: 'auth.log', text: line.text, truncated: false };
          matches.push({ match: matchOf(v, event), at: v.time ?? context.time(now) ?? now });
        }
      },
      now,
    );
    take(tracker.record(matches, now, 'auth'));
    i = j;
  }
  return { opened, latest, learnedWrites, tracker, rules: loaded.rules };
}

/** Scores one host's incidents against its labels, per detector. */
export function score(host, opened) {
  const detectors = new Set(DETECTOR_KINDS);
  const ours = opened.filter((o) => detectors.has(o.rule));
  const explained = new Set();
  const perKind = Object.fromEntries(
    DETECTOR_KINDS.map((k) => [k, { injected: 0, detected: 0, delays: [], false: 0 }]),
  );
  const missed = [];
  const keyMatches = (label, incident) =>
    Object.entries(label.key).every(([f, v]) => incident.key[f] === undefined || incident.key[f] === v);
  for (const label of host.labels) {
    const kind = perKind[label.kind];
    kind.injected++;
    const hit = ours.find(
      (o) =>
        o.rule === label.kind &&
        keyMatches(label, o) &&
        o.at >= label.start &&
        o.at <= label.visible + (label.within ?? GRACE),
    );
    if (hit) {
      kind.detected++;
      kind.delays.push(hit.at - label.visible);
    } else missed.push(label);
  }
  // An incident is explained by an anomaly when it names one of its values (its address, its user, its source) near
  // its time, whichever detector saw it: an injected attack seen by two detectors is two true alerts.
  for (const o of ours) {
    const values = new Set([...Object.values(o.key), ...Object.values(o.fields)]);
    const by = host.labels.find(
      (l) =>
        o.at >= l.start - 5 * MINUTE &&
        o.at <= l.visible + (l.within ?? GRACE) &&
        Object.values(l.key).some((v) => values.has(v)),
    );
    if (by) explained.add(o);
    else perKind[o.rule].false++;
  }
  return { perKind, unexplained: ours.filter((o) => !explained.has(o)), missed };
}

/** Every host of a generated fleet, summed per detector; false alerts per host and day over the whole run. */
export function evaluate(modules, hosts) {
  const total = Object.fromEntries(DETECTOR_KINDS.map((k) => [k, { injected: 0, detected: 0, delays: [], false: 0 }]));
  const unexplained = [];
  const missed = [];
  let hostDays = 0;
  let lines = 0;
  for (const host of hosts) {
    const { opened } = runHost(modules, host);
    const s = score(host, opened);
    for (const [k, v] of Object.entries(s.perKind)) {
      total[k].injected += v.injected;
      total[k].detected += v.detected;
      total[k].delays.push(...v.delays);
      total[k].false += v.false;
    }
    unexplained.push(...s.unexplained.map((o) => ({ host: host.host, ...o })));
    missed.push(...s.missed.map((l) => ({ host: host.host, ...l })));
    hostDays += (host.end - host.start) / 86_400_000;
    lines += host.lines.length;
  }
  const rows = DETECTOR_KINDS.map((k) => {
    const t = total[k];
    const delays = [...t.delays].sort((a, b) => a - b);
    return {
      detector: k,
      injected: t.injected,
      detected: t.detected,
      rate: t.injected > 0 ? t.detected / t.injected : 1,
      medianDelayMs: delays.length ? delays[Math.floor(delays.length / 2)] : undefined,
      maxDelayMs: delays.length ? delays[delays.length - 1] : undefined,
      falsePerHostDay: t.false / hostDays,
    };
  });
  return { rows, unexplained, missed, hostDays, lines };
}
