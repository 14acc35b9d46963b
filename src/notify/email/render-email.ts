// The escalation mail, as text and HTML: the incident, its samples, who did what so far, and the Slack permalink.
// Log text is attacker-controlled: the subject is one line without control characters (no header can be injected),
// and the HTML escapes everything. Pure.

import { fleetSummary } from '../../actions/fleet/fleet.js';
import { cut, stripControls, stripControlsKeepingLines } from '../../core/text.js';
import type { ActionRun, Incident, IncidentDecisions } from '../../core/types.js';

export interface EscalationMail {
  subject: string;
  text: string;
  html: string;
}

export interface EscalationMailInput {
  incident: Incident;
  decisions: IncidentDecisions;
  reason: string;
  /** The incident's Slack message, when it has one. */
  permalink?: string;
  labelOf(actionId: string): string;
}

/** One header-safe line: newlines become spaces, controls go (core/text.ts's policy), cut to max characters. */
export function toHeaderLine(text: string, max = 200): string {
  return cut(stripControls(text.replace(/[\r\n\t\u2028\u2029]+/g, ' ')).trim(), max);
}

const bodyLine = (text: string, max = 2000) => cut(stripControlsKeepingLines(text), max);

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function renderHistory({ incident, decisions, labelOf }: EscalationMailInput): string[] {
  const lines: string[] = [];
  if (decisions.acknowledgedBy) {
    lines.push(`Acknowledged by Slack user ${decisions.acknowledgedBy.user} at ${iso(decisions.acknowledgedBy.at)}`);
  }
  for (const run of decisions.actions ?? []) lines.push(renderRun(run, labelOf(run.actionId)));
  if (decisions.resolvedBy) {
    lines.push(
      `${decisions.resolution ?? 'resolved'} by Slack user ${decisions.resolvedBy.user} at ${iso(decisions.resolvedBy.at)}`,
    );
  }
  if (lines.length === 0) lines.push(incident.status === 'open' ? 'Nobody has acknowledged it yet.' : 'Closed.');
  return lines;
}

function renderRun(run: ActionRun, label: string): string {
  const result = run.hosts
    ? fleetSummary(run)
    : run.exitCode === undefined
      ? (run.detail ?? run.state)
      : `exit ${run.exitCode}`;
  return `${label}: ${run.state} (${result}), requested by Slack user ${run.requestedBy}${run.argv ? `: ${run.argv.join(' ')}` : ''}`;
}

export function renderEscalationEmail(input: EscalationMailInput): EscalationMail {
  const { incident, reason, permalink } = input;
  const severity = incident.severity.toUpperCase();
  const subject = toHeaderLine(`[logwarden] ${severity}: ${incident.title} (incident #${incident.id})`);
  const facts: [string, string][] = [
    ['Incident', `#${incident.id} (${incident.status})`],
    ['Rule', incident.rule],
    ['Severity', severity],
    ['Source', incident.source],
    ['Count', String(incident.count)],
    ['First seen', iso(incident.firstSeen)],
    ['Last seen', iso(incident.lastSeen)],
    ...Object.entries(incident.fields)
      .filter(([name]) => name !== 'pid')
      .map(([name, value]): [string, string] => [name, value]),
  ];
  const history = renderHistory(input);
  const samples = incident.sample.map((line) => bodyLine(line));
  const text = [
    `logwarden escalates incident #${incident.id} to you: ${reason}.`,
    '',
    bodyLine(incident.title, 500),
    '',
    ...facts.map(([k, v]) => `${k}: ${bodyLine(v, 500)}`),
    '',
    'So far:',
    ...history.map((h) => `- ${bodyLine(h)}`),
    '',
    'Sample lines:',
    ...samples.map((s) => `  ${s}`),
    '',
    permalink ? `In Slack: ${permalink}` : 'The incident has no Slack message yet.',
    '',
    'Acknowledge it in Slack to stop further escalation.',
  ].join('\n');
  const html = `<!doctype html>
<html><body style="font-family: sans-serif">
<p>logwarden escalates incident #${incident.id} to you: ${escapeHtml(reason)}.</p>
<h2>${escapeHtml(bodyLine(incident.title, 500))}</h2>
<table>${facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(bodyLine(v, 500))}</td></tr>`).join('')}</table>
<h3>So far</h3>
<ul>${history.map((h) => `<li>${escapeHtml(bodyLine(h))}</li>`).join('')}</ul>
<h3>Sample lines</h3>
<pre>${samples.map(escapeHtml).join('\n')}</pre>
<p>${permalink ? `<a href="${escapeHtml(permalink)}">Open the incident in Slack</a>` : 'The incident has no Slack message yet.'}</p>
<p>Acknowledge it in Slack to stop further escalation.</p>
</body></html>
`;
  return { subject, text, html };
}
