// /logs: answers a parsed query from the log files and the store, as an ephemeral Slack message. Everything shown
// that came from a log is escaped and the reply is capped to Slack's limits.
import type { FileSourceConfig, Person, SourceConfig } from '../../config/schema.js';
import type { LiftOutcome, SourceSenders, UnlearnOutcome } from '../../core/commands.js';
import { cut } from '../../core/text.js';
import type { BaselineReport, Incident, LearningStatus, SilenceRow } from '../../core/types.js';
import type { OnCall } from '../../escalation/oncall-schedule.js';
import { formatSeconds, type QueryOutcome, type QueryPool } from '../../queries/query-pool.js';
import type { SearchResult } from '../../queries/search-logs.js';
import { spoolAsFileSource } from '../../sources/sender-spool.js';
import { type SlackMessage, slackDate } from './blocks.js';
import { escapeCodeBlock, escapeInlineCode, escapeMrkdwn } from './escape.js';
import { LOGS_HELP, type LogsQuery } from './logs-query.js';

export interface LogsContext {
  /** Who asks: queries are limited per person. */
  user: string;
  /** The sources this user may query; incidents and silences of other sources are not shown either. */
  sources: readonly SourceConfig[];
  /** The sources each rule reads (a silence is shown when one of its rule's sources is). */
  ruleSources: ReadonlyMap<string, readonly string[]>;
  /** Where searches and tails run, within their budgets. */
  queries: QueryPool;
  readIncidents(): Promise<Incident[]>;
  readSilences(): Promise<SilenceRow[]>;
  /** What the learned detectors know of a subject (all rules: shown only for the rules of visible sources). */
  readBaseline(subject: string): Promise<BaselineReport[]>;
  /** Each learning detector's learning period (all rules: shown only for the rules of visible sources). */
  readLearning(): Promise<LearningStatus[]>;
  /** Who sends to each network source (all sources: shown only for visible ones). */
  readSenders(): Promise<SourceSenders[]>;
  /** Takes back a false positive's lesson to a detector; undefined when this user may not (as liftSilence). */
  unlearn?: (incidentId: number) => Promise<UnlearnOutcome>;
  /** Lifts a silence; undefined when this user may not. */
  liftSilence?: (id: number) => Promise<LiftOutcome>;
  /** Who is on call; undefined without a schedule. */
  oncall?: () => OnCall;
  now: number;
}

const slackTime = (ms: number) => slackDate(ms, { seconds: false });

// Names and addresses come from the config, not from logs; escaped all the same.
function personLine(p: Person): string {
  return `*${escapeMrkdwn(p.name, 100)}* ${escapeInlineCode(p.email, 200)}${p.slack ? ` <@${p.slack}>` : ''}`;
}

const SECTION = 2900;
/** Senders listed per source at most. */
const HOSTS_SHOWN = 30;

const section = (text: string) => ({
  type: 'section',
  text: { type: 'mrkdwn', text: cut(text, 3000), verbatim: true },
});

function codeBlock(lines: readonly string[]): string {
  const body = lines.map((l) => escapeCodeBlock(l, 500)).join('\n');
  return `\`\`\`${cut(body || ' ', SECTION - 6)}\`\`\``;
}

function reply(title: string, ...parts: string[]): SlackMessage {
  const blocks = [section(title), ...parts.filter(Boolean).map(section)];
  return { text: cut(title, 3000), blocks };
}

// The files /logs reads: each file source's, and each network source's copies of what its senders sent.
const fileSources = (sources: readonly SourceConfig[]): FileSourceConfig[] =>
  sources.flatMap((s) => {
    if (s.type === 'file') return [s as FileSourceConfig];
    const spooled = spoolAsFileSource(s as Parameters<typeof spoolAsFileSource>[0]);
    return spooled ? [spooled] : [];
  });

function incidentLine(i: Incident): string {
  return `#${i.id} ${i.severity.toUpperCase()} ${escapeMrkdwn(i.title, 150)} · ${i.count}× · ${i.status} · last ${new Date(i.lastSeen).toISOString()}`;
}

function formatBytes(n: number): string {
  if (n < 1 << 20) return `${Math.ceil(n / 1024)} KiB`;
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${(n / (1 << 30)).toFixed(2)} GiB`;
}

/** The answer to a query that did not run (busy) or did not finish (stopped, failed). */
function notAnswered(outcome: Extract<QueryOutcome<unknown>, { kind: 'busy' | 'failed' }>): SlackMessage {
  return outcome.kind === 'busy'
    ? reply(`Busy: ${outcome.why}`)
    : reply(`The query did not answer: ${escapeMrkdwn(outcome.why, 300)}. Narrow it with source: or since:.`);
}

function searchNotes(result: SearchResult, limits: QueryPool['limits']): string {
  const notes: string[] = [];
  if (result.cut) {
    const budget =
      result.cut.reason === 'time'
        ? `after ${formatSeconds(limits.timeBudget)}`
        : `at the ${formatBytes(limits.byteBudget)} read limit`;
    notes.push(
      `_Cut ${budget}: read ${formatBytes(result.cut.bytesRead)}, ${result.cut.filesRead} of the files in full. Narrow it with source: or since:._`,
    );
  }
  for (const r of result.refused.slice(0, 5)) {
    notes.push(`_Not read: ${escapeInlineCode(r.file, 200)} is ${r.reason}._`);
  }
  return notes.join('\n');
}

export async function answerLogsQuery(query: LogsQuery, ctx: LogsContext): Promise<SlackMessage> {
  const visible = fileSources(ctx.sources);
  const visibleIds = new Set(ctx.sources.map((s) => s.id));
  const incidents = async () => (await ctx.readIncidents()).filter((i) => visibleIds.has(i.source));
  const silences = async () =>
    (await ctx.readSilences()).filter((x) => (ctx.ruleSources.get(x.rule) ?? []).some((id) => visibleIds.has(id)));
  const search = (
    request: Extract<LogsQuery, { kind: 'search' }> | { text: string; regex: false; limit: number },
    sources: typeof visible,
  ) =>
    ctx.queries.search(ctx.user, {
      sources: [...sources],
      request,
      now: ctx.now,
      budget: { timeMs: ctx.queries.limits.timeBudget, bytes: ctx.queries.limits.byteBudget },
    });
  switch (query.kind) {
    case 'help':
      return reply('*/logs* answers only you. Commands:', LOGS_HELP.join('\n'));
    case 'invalid':
      return reply(query.message);
    case 'oncall': {
      if (!ctx.oncall) return reply('No on-call schedule is configured (escalation.oncall in the config).');
      const who = ctx.oncall();
      return reply(
        `On call now${who.override ? ' (override)' : ''}: ${personLine(who.primary)}${who.secondary ? `, secondary ${personLine(who.secondary)}` : ''}`,
        `Until ${slackTime(who.until)}; then ${personLine(who.next)}.`,
      );
    }
    case 'search': {
      const allowed = query.source ? visible.filter((s) => s.id === query.source) : visible;
      if (query.source && allowed.length === 0)
        return reply(`No source ${escapeInlineCode(query.source, 80)} you may search.`);
      const outcome = await search(query, allowed);
      if (outcome.kind !== 'done') return notAnswered(outcome);
      if (outcome.result.problem) return reply(escapeMrkdwn(outcome.result.problem, 500));
      const { lines, files } = outcome.result;
      const what = query.regex ? `/${query.text}/` : query.text;
      return reply(
        `${lines.length} ${lines.length === 1 ? 'line' : 'lines'} with ${escapeInlineCode(what, 200)} in ${files} ${files === 1 ? 'file' : 'files'}, newest first:`,
        lines.length ? codeBlock(lines.map((l) => `${l.source}: ${l.text}`)) : '',
        searchNotes(outcome.result, ctx.queries.limits),
      );
    }
    case 'tail': {
      const source = visible.find((s) => s.id === query.source);
      if (!source) return reply(`No file source ${escapeInlineCode(query.source, 80)} you may read.`);
      const outcome = await ctx.queries.tail(ctx.user, { source, count: query.count });
      if (outcome.kind !== 'done') return notAnswered(outcome);
      const { lines, refused } = outcome.result;
      if (refused) return reply(`${escapeInlineCode(source.id, 80)} cannot be read: its file is ${refused}.`);
      return reply(`The last ${lines.length} lines of ${escapeInlineCode(source.id, 80)}:`, codeBlock(lines));
    }
    case 'incidents': {
      const since = query.since === undefined ? undefined : ctx.now - query.since;
      const list = (await incidents())
        .filter((i) => (query.which === 'all' || i.status === 'open') && (since === undefined || i.lastSeen >= since))
        .reverse()
        .slice(0, 20);
      const noun = `${query.which === 'open' ? 'open ' : ''}${list.length === 1 ? 'incident' : 'incidents'}`;
      return reply(`${list.length} ${noun}, newest first:`, list.map(incidentLine).join('\n'));
    }
    case 'ip': {
      const known = (await incidents())
        .filter((i) => Object.values(i.key).includes(query.address) || Object.values(i.fields).includes(query.address))
        .reverse();
      const outcome = await search({ text: query.address, regex: false, limit: 10 }, visible);
      const lines = outcome.kind === 'done' ? outcome.result.lines : [];
      return reply(
        `What logwarden knows of ${escapeInlineCode(query.address, 100)}: ${known.length} incidents, ${lines.length} recent lines.`,
        known.slice(0, 10).map(incidentLine).join('\n'),
        lines.length ? codeBlock(lines.map((l) => `${l.source}: ${l.text}`)) : '',
        outcome.kind === 'done'
          ? searchNotes(outcome.result, ctx.queries.limits)
          : `_Lines not searched: ${escapeMrkdwn(outcome.why, 300)}_`,
      );
    }
    case 'silences': {
      const list = await silences();
      const line = (x: SilenceRow) =>
        `#${x.id} ${escapeInlineCode(`${x.rule} ${Object.values(x.key).join(' ')}`, 200)} ${x.reason} by <@${x.createdBy}>, ${x.until === null ? 'until lifted' : `until ${new Date(x.until).toISOString()}`}`;
      return reply(`${list.length} ${list.length === 1 ? 'silence' : 'silences'} in force:`, list.map(line).join('\n'));
    }
    case 'unsilence': {
      if (!ctx.liftSilence) return reply('You are not allowed to lift silences (the falsePositive roles may).');
      // A silence of a rule whose sources this person may not see is not theirs to lift (nor to know of).
      const mine = (await silences()).some((x) => x.id === query.id);
      const outcome = mine ? await ctx.liftSilence(query.id) : { lifted: false as const };
      if (!outcome.lifted) return reply(`No silence #${query.id} is in force.`);
      const taken = outcome.unlearned;
      return reply(
        taken
          ? `Silence #${query.id} lifted, and what its false positive taught ${escapeInlineCode(taken.rule, 100)} taken back: ${escapeMrkdwn(taken.taught, 300)}.`
          : `Silence #${query.id} lifted.`,
      );
    }
    case 'hosts': {
      const visible = new Set(ctx.sources.map((s) => s.id));
      const network = (await ctx.readSenders()).filter((s) => visible.has(s.source));
      if (network.length === 0) {
        return reply('No source you may see takes lines from other hosts (`type: syslog` or `type: http`).');
      }
      const ago = (ms: number) => {
        const s = Math.max(0, Math.round((ctx.now - ms) / 1000));
        return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
      };
      const count = network.reduce((n, s) => n + s.senders.length, 0);
      return reply(
        `${count} ${count === 1 ? 'sender' : 'senders'} to ${network.length} ${network.length === 1 ? 'source' : 'sources'}, the most recently heard first:`,
        ...network.map(
          (s) =>
            `*${escapeMrkdwn(s.source, 100)}* (${s.type})\n${
              s.senders
                .slice(0, HOSTS_SHOWN)
                .map(
                  (x) =>
                    `${escapeInlineCode(x.sender, 100)} last line ${ago(x.lastAt)} · ${x.perMinute.toLocaleString('en-US')} lines/min · ${x.lines.toLocaleString('en-US')} lines`,
                )
                .join('\n') || 'nothing received yet'
            }${s.senders.length > HOSTS_SHOWN ? `\n… and ${s.senders.length - HOSTS_SHOWN} more` : ''}`,
        ),
      );
    }
    case 'baseline': {
      const visible = new Set(ctx.sources.map((s) => s.id));
      const reports = (await ctx.readBaseline(query.subject)).filter((r) => r.sources.some((s) => visible.has(s)));
      const name = escapeInlineCode(query.subject, 200);
      if (reports.length === 0) return reply(`The learned detectors know nothing of ${name}.`);
      return reply(
        `What the learned detectors know of ${name}:`,
        ...reports.map(
          (r) =>
            `*${escapeMrkdwn(r.rule, 100)}* (${escapeMrkdwn(r.detector, 100)})\n${r.lines.map((l) => escapeMrkdwn(l, 600)).join('\n')}`,
        ),
      );
    }
    case 'unlearn': {
      if (!ctx.unlearn) return reply('You are not allowed to take lessons back (the falsePositive roles may).');
      const outcome = await ctx.unlearn(query.incident);
      if (outcome.outcome === 'nothing')
        return reply(
          `Incident #${query.incident} taught no detector anything: it was not marked a false positive of one.`,
        );
      if (outcome.outcome === 'already')
        return reply(`What incident #${query.incident} taught was already taken back.`);
      return reply(
        `Taken back from ${escapeInlineCode(outcome.rule, 100)}: ${escapeMrkdwn(outcome.taught, 300)} (as it learned it before incident #${query.incident}${outcome.kept ? `; ${outcome.kept} of its counts learned more since and were kept as they are` : ''}).`,
      );
    }
    case 'stats': {
      const since = query.since === undefined ? undefined : ctx.now - query.since;
      const recent = (await incidents()).filter((i) => since === undefined || i.lastSeen >= since);
      const top = (entries: Map<string, number>) =>
        [...entries]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 10)
          .map(([k, n]) => `${escapeInlineCode(k, 200)} ${n}`)
          .join('\n');
      const byRule = new Map<string, number>();
      const byKey = new Map<string, number>();
      for (const i of recent) {
        byRule.set(i.rule, (byRule.get(i.rule) ?? 0) + i.count);
        const key = Object.values(i.key).join(' ');
        if (key) byKey.set(key, (byKey.get(key) ?? 0) + i.count);
      }
      const visible = new Set(ctx.sources.map((s) => s.id));
      const learning = (await ctx.readLearning()).filter((l) =>
        (ctx.ruleSources.get(l.rule) ?? []).some((s) => visible.has(s)),
      );
      const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;
      const learningLines = learning.map(
        (l) =>
          `${escapeInlineCode(l.rule, 100)} ${
            l.since === undefined
              ? 'has read nothing yet'
              : l.speaksFrom! > ctx.now
                ? `learning since ${when(l.since)}, speaks from ${when(l.speaksFrom!)}`
                : `speaking (learned since ${when(l.since)})`
          }`,
      );
      return reply(
        `${recent.length} incidents${since === undefined ? '' : ' in that time'}.`,
        `*Top rules* (matches)\n${top(byRule) || '–'}`,
        `*Top keys* (matches)\n${top(byKey) || '–'}`,
        ...(learningLines.length ? [`*Learned detectors*\n${learningLines.join('\n')}`] : []),
      );
    }
  }
}
