// What Slack's messages and their listeners share: the action ids of the buttons, the message shape, the date markup.
// Pure.

/** Namespaced action ids, parsed back by the listeners. */
export const INCIDENT_ACTIONS = {
  acknowledge: 'incident:acknowledge',
  resolve: 'incident:resolve',
  snooze: 'incident:snooze',
  'false-positive': 'incident:false-positive',
  escalate: 'incident:escalate',
} as const;

/**
 * Buttons of the response actions a rule offers: `action:block-ip`, valued `<incident>:<attempt>:<r|a>:<fingerprint>`
 * (a request or an approval, and the fingerprint of the values its dialog showed).
 */
export const RESPONSE_ACTION_PREFIX = 'action:';
/** Undo buttons: `undo:block-ip`, valued `<incident>:<attempt>`. */
export const UNDO_ACTION_PREFIX = 'undo:';

/** A message as posted: fallback text and Block Kit blocks (plain objects). */
export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

/** A time Slack shows in each reader's own zone (with seconds unless told not to); the ISO form where it cannot. */
export const slackDate = (ms: number, options: { seconds?: boolean } = {}) =>
  `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} ${options.seconds === false ? '{time}' : '{time_secs}'}|${new Date(ms).toISOString()}>`;
