// The thread replies under an incident's message: new matches since the last reply, a decision, what a response
// action did, an escalation mail. Slack mrkdwn, log text escaped. Pure.

import { fleetSummary } from '../../actions/fleet/fleet.js';
import { slackDate } from '../../chat/slack/blocks.js';
import { escapeCodeBlock, escapeInlineCode, escapeMrkdwn } from '../../chat/slack/escape.js';
import type { ActionNote, ActionRun, DecisionNote, Incident, MailNote, ThreadNote } from '../../core/types.js';
import { renderExit, showArgv } from './render-incident.js';

/** The thread reply about matches since the last one: how many, and the latest line. */
export function renderOccurrenceNote(incident: Incident, previousCount: number, since: number): string {
  const latest = incident.sample.at(-1);
  const more = incident.count - previousCount;
  const head = `+${more} ${more === 1 ? 'match' : 'matches'} since ${slackDate(since)} (${incident.count} in all).`;
  return latest ? `${head} Latest:\n\`\`\`${escapeCodeBlock(latest, 1000)}\`\`\`` : head;
}

/** A thread reply from the outbox: a decision, or what a response action did. */
export function renderThreadNote(note: ThreadNote, labelOf: (actionId: string) => string): string {
  if (!('kind' in note)) return renderDecisionNote(note);
  return note.kind === 'mail' ? renderMailNote(note) : renderActionNote(note, labelOf(note.run.actionId));
}

/** The thread record of an escalation mail; addresses come from the config, a server's error from the network. */
export function renderMailNote({ to, reason, error }: MailNote): string {
  const whom = to.map((address) => escapeInlineCode(address, 200)).join(', ');
  if (!error) return `:email: Escalation mailed to ${whom} (${escapeMrkdwn(reason, 300)}).`;
  return `:x: The escalation mail to ${whom} (${escapeMrkdwn(reason, 300)}) could not be sent: ${escapeInlineCode(error, 500)}. Check SMTP_HOST, SMTP_PORT, SMTP_USER and SMTP_PASS, and the mail server's log.`;
}

/** The thread record of a response action: the argv after substitution, exit code, duration, output and its hash. */
export function renderActionNote({ event, actor, run }: ActionNote, label: string): string {
  const name = `*${escapeMrkdwn(label, 40)}*`;
  const by = actor === 'logwarden' ? 'logwarden' : `<@${actor}>`;
  if (run.hosts && (event === 'finished' || event === 'undone' || event === 'undo-failed')) {
    return renderFleetNote(event, by, name, run);
  }
  switch (event) {
    case 'requested':
      return `${by} asks to run ${name}${run.plan ? `: ${showArgv(run.plan.argv)}` : ''}. A second person allowed to run it must press Approve on the message.`;
    case 'interrupted':
      return `:warning: logwarden stopped while ${name} ${run.state === 'interrupted' ? `was running: whether it took effect is unknown. Check, then press Run again if needed${run.undoState === 'available' ? '; its Undo stays on offer' : ''}.` : 'was being undone; the undo will be tried again.'}`;
    case 'undone':
      return `${by === 'logwarden' ? `${name} reached its ttl and was undone` : `${by} undid ${name}`} (exit ${run.undoExitCode ?? 0}).`;
    case 'undo-failed':
      return `:x: Undoing ${name} failed: ${escapeMrkdwn(run.undoDetail ?? 'unknown error', 500)}. It is still in force; press Undo to try again.`;
    case 'finished':
      break;
  }
  const argv = run.argv ? ` ${showArgv(run.argv)}` : '';
  if (run.state === 'refused') {
    return `:no_entry: ${name} was refused: ${escapeMrkdwn(run.detail ?? '', 500)}. Nothing was run.`;
  }
  if (run.state === 'dry-run') return `:test_tube: Dry run of ${name} for ${by}: would run${argv}. Nothing was run.`;
  if (run.state === 'interrupted') {
    return `:warning: ${by} ran ${name}:${argv}, and logwarden stopped before it ended: ${escapeMrkdwn(run.detail ?? 'its outcome is unknown', 300)}.${run.undoState === 'available' ? ' Its Undo stays on offer.' : ''}`;
  }
  const head = `${run.state === 'succeeded' ? ':white_check_mark:' : ':x:'} ${by} ran ${name}:${argv} → ${renderExit(run)}`;
  const undo = run.undoAt ? ` · undo at ${slackDate(run.undoAt)}` : '';
  const hash = run.outputHash ? ` · output sha256 \`${run.outputHash.slice(0, 16)}\`` : '';
  const output = run.output ? `\n\`\`\`${escapeCodeBlock(run.output, 2500)}\`\`\`` : '';
  return `${head}${undo}${hash}${output}`;
}

// A fleet run: where it stands as a whole, then one line per host (its exit, time, output hash, or why not).
function renderFleetNote(
  event: 'finished' | 'undone' | 'undo-failed',
  by: string,
  name: string,
  run: ActionRun,
): string {
  const hosts = run.hosts ?? [];
  const head =
    event === 'finished'
      ? `${run.state === 'succeeded' ? ':white_check_mark:' : ':x:'} ${by} ran ${name}${run.argv ? `: ${showArgv(run.argv)}` : ''} → ${escapeMrkdwn(fleetSummary(run), 300)}`
      : `${event === 'undone' ? ':leftwards_arrow_with_hook:' : ':x:'} ${by === 'logwarden' ? `${name} reached its ttl on some hosts` : `${by} undid ${name}`}: undone on ${hosts.filter((h) => h.undoState === 'done').length}/${hosts.length} hosts`;
  const lines = hosts.slice(0, 20).map((h) => {
    const undo =
      h.undoState === 'done'
        ? ' · undone'
        : h.undoState === 'available' && h.undoDetail
          ? ` · undo failed: ${escapeMrkdwn(h.undoDetail, 200)}`
          : h.undoAt
            ? ` · undo at ${slackDate(h.undoAt)}`
            : '';
    const how =
      h.state === 'succeeded'
        ? `exit 0${h.durationMs === undefined ? '' : ` in ${h.durationMs} ms`}${h.outputHash ? ` · output sha256 \`${h.outputHash.slice(0, 16)}\`` : ''}`
        : escapeMrkdwn(h.detail ?? h.state, 300);
    return `• ${escapeInlineCode(h.host, 64)}: ${h.state === 'succeeded' ? '' : `${h.state}, `}${how}${undo}${h.tries > 1 ? ` (try ${h.tries})` : ''}`;
  });
  return [head, ...lines, ...(hosts.length > 20 ? [`… and ${hosts.length - 20} more hosts`] : [])].join('\n');
}

/** The thread reply that records who did what; Slack user ids come from Slack, never from logs. */
export function renderDecisionNote({ decision, actor, until }: DecisionNote): string {
  switch (decision) {
    case 'acknowledge':
      return `<@${actor}> acknowledged this incident.`;
    case 'resolve':
      return `<@${actor}> resolved this incident.`;
    case 'snooze':
      return `<@${actor}> snoozed this rule and key until ${slackDate(until ?? 0)}.`;
    case 'false-positive':
      return `<@${actor}> marked this incident a false positive: this rule and key open no more incidents.`;
  }
}
