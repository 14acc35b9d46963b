// The one Slack message an incident has, as Block Kit: rendered from the incident and what people did to it, so
// updating the message is rendering it again. Pure.

import type { ResolvedAction } from '../../actions/action-catalog.js';
import { fingerprintOf, pickValues } from '../../actions/confirmed-values.js';
import { confirmedOf, fleetSummary, hostsToRetry, targetsShown } from '../../actions/fleet/fleet.js';
import {
  INCIDENT_ACTIONS,
  RESPONSE_ACTION_PREFIX,
  type SlackMessage,
  slackDate,
  UNDO_ACTION_PREFIX,
} from '../../chat/slack/blocks.js';
import { escapeCodeBlock, escapeInlineCode, escapeMrkdwn, escapePlainText } from '../../chat/slack/escape.js';
import { formatDuration } from '../../config/duration.js';
import { fillPlaceholders } from '../../core/template.js';
import { cut } from '../../core/text.js';
import type { ActionRun, Incident, IncidentDecisions, Severity } from '../../core/types.js';
import { incrementedTtl } from '../../incidents/returning.js';
import { parseLogHost } from '../../rules/log-timestamp.js';

/** What a response action's button needs to know; a config's ResolvedAction is one. */
export type ActionButton = Pick<ResolvedAction, 'id' | 'label' | 'confirm' | 'approvals' | 'ttl'> &
  Partial<Pick<ResolvedAction, 'fields' | 'target'>>;

export const SNOOZE_CHOICES = ['1h', '4h', '24h'] as const;

const SEVERITY_LABEL: Record<Severity, string> = {
  info: 'INFO',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

// Slack's limits: header text 150, section text 3000, a field 2000, at most 10 fields, button text 75.
const LIMITS = { header: 150, field: 2000, fields: 10, section: 3000, fallback: 3000 } as const;

function statusLine(incident: Incident, view: IncidentDecisions): string {
  if (view.resolvedBy) {
    const by = `<@${view.resolvedBy.user}> ${slackDate(view.resolvedBy.at)}`;
    if (view.resolution === 'snoozed') {
      const until = view.silencedUntil ? ` until ${slackDate(view.silencedUntil)}` : '';
      return `:zzz: Snoozed by ${by}: matches of this rule and key open no incident${until}`;
    }
    if (view.resolution === 'false-positive') {
      return `:no_entry_sign: Marked a false positive by ${by}: this rule and key open no more incidents`;
    }
    return `:white_check_mark: Resolved by ${by}`;
  }
  if (incident.status === 'closed') return ':zzz: Closed after a quiet period';
  const parts = [':rotating_light: Open'];
  if (view.acknowledgedBy)
    parts.push(`acknowledged by <@${view.acknowledgedBy.user}> ${slackDate(view.acknowledgedBy.at)}`);
  return parts.join(' · ');
}

export function renderIncidentMessage(
  incident: Incident,
  view: IncidentDecisions = {},
  actions: readonly ActionButton[] = [],
  options: {
    escalate?: boolean;
    /** Why an action is not offered on the incident as it is now (a value it would act on is protected). */
    refusalOf?: (actionId: string) => string | undefined;
  } = {},
): SlackMessage {
  const severity = SEVERITY_LABEL[incident.severity];
  const header = escapePlainText(`${severity} · ${incident.title}`, LIMITS.header);
  const captured = Object.entries(incident.fields).filter(([name]) => name !== 'pid');
  const host = incident.sample.map(parseLogHost).find((h) => h !== undefined);
  const fields = [
    `*Rule*\n${escapeInlineCode(incident.rule, 200)}`,
    `*Source*\n${escapeInlineCode(host ? `${incident.source} · ${host}` : incident.source, 200)}`,
    `*Count*\n${incident.count}`,
    `*Incident*\n#${incident.id}`,
    `*First seen*\n${slackDate(incident.firstSeen)}`,
    `*Last seen*\n${slackDate(incident.lastSeen)}`,
    ...captured.map(([name, value]) => `*${escapeMrkdwn(name, 50)}*\n${escapeInlineCode(value, 500)}`),
    // A key counted by prefix (IPv6 by /64) lists the addresses behind it.
    ...Object.entries(incident.spread ?? {}).map(
      ([name, { values, more }]) =>
        `*${escapeMrkdwn(name, 50)} seen*\n${values.map((v) => escapeInlineCode(v, 60)).join(' ')}${more ? ` and ${more} more` : ''}`,
    ),
  ].map((text) => mrkdwn(cut(text, LIMITS.field)));
  // Ten fields a section: what a detector explains itself with goes on in the next ones, never cut.
  const sections = [0, 1, 2]
    .map((i) => fields.slice(i * LIMITS.fields, (i + 1) * LIMITS.fields))
    .filter((part) => part.length > 0)
    .map((part) => ({ type: 'section', fields: part }));
  const sample = incident.sample.map((line) => escapeCodeBlock(line, 1000)).join('\n');
  const runs = new Map((view.actions ?? []).map((run) => [run.actionId, run]));
  const labelOf = (id: string) => actions.find((a) => a.id === id)?.label ?? id;
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: header, emoji: false } },
    { type: 'context', elements: [mrkdwn(statusLine(incident, view))] },
    ...sections,
  ];
  if (sample) {
    blocks.push({ type: 'section', text: mrkdwn(`\`\`\`${cut(sample, LIMITS.section - 6)}\`\`\``) });
  }
  if (runs.size > 0) {
    // At most 10 elements in a context block.
    const lines = [...runs.values()]
      .slice(0, 10)
      .map((run) => mrkdwn(cut(renderRunStatus(run, labelOf(run.actionId)), 2000)));
    blocks.push({ type: 'context', block_id: `runs:${incident.id}`, elements: lines });
  }
  const open = incident.status === 'open' && !view.resolvedBy;
  if (open) blocks.push(renderButtons(incident, view, options.escalate === true));
  // Undo stays on offer after the incident closes: a block outlives the incident that caused it.
  // An action whose field this incident lacks (a capture that failed its type) is not offered.
  const runnable = actions.filter((a) => (a.fields ?? []).every((f) => incident.fields[f] !== undefined));
  // A protected value's action is shown refused, with why, instead of its button (an approval of a request already
  // made stays: it runs what was requested, checked again then).
  const refused = new Map(
    runnable.flatMap((a) => {
      const reason = runs.get(a.id)?.state === 'awaiting-approval' ? undefined : options.refusalOf?.(a.id);
      return reason ? [[a.id, reason] as const] : [];
    }),
  );
  if (open && refused.size > 0) {
    const lines = [...refused]
      .slice(0, 10)
      .map(([id, reason]) =>
        mrkdwn(cut(`:shield: ${escapeMrkdwn(labelOf(id), 40)} is not offered: ${escapeMrkdwn(reason, 300)}`, 2000)),
      );
    blocks.push({ type: 'context', block_id: `protected:${incident.id}`, elements: lines });
  }
  const responses = [
    ...(open
      ? runnable.filter((a) => !refused.has(a.id)).flatMap((a) => renderActionButton(incident, a, runs.get(a.id)))
      : []),
    ...(open ? actions.flatMap((a) => renderRetryButton(incident, a, runs.get(a.id))) : []),
    ...actions.flatMap((a) => renderUndoButton(incident, a, runs.get(a.id))),
  ];
  if (responses.length > 0) {
    // At most 25 elements in an actions block.
    blocks.push({ type: 'actions', block_id: `actions:${incident.id}`, elements: responses.slice(0, 25) });
  }
  const fallback = escapeMrkdwn(
    `${severity} · ${incident.title} (${incident.count}×, ${incident.rule})`,
    LIMITS.fallback,
  );
  return { text: fallback, blocks };
}

function renderButtons(incident: Incident, view: IncidentDecisions, escalate: boolean): Record<string, unknown> {
  const value = String(incident.id);
  const elements: Record<string, unknown>[] = [];
  if (!view.acknowledgedBy) {
    elements.push({
      type: 'button',
      action_id: INCIDENT_ACTIONS.acknowledge,
      text: plain('Acknowledge'),
      style: 'primary',
      value,
    });
  }
  elements.push({
    type: 'button',
    action_id: INCIDENT_ACTIONS.resolve,
    text: plain('Resolve'),
    value,
    confirm: {
      title: plain('Resolve this incident?'),
      text: plain(`Incident #${incident.id} closes; new matches open a new incident.`, 300),
      confirm: plain('Resolve'),
      deny: plain('Cancel'),
    },
  });
  elements.push(
    {
      type: 'static_select',
      action_id: INCIDENT_ACTIONS.snooze,
      placeholder: plain('Snooze…'),
      options: SNOOZE_CHOICES.map((d) => ({ text: plain(`Snooze ${d}`), value: `${incident.id}:${d}` })),
    },
    {
      type: 'button',
      action_id: INCIDENT_ACTIONS['false-positive'],
      text: plain('False positive'),
      style: 'danger',
      value,
      confirm: {
        title: plain('Mark as a false positive?'),
        text: plain(
          `Incident #${incident.id} closes, and rule ${cut(incident.rule, 60)} opens no more incidents for this key until the silence is lifted.`,
          300,
        ),
        confirm: plain('False positive'),
        deny: plain('Cancel'),
        style: 'danger',
      },
    },
  );
  if (escalate) {
    elements.push({
      type: 'button',
      action_id: INCIDENT_ACTIONS.escalate,
      text: plain('Escalate'),
      value,
      confirm: {
        title: plain('Escalate by email?'),
        text: plain(`Incident #${incident.id} is mailed to the primary on call now.`, 300),
        confirm: plain('Escalate'),
        deny: plain('Cancel'),
      },
    });
  }
  return { type: 'actions', block_id: `incident:${incident.id}`, elements };
}

function renderActionButton(incident: Incident, action: ActionButton, run: ActionRun | undefined) {
  if (run?.state === 'running') return [];
  const awaiting = run?.state === 'awaiting-approval';
  const attempt = run === undefined ? 1 : awaiting ? run.attempt : run.attempt + 1;
  const verb = awaiting ? 'Approve: ' : run ? 'Run again: ' : '';
  // An approval confirms what was requested: its values, and the argv kept with it.
  const values = awaiting && run.plan ? run.plan.values : incident.fields;
  // A fleet action names where it runs: the hosts confirmed with a request, or those it would run on now.
  const hosts = awaiting && run.plan ? run.plan.targets : targetsShown(action.target, incident);
  const where = hosts ? ` On ${hosts.length === 0 ? 'no fleet host' : hostList(hosts)}.` : '';
  const question = `${action.confirm ? fillConfirm(action.confirm, values) : `Run ${action.label}?`}${where}`;
  const consequence = awaiting
    ? `Requested by someone else; approving runs ${run.plan ? run.plan.argv.join(' ') : 'it'} now (incident #${incident.id}).${changedSince(run, incident) ? ' The incident has named other values since; this runs what was requested.' : ''}`
    : action.approvals > 1
      ? `It runs once a second authorised person approves (incident #${incident.id}).`
      : `It runs now (incident #${incident.id}).`;
  // A timed action says how long it lasts: longer for a returning address.
  const lasts =
    action.ttl !== undefined && !awaiting
      ? ` It is undone by itself after ${formatDuration(incrementedTtl(action.ttl, incident))}${incident.fields.returning ? ` (${incident.fields.returning} earlier incidents: longer each time)` : ''}.`
      : '';
  // The button says what its dialog showed: a request or an approval, and the fingerprint of its values.
  const shown = confirmedOf(awaiting && run.plan ? run.plan.values : pickValues(incident.fields, action.fields), hosts);
  return [
    {
      type: 'button',
      action_id: `${RESPONSE_ACTION_PREFIX}${action.id}`,
      text: plain(`${verb}${action.label}`),
      value: `${incident.id}:${attempt}:${awaiting ? 'a' : 'r'}:${fingerprintOf(shown)}`,
      ...(awaiting ? { style: 'primary' } : {}),
      confirm: {
        title: plain(awaiting ? 'Approve?' : 'Run this action?', 100),
        text: plain(`${question} ${consequence}${lasts}`, 300),
        confirm: plain(awaiting ? 'Approve' : 'Run'),
        deny: plain('Cancel'),
      },
    },
  ];
}

// A fleet run that failed on some hosts: run it again on those only, as it was confirmed.
function renderRetryButton(incident: Incident, action: ActionButton, run: ActionRun | undefined) {
  const failed = run ? hostsToRetry(run) : [];
  if (!run?.plan?.targets || failed.length === 0) return [];
  return [
    {
      type: 'button',
      action_id: `${RESPONSE_ACTION_PREFIX}${action.id}`,
      text: plain(`Retry: ${action.label} on ${failed.length} host${failed.length === 1 ? '' : 's'}`),
      value: `${incident.id}:${run.attempt}:t:${fingerprintOf(confirmedOf(run.plan.values, run.plan.targets))}`,
      confirm: {
        title: plain('Retry on the failed hosts?', 100),
        text: plain(
          `Runs ${showArgvPlain(run.plan.argv)} again on ${hostList(failed)} (incident #${incident.id}).`,
          300,
        ),
        confirm: plain('Retry'),
        deny: plain('Cancel'),
      },
    },
  ];
}

function hostList(hosts: readonly string[]): string {
  return hosts.length > 5 ? `${hosts.slice(0, 5).join(', ')} and ${hosts.length - 5} more` : hosts.join(', ');
}

const showArgvPlain = (argv: readonly string[]) => cut(argv.join(' '), 120);

function renderUndoButton(incident: Incident, action: ActionButton, run: ActionRun | undefined) {
  // A fleet run still running on some hosts is undone once it has ended (else those would stay blocked).
  if (run?.undoState !== 'available' || (run.hosts && run.state === 'running')) return [];
  return [
    {
      type: 'button',
      action_id: `${UNDO_ACTION_PREFIX}${action.id}`,
      text: plain(
        `Undo: ${action.label}${run.hosts ? ` on ${run.hosts.filter((h) => h.undoState === 'available').length} hosts` : ''}`,
      ),
      value: `${incident.id}:${run.attempt}`,
      confirm: {
        title: plain('Undo this action?', 100),
        text: plain(`Runs the undo command of ${action.label} for incident #${incident.id}.`, 300),
        confirm: plain('Undo'),
        deny: plain('Cancel'),
      },
    },
  ];
}

/** Whether the incident names other values than those a run was requested with. */
function changedSince(run: ActionRun | undefined, incident: Incident): boolean {
  return Object.entries(run?.plan?.values ?? {}).some(([name, value]) => incident.fields[name] !== value);
}

// Confirm dialogs are plain text: captures are shown as they are (typed values), with nothing to interpret.
function fillConfirm(template: string, fields: Readonly<Record<string, string>>): string {
  return fillPlaceholders(template, (name) => fields[name]);
}

export const showArgv = (argv: readonly string[]) => escapeInlineCode(argv.join(' '), 300);

/** One line per response action on the message: what ran, who ran it, how it ended, and its undo. */
export function renderRunStatus(run: ActionRun, label: string): string {
  const name = `*${escapeMrkdwn(label, 40)}*`;
  const who = run.approvedBy ? `<@${run.requestedBy}> + <@${run.approvedBy}>` : `<@${run.requestedBy}>`;
  const exit = renderExit(run);
  let line: string;
  switch (run.state) {
    case 'awaiting-approval':
      line = `:hourglass: ${name} ${run.plan ? `${showArgv(run.plan.argv)} ` : ''}requested by ${who}: waiting for a second person to approve`;
      break;
    case 'running':
      line = run.hosts
        ? `:gear: ${name} running (${who}): ${escapeMrkdwn(fleetSummary(run), 300)}`
        : `:gear: ${name} running (${who})`;
      break;
    case 'succeeded':
      line = run.hosts
        ? `:white_check_mark: ${name} ${run.argv ? showArgv(run.argv) : ''} — ${who}, ${escapeMrkdwn(fleetSummary(run), 300)}`
        : `:white_check_mark: ${name} ${run.argv ? showArgv(run.argv) : ''} — ${who}, ${exit}`;
      break;
    case 'failed':
      line = run.hosts
        ? `:x: ${name} ${escapeMrkdwn(fleetSummary(run), 500)} — ${who}`
        : `:x: ${name} failed — ${who}, ${exit}`;
      break;
    case 'refused':
      line = `:no_entry: ${name} refused (${escapeMrkdwn(run.detail ?? '', 300)}); nothing ran — ${who}`;
      break;
    case 'dry-run':
      line = `:test_tube: ${name} dry run: would run ${run.argv ? showArgv(run.argv) : ''} — ${who}`;
      break;
    case 'interrupted':
      line = `:warning: ${name} ${run.plan ? `${showArgv(run.plan.argv)} ` : ''}was interrupted by a restart; its outcome is unknown — ${who}`;
      break;
  }
  if (run.undoState === 'done') line += ` · undone by ${run.undoBy === 'logwarden' ? 'its ttl' : `<@${run.undoBy}>`}`;
  else if (run.undoState === 'available' && run.undoDetail) {
    line += ` · undo failed (${escapeMrkdwn(run.undoDetail, 200)})`;
  } else if (run.undoState === 'available' && run.undoAt) line += ` · undo at ${slackDate(run.undoAt)}`;
  return line;
}

export function renderExit(run: ActionRun): string {
  const took = run.durationMs === undefined ? '' : ` in ${run.durationMs} ms`;
  const verified = run.verified === undefined ? '' : run.verified ? ' · verified' : ' · *verify failed*';
  if (run.exitCode === undefined) return `${escapeMrkdwn(run.detail ?? 'did not run', 300)}${took}`;
  return `exit ${run.exitCode}${took}${verified}`;
}

// verbatim: Slack links nothing by itself (URLs, #channels); only the <…> we write ourselves are special.
function mrkdwn(text: string) {
  return { type: 'mrkdwn', text, verbatim: true };
}

function plain(text: string, max = 75) {
  return { type: 'plain_text', text: cut(text, max), emoji: false };
}
