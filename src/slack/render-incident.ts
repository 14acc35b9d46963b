// The one Slack message an incident has, as Block Kit: rendered from the incident and what people did to it, so
// updating the message is rendering it again. Pure.
import type { Incident, IncidentDecisions, Severity } from '../core/types.js';
import { parseLogHost } from '../rules/log-timestamp.js';
import type { DecisionNote } from '../store/sqlite-store.js';
import { cut, escapeCodeBlock, escapeInlineCode, escapeMrkdwn, escapePlainText } from './escape.js';

/** Namespaced action ids, parsed back by the listeners. */
export const INCIDENT_ACTIONS = {
  acknowledge: 'incident:acknowledge',
  resolve: 'incident:resolve',
  snooze: 'incident:snooze',
  'false-positive': 'incident:false-positive',
} as const;

/** Buttons of the response actions a rule offers: `action:block-ip`. */
export const RESPONSE_ACTION_PREFIX = 'action:';

export const SNOOZE_CHOICES = ['1h', '4h', '24h'] as const;

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

const SEVERITY_LABEL: Record<Severity, string> = {
  info: 'INFO',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

// Slack's limits: header text 150, section text 3000, a field 2000, at most 10 fields, button text 75.
const LIMITS = { header: 150, field: 2000, fields: 10, section: 3000, fallback: 3000 } as const;

const slackDate = (ms: number) => {
  const seconds = Math.floor(ms / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time_secs}|${new Date(ms).toISOString()}>`;
};

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
  actions: readonly string[] = [],
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
  ]
    .slice(0, LIMITS.fields)
    .map((text) => mrkdwn(cut(text, LIMITS.field)));
  const sample = incident.sample.map((line) => escapeCodeBlock(line, 1000)).join('\n');
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: header, emoji: false } },
    { type: 'context', elements: [mrkdwn(statusLine(incident, view))] },
    { type: 'section', fields },
  ];
  if (sample) {
    blocks.push({ type: 'section', text: mrkdwn(`\`\`\`${cut(sample, LIMITS.section - 6)}\`\`\``) });
  }
  if (incident.status === 'open' && !view.resolvedBy) {
    blocks.push(renderButtons(incident, view));
    if (actions.length > 0) {
      blocks.push({
        type: 'actions',
        block_id: `actions:${incident.id}`,
        // At most 25 elements in an actions block.
        elements: actions.slice(0, 25).map((action) => ({
          type: 'button',
          action_id: `${RESPONSE_ACTION_PREFIX}${action}`,
          text: plain(action),
          value: String(incident.id),
        })),
      });
    }
  }
  const fallback = escapeMrkdwn(
    `${severity} · ${incident.title} (${incident.count}×, ${incident.rule})`,
    LIMITS.fallback,
  );
  return { text: fallback, blocks };
}

function renderButtons(incident: Incident, view: IncidentDecisions): Record<string, unknown> {
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
  return { type: 'actions', block_id: `incident:${incident.id}`, elements };
}

// verbatim: Slack links nothing by itself (URLs, #channels); only the <…> we write ourselves are special.
function mrkdwn(text: string) {
  return { type: 'mrkdwn', text, verbatim: true };
}

function plain(text: string, max = 75) {
  return { type: 'plain_text', text: cut(text, max), emoji: false };
}

/** The thread reply about matches since the last one: how many, and the latest line. */
export function renderOccurrenceNote(incident: Incident, previousCount: number, since: number): string {
  const latest = incident.sample.at(-1);
  const more = incident.count - previousCount;
  const head = `+${more} ${more === 1 ? 'match' : 'matches'} since ${slackDate(since)} (${incident.count} in all).`;
  return latest ? `${head} Latest:\n\`\`\`${escapeCodeBlock(latest, 1000)}\`\`\`` : head;
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
