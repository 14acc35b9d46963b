// The Prometheus side of the metrics: counters the pipeline increments as it goes (metrics.ts), and levels read from
// the running process when scraped — read lag, rule verdicts, open incidents, outbox depth — plus Node's own
// (event-loop lag, memory) from prom-client's default collectors. One registry per process, never the global one.
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Severity } from '../core/types.js';
import type { SourceStatus } from '../sources/source.js';
import type { Metrics } from './metrics.js';

/** What the registry reads at each scrape. */
export interface MetricsProbes {
  sources(): ReadonlyMap<string, SourceStatus>;
  ruleCounts(): ReadonlyMap<string, { matched: number; ignored: number; rejected: number }>;
  openIncidents(): Promise<{ severity: Severity; count: number }[]>;
  outbox(): Promise<{ channel: string; depth: number; oldestAt: number | undefined }[]>;
  clock(): number;
}

export interface MetricsRegistry {
  metrics: Metrics;
  registry: Registry;
  /** Where the levels come from, once the pipeline exists (until then they are empty). */
  observe(probes: MetricsProbes): void;
}

export function createMetricsRegistry(): MetricsRegistry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'logwarden_' });
  let probes: MetricsProbes | undefined;
  const registers = [registry];

  const lines = new Counter({
    name: 'logwarden_lines_read_total',
    help: 'Complete lines read, by source.',
    labelNames: ['source'],
    registers,
  });
  const bytes = new Counter({
    name: 'logwarden_bytes_read_total',
    help: 'Bytes of complete lines read, by source.',
    labelNames: ['source'],
    registers,
  });
  const opened = new Counter({
    name: 'logwarden_incidents_opened_total',
    help: 'Incidents opened, by severity.',
    labelNames: ['severity'],
    registers,
  });
  const failures = new Counter({
    name: 'logwarden_delivery_failures_total',
    help: 'Outbox jobs that did not go through: retry (will be tried again), rate_limited (429), gave_up (for good).',
    labelNames: ['channel', 'kind'],
    registers,
  });
  const actions = new Counter({
    name: 'logwarden_action_runs_total',
    help: 'Response action runs, by outcome.',
    labelNames: ['outcome'],
    registers,
  });
  const escalations = new Counter({
    name: 'logwarden_escalation_steps_total',
    help: 'Escalation steps taken (mails queued to a level), by severity.',
    labelNames: ['severity'],
    registers,
  });
  // Levels: set from the probes at each scrape.
  new Gauge({
    name: 'logwarden_file_lag_bytes',
    help: 'Bytes written to a file and not read yet.',
    labelNames: ['source', 'path'],
    registers,
    collect() {
      this.reset();
      for (const [source, status] of probes?.sources() ?? []) {
        for (const file of status.files ?? []) this.set({ source, path: file.path }, file.lagBytes);
      }
    },
  });
  new Gauge({
    name: 'logwarden_journal_lag_seconds',
    help: 'How far behind its time stamp the last journal entry was read.',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      for (const [source, status] of probes?.sources() ?? []) {
        if (status.lagSeconds !== undefined) this.set({ source }, status.lagSeconds);
      }
    },
  });
  new Gauge({
    name: 'logwarden_source_up',
    help: '1 while a source reads (its file open, journalctl running), else 0.',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      for (const [source, status] of probes?.sources() ?? []) this.set({ source }, status.ready ? 1 : 0);
    },
  });
  // Counted by the pipeline already (the verdicts of each rule); a counter set from that count at each scrape.
  new Counter({
    name: 'logwarden_rule_verdicts_total',
    help: 'Lines each rule matched, ignored (its ignore list) or rejected (a capture failed its type).',
    labelNames: ['rule', 'verdict'],
    registers,
    collect() {
      this.reset();
      for (const [rule, c] of probes?.ruleCounts() ?? []) {
        this.inc({ rule, verdict: 'matched' }, c.matched);
        this.inc({ rule, verdict: 'ignored' }, c.ignored);
        this.inc({ rule, verdict: 'rejected' }, c.rejected);
      }
    },
  });
  new Gauge({
    name: 'logwarden_incidents_open',
    help: 'Incidents open now, by severity.',
    labelNames: ['severity'],
    registers,
    async collect() {
      this.reset();
      for (const { severity, count } of (await probes?.openIncidents()) ?? []) this.set({ severity }, count);
    },
  });
  const outbox = async () => (await probes?.outbox()) ?? [];
  new Gauge({
    name: 'logwarden_outbox_depth',
    help: 'Jobs waiting in the outbox (Slack writes, mails), by channel.',
    labelNames: ['channel'],
    registers,
    async collect() {
      this.reset();
      for (const { channel, depth } of await outbox()) this.set({ channel }, depth);
    },
  });
  new Gauge({
    name: 'logwarden_outbox_oldest_age_seconds',
    help: 'Age of the oldest job waiting in the outbox, by channel (0 when none waits).',
    labelNames: ['channel'],
    registers,
    async collect() {
      this.reset();
      if (!probes) return;
      const now = probes.clock();
      for (const { channel, oldestAt } of await outbox()) {
        this.set({ channel }, oldestAt === undefined ? 0 : Math.max(0, (now - oldestAt) / 1000));
      }
    },
  });

  return {
    registry,
    observe(p) {
      probes = p;
    },
    metrics: {
      read(source, n, size) {
        lines.inc({ source }, n);
        bytes.inc({ source }, size);
      },
      incidentOpened: (severity) => opened.inc({ severity }),
      deliveryFailed: (channel, kind) => failures.inc({ channel, kind }),
      actionFinished: (outcome) => actions.inc({ outcome }),
      escalationStep: (severity) => escalations.inc({ severity }),
    },
  };
}
