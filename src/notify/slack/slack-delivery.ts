// Delivers incidents to Slack from the durable outbox: one message per incident, posted once and then updated in
// place. A job says "make incident N's message current", so a storm of matches becomes at most one write per
// incident per updateInterval, and nothing is lost while Slack is down: jobs wait in SQLite, are retried with
// backoff on network errors and 5xx, and wait as long as a 429's Retry-After says.
import { type KnownBlock, ErrorCode as SlackErrorCode, type WebClient } from '@slack/web-api';
import type { SlackMessage } from '../../chat/slack/blocks.js';
import { doublingBackoff } from '../../core/backoff.js';
import type { Logger } from '../../core/logger.js';
import type { Timers } from '../../core/timers.js';
import type { Clock, Incident, ThreadNote } from '../../core/types.js';
import type { Metrics } from '../../metrics/metrics.js';
import { createOutboxWorker, type JobOutcome, type OutboxWorker } from '../../store/outbox-worker.js';
import type { NotifierMessage, OutboxJob, Store } from '../../store/ports.js';
import { type ActionButton, renderIncidentMessage } from './render-incident.js';
import { renderOccurrenceNote, renderThreadNote } from './render-thread-note.js';

/** The Web API calls delivery makes: a @slack/web-api WebClient, or Bolt's app.client. */
export type SlackChatClient = Pick<WebClient, 'chat'>;

// Our renderer builds plain objects; the client's types want its Block Kit unions.
const blocksOf = (message: SlackMessage) => message.blocks as unknown as KnownBlock[];

export interface SlackDeliveryOptions {
  channel: string;
  /** At most one update of an incident's message per this many ms. */
  updateInterval: number;
  /** At most one thread reply about new matches per incident per this many ms. */
  threadInterval: number;
  /** The response actions each rule offers, as buttons. */
  ruleActions?: Readonly<Record<string, readonly ActionButton[]>>;
  /** Any configured action by id, for those an incident offers besides its rule's (incident.offers). */
  actionById?: (id: string) => ActionButton | undefined;
  /** Offer an Escalate button (escalation is configured). */
  escalate?: boolean;
  /** Why an action is not offered on an incident as it is now (a protected value), or undefined. */
  refusalOf?: (incident: Incident, actionId: string) => string | undefined;
  /** Delay before the nth retry of a network error or 5xx (n from 1). */
  backoff?: (attempt: number) => number;
  /** The web link of a message, once the workspace is known. */
  linkOf?: (channel: string, ts: string) => string | undefined;
}

/** The channel the Slack notifier's jobs and messages are kept under. */
export const SLACK_CHANNEL = 'slack';

/** Where a Slack message is: its channel and ts. */
export const slackMessageAt = (message: NotifierMessage): { channel: string; ts: string } => ({
  channel: message.at.channel ?? '',
  ts: message.at.ts ?? '',
});

export type SlackDelivery = OutboxWorker;

// Errors Slack reports with ok:false that are worth trying again; any other (channel_not_found, invalid_auth, …)
// will not fix itself.
const RETRYABLE = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

// Slack: 1 s, doubling, at most 5 min.
const defaultBackoff = doublingBackoff(1000, 300_000);

export function createSlackDelivery(
  deps: { store: Store; client: SlackChatClient; clock: Clock; logger: Logger; metrics?: Metrics; timers?: Timers },
  options: SlackDeliveryOptions,
): SlackDelivery {
  const { store, client, clock, logger } = deps;
  const backoff = options.backoff ?? defaultBackoff;
  const labels = new Map(Object.values(options.ruleActions ?? {}).flatMap((list) => list.map((a) => [a.id, a.label])));
  // The rule's buttons, then those the incident offers as ran on its address before.
  const actionsOf = (incident: Incident): ActionButton[] => {
    const own = options.ruleActions?.[incident.rule] ?? [];
    const more = (incident.offers ?? []).flatMap((id) =>
      own.some((a) => a.id === id) ? [] : (options.actionById?.(id) ?? []),
    );
    return [...own, ...more];
  };
  // A note goes into the thread of the incident's message, once that message exists.
  const deliverNote = async (job: OutboxJob): Promise<JobOutcome> => {
    const message = await store.messages.read(SLACK_CHANNEL, job.incidentId);
    if (!message) return { retryAt: clock() + options.updateInterval, error: 'waiting for the incident message' };
    const ref = slackMessageAt(message);
    try {
      const note = job.payload as ThreadNote | undefined;
      if (!note) return { failed: 'a thread note without content' };
      const text = renderThreadNote(note, (id) => labels.get(id) ?? id);
      await client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text });
    } catch (error) {
      return classify(error, job);
    }
    return { done: true };
  };

  const deliver = async (job: OutboxJob): Promise<JobOutcome> => {
    if (job.kind === 'slack.note') return deliverNote(job);
    const found = await store.incidents.read(job.incidentId);
    if (!found) return { done: true };
    const message = renderIncidentMessage(found.incident, found.decisions, actionsOf(found.incident), {
      escalate: options.escalate === true,
      ...(options.refusalOf ? { refusalOf: (actionId: string) => options.refusalOf!(found.incident, actionId) } : {}),
    });
    const stored = await store.messages.read(SLACK_CHANNEL, job.incidentId);
    const written = (channel: string, ts: string, noted: { notedCount: number; notedAt: number }, now: number) => {
      const link = options.linkOf?.(channel, ts) ?? stored?.link;
      const next = { at: { channel, ts }, ...(link ? { link } : {}), version: found.version, ...noted };
      return store.messages.write(SLACK_CHANNEL, job.incidentId, next, now);
    };
    try {
      if (stored) {
        const ref = { ...slackMessageAt(stored), notedCount: stored.notedCount, notedAt: stored.notedAt };
        await client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: blocksOf(message) });
        const now = clock();
        let noted = { notedCount: ref.notedCount, notedAt: ref.notedAt };
        if (found.incident.count > ref.notedCount && now - ref.notedAt >= options.threadInterval) {
          const text = renderOccurrenceNote(found.incident, ref.notedCount, ref.notedAt);
          await client.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text });
          noted = { notedCount: found.incident.count, notedAt: now };
        }
        await written(ref.channel, ref.ts, noted, now);
      } else {
        const posted = await client.chat.postMessage({
          channel: options.channel,
          text: message.text,
          blocks: blocksOf(message),
          unfurl_links: false,
          unfurl_media: false,
        });
        if (!posted.ts || !posted.channel) return { failed: 'chat.postMessage answered without channel and ts' };
        const now = clock();
        await written(posted.channel, posted.ts, { notedCount: found.incident.count, notedAt: now }, now);
      }
    } catch (error) {
      return classify(error, job);
    }
    // A match that arrived while the call was in flight changed the incident: write it again, after the interval.
    const latest = (await store.incidents.read(job.incidentId))?.version ?? found.version;
    return latest > found.version
      ? { retryAt: clock() + options.updateInterval, error: 'changed while sending' }
      : { done: true };
  };

  const classify = (error: unknown, job: OutboxJob): JobOutcome => {
    const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
    const now = clock();
    if (e.code === SlackErrorCode.RateLimitedError) {
      return { deferAll: now + (e.retryAfter ?? 1) * 1000, error: `rate limited for ${e.retryAfter ?? 1}s` };
    }
    if (e.code === SlackErrorCode.PlatformError) {
      const slackError = e.data?.error ?? 'unknown_error';
      if (!RETRYABLE.has(slackError)) return { failed: slackError };
      return { retryAt: now + backoff(job.attempts + 1), error: slackError };
    }
    return { retryAt: now + backoff(job.attempts + 1), error: e.message ?? String(error) };
  };

  return createOutboxWorker({
    store,
    clock,
    logger,
    channel: SLACK_CHANNEL,
    peer: 'Slack',
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
    handle: deliver,
    async fail(job, error) {
      await store.outbox.fail(job.id, error);
      logger.error(
        { incident: job.incidentId, error },
        `Slack refused the message for incident ${job.incidentId} (${error}); it will not be retried. Check slack.channel and the bot's scopes and channel membership.`,
      );
    },
  });
}
