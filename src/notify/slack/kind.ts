// The Slack notifier: one message per incident, updated in place from the outbox, with a thread of notes; and Slack
// as the chat platform people click and query from. Its code (Bolt, the Web API) loads only when slack: is set.

import type { OutboxDraft, WriteEvent } from '../../store/ports.js';
import { defineNotifierKind, type Notifier } from '../notifier.js';
import type { SlackConnection } from './connect-slack.js';

export const slackNotifierKind = defineNotifierKind({
  name: 'slack',
  async create(ctx) {
    const { config } = ctx;
    if (!config.slack) return undefined;
    const { connectSlack } = await import('./connect-slack.js');
    const connection = await connectSlack(config.slack, config.sources, {
      queries: config.queries,
      rules: ctx.rules,
      onFatal: ctx.onFatal,
      store: ctx.store,
      clock: ctx.clock,
      timers: ctx.timers,
      logger: ctx.logger,
      env: ctx.env,
      actions: { catalog: ctx.actions, byRule: Object.fromEntries(ctx.rules.map((r) => [r.id, r.actions])) },
      ...(config.escalation ? { escalation: config.escalation } : {}),
      ...(ctx.refusalOf ? { refusalOf: ctx.refusalOf } : {}),
      ...(ctx.metrics ? { metrics: ctx.metrics } : {}),
    });
    return slackNotifierOf(connection, config.slack.updateInterval);
  },
});

/**
 * The Slack outbox jobs a write wants: a sync of the incident's message (one pending per incident; after matches, at
 * most one update per `updateInterval`, after a person's decision or an action at once) and a note in its thread.
 */
export function slackJobsFor(updateInterval: number): (event: WriteEvent) => OutboxDraft[] {
  const sync = (incidentId: number, spacing: number): OutboxDraft => ({
    kind: 'slack.sync',
    incidentId,
    coalesce: { spacing },
  });
  const note = (incidentId: number, payload: unknown): OutboxDraft => ({ kind: 'slack.note', incidentId, payload });
  return (event) => {
    switch (event.event) {
      case 'incident':
        return [sync(event.incident.id, updateInterval)];
      case 'decided':
        return [sync(event.incidentId, 0), note(event.incidentId, event.note)];
      case 'action':
        return [sync(event.note.run.incidentId, 0), note(event.note.run.incidentId, event.note)];
      case 'mail':
        return [note(event.incidentId, event.note)];
    }
  };
}

/** The notifier of a Slack connection: syncs at most one message update per incident per `updateInterval` ms. */
export function slackNotifierOf(connection: SlackConnection, updateInterval: number): Notifier {
  const { delivery } = connection;
  return {
    name: 'slack',
    channel: 'slack',
    jobsFor: slackJobsFor(updateInterval),
    wake: () => delivery.wake(),
    start: () => delivery.start(),
    stop: () => delivery.stop(),
    linkOf: (incidentId) => connection.permalinkOf(incidentId),
    chat: {
      allow: connection.allow,
      listen: (commands) => connection.listen(commands),
      postText: (channel, text) => connection.postText(channel, text),
      probe: () => connection.probe(),
    },
  };
}
