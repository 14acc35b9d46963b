// `logwarden learn FILES…`: bootstraps the learned detectors from old logs (logrotate's .1, .2.gz … too), oldest
// first, as `run` would have learned them had it been reading then: what they learn goes to the store, and no
// incident is opened or kept. Run it before `run` starts (or restart `run` after): a running logwarden keeps what it
// learned in memory and writes over the same facts.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { openGeoip } from '../app/geoip.js';
import { formatDuration } from '../config/duration.js';
import type { LoadedConfig } from '../config/load.js';
import { describeSystemError, LearnInputError, LogwardenError, ReplayInputUnreadableError } from '../core/errors.js';
import { formatCount } from '../core/format-count.js';
import { stripControls } from '../core/text.js';
import { type Incident, type LearnedFact, type Match, SEVERITIES, type TrackerChanges } from '../core/types.js';
import { IncidentTracker } from '../incidents/incident-tracker.js';
import { createSourceMatchers, matchChunk } from '../rules/match.js';
import { matchOf } from '../rules/verdict.js';
import { readLogStream } from '../sources/read-log-stream.js';
import type { Store } from '../store/ports.js';

export interface LearnReport {
  files: { file: string; source: string; lines: number }[];
  lines: number;
  seconds: number;
  rules: { rule: string; detector: string; facts: number; subjects: number; from?: number; until?: number }[];
  /**
   * The incidents the rules would have opened over these logs, the most severe and then the oldest first: an intrusion
   * in old logs is learned as usual (its network known, its hour usual) unless someone looks.
   */
  opened: Pick<Incident, 'rule' | 'severity' | 'title' | 'firstSeen' | 'count'>[];
}

/** Incidents the report lists at most (it says how many more). */
const OPENED_SHOWN = 20;

/** Which source a file is an old copy of: the one given, the one whose path it extends (auth.log.2.gz), the only one. */
export function sourceOfFile(file: string, sources: readonly { id: string; path?: string }[], given?: string): string {
  if (given) {
    if (!sources.some((s) => s.id === given)) {
      throw new LearnInputError(
        `--source ${given}: no source has that id. Sources: ${sources.map((s) => s.id).join(', ')}.`,
      );
    }
    return given;
  }
  const name = basename(file);
  const owner = sources.find((s) => s.path && (file.startsWith(s.path) || name.startsWith(basename(s.path))));
  if (owner) return owner.id;
  if (sources.length === 1) return sources[0]!.id;
  throw new LearnInputError(
    `${file}: which source is it from? Name it with --source (${sources.map((s) => s.id).join(', ')}).`,
  );
}

/** Oldest first, as logrotate numbers them: auth.log.4.gz, auth.log.3.gz, …, auth.log.1, auth.log. */
export function oldestFirst(files: readonly string[]): string[] {
  const age = (file: string) => Number(/\.(\d+)(?:\.gz)?$/.exec(file)?.[1] ?? 0);
  return [...files].sort((a, b) => age(b) - age(a));
}

export async function learnFiles(
  files: readonly string[],
  options: { loaded: LoadedConfig; store: Store; source?: string; now: number },
): Promise<LearnReport> {
  const { loaded, store } = options;
  const { config, rules } = loaded;
  const detecting = rules.filter((r) => r.detect);
  if (detecting.length === 0) {
    throw new LearnInputError(`${loaded.file} has no detect: rules: there is nothing to learn for.`);
  }
  const sources = config.sources.map((s) => ({
    id: s.id,
    ...('path' in s && typeof s.path === 'string' ? { path: s.path } : {}),
  }));
  const ordered = oldestFirst(files).map((file) => ({ file, source: sourceOfFile(file, sources, options.source) }));
  // What the store knows already is the start; no incident, window or silence is carried or kept.
  const known = await store.incidents.readTrackerState(options.now);
  const geo = openGeoip(config.incidents.geoip);
  const tracker = new IncidentTracker(
    rules,
    { ...config.incidents, ...(geo ? { geo } : {}) },
    { open: [], hits: [], learned: known.learned ?? [] },
  );
  const matchers = createSourceMatchers(rules, config.sources);
  const pending = new Map<string, LearnedFact | { rule: string; subject: string; value: string }>();
  const opened = new Map<string, Incident>();
  const keep = (changes: TrackerChanges) => {
    for (const i of changes.incidents) opened.set(`${i.rule}\0${JSON.stringify(i.key)}\0${i.firstSeen}`, i);
    for (const f of changes.learned ?? []) pending.set(`${f.rule}\0${f.subject}\0${f.value}`, f);
    for (const f of changes.forgotten ?? []) pending.set(`${f.rule}\0${f.subject}\0${f.value}`, f);
  };
  const flush = async () => {
    const learned: LearnedFact[] = [];
    const forgotten: { rule: string; subject: string; value: string }[] = [];
    for (const f of pending.values()) ('count' in f ? learned : forgotten).push(f);
    pending.clear();
    await store.commitSweep({ hits: [], cleared: [], incidents: [], events: [], learned, forgotten }, options.now);
  };
  const started = performance.now();
  const report: LearnReport = { files: [], lines: 0, seconds: 0, rules: [], opened: [] };
  let latest = 0;
  let swept = 0;
  for (const { file, source } of ordered) {
    const matcher = matchers.get(source)!;
    // Stamps without a year are read as of the file's last change.
    let mtime: number;
    try {
      mtime = statSync(file).mtimeMs;
    } catch (error) {
      throw new ReplayInputUnreadableError(file, describeSystemError(error), { cause: error });
    }
    let lines = 0;
    try {
      await readLogStream(file, matcher.maxLineBytes, (data) => {
        const matches: { match: Match; at: number }[] = [];
        let newest = 0;
        matchChunk(
          matcher,
          data,
          (line, verdicts, _start, context) => {
            const at = context.time(mtime) ?? mtime;
            newest = Math.max(newest, at);
            for (const v of verdicts) {
              if (v.outcome !== 'matched') continue;
              const event = { sourceId: source, origin: file, text: line.text, truncated: line.truncated };
              matches.push({ match: matchOf(v, event), at: v.time ?? at });
            }
          },
          mtime,
        );
        for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) lines++;
        // The lines' own time is the clock: a source's gaps and the windows are as they were then.
        const now = Math.max(latest, newest || latest);
        latest = now;
        keep(tracker.record(matches, now, source));
        if (now - swept >= 60_000) {
          keep(tracker.sweep(now));
          swept = now;
        }
      });
    } catch (error) {
      if (error instanceof LogwardenError) throw error;
      throw new ReplayInputUnreadableError(file, describeSystemError(error), { cause: error });
    }
    await flush();
    report.files.push({ file, source, lines });
    report.lines += lines;
  }
  for (const rule of detecting) {
    const facts = tracker.detectors.learned(rule.id);
    report.rules.push({
      rule: rule.id,
      detector: rule.detect!.detector,
      facts: facts.length,
      subjects: new Set(facts.map((f) => f.subject)).size,
      ...(facts.length ? { from: Math.min(...facts.map((f) => f.firstSeen)), until: latest } : {}),
    });
  }
  report.opened = [...opened.values()]
    .sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || a.firstSeen - b.firstSeen)
    .map(({ rule, severity, title, firstSeen, count }) => ({ rule, severity, title, firstSeen, count }));
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

export function renderLearnReport(report: LearnReport): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return [
    `Learned from ${formatCount(report.lines)} lines in ${report.files.length} ${report.files.length === 1 ? 'file' : 'files'} (${report.seconds.toFixed(1)} s), oldest first:`,
    ...report.files.map((f) => `  ${f.file} (${f.source}): ${formatCount(f.lines)} lines`),
    '',
    ...report.rules.map((r) =>
      r.facts === 0
        ? `  ${r.rule} [${r.detector}]: nothing learned`
        : `  ${r.rule} [${r.detector}]: ${formatCount(r.facts)} facts of ${formatCount(r.subjects)} ${r.subjects === 1 ? 'subject' : 'subjects'}, from ${day(r.from!)} to ${day(r.until!)} UTC (${formatDuration(Math.floor((r.until! - r.from!) / 3_600_000) * 3_600_000 || 0)})`,
    ),
    '',
    ...(report.opened.length === 0
      ? ['No rule would have opened an incident over these logs.']
      : [
          `The rules would have opened ${formatCount(report.opened.length)} ${report.opened.length === 1 ? 'incident' : 'incidents'} over these logs (none was kept). Look at them: what an intruder did then was learned as usual.`,
          ...report.opened
            .slice(0, OPENED_SHOWN)
            .map(
              (i) =>
                `  ${day(i.firstSeen)}  ${i.severity.padEnd(8)} ${i.rule}: ${stripControls(i.title)}${i.count > 1 ? ` (${i.count}×)` : ''}`,
            ),
          ...(report.opened.length > OPENED_SHOWN
            ? [`  … and ${formatCount(report.opened.length - OPENED_SHOWN)} more`]
            : []),
        ]),
    '',
    'Start `logwarden run` (or restart it) to use what was learned.',
    '',
  ].join('\n');
}
