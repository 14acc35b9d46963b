// Builds the Slack side of `logwarden run` from the config's slack: slice and the environment: a Web API client
// whose own retries are off (the outbox retries, and honours Retry-After), checked with auth.test at start-up so a
// bad token is an error at once rather than a silent outbox.

import { LogLevel, WebClient } from '@slack/web-api';
import type { ActionCatalog } from '../../actions/action-catalog.js';
import { type SlackAppDeps, type SlackTransport, startSlackApp } from '../../chat/slack/slack-app.js';
import { readSlackEnv } from '../../config/env.js';
import type { Config, EscalationConfig } from '../../config/schema.js';
import type { Allow, Commands } from '../../core/commands.js';
import { SlackAuthFailedError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { systemTimers, type Timer, type Timers } from '../../core/timers.js';
import type { Clock, Incident } from '../../core/types.js';
import { whoIsOnCall } from '../../escalation/oncall-schedule.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { QueryLimits } from '../../queries/query-pool.js';
import type { Store } from '../../store/ports.js';
import { renderSlackPermalink } from './permalink.js';
import { createSlackDelivery, SLACK_CHANNEL, type SlackDelivery } from './slack-delivery.js';

export interface SlackConnection {
  delivery: SlackDelivery;
  /** The link to an incident's message, once it is posted (and Slack told its workspace URL). */
  permalinkOf(incidentId: number): Promise<string | undefined>;
  /** Which roles may press what, and use /logs (slack.allow). */
  allow: Allow;
  /** Starts listening for clicks and /logs (Socket Mode or HTTP), when the token or secret for it is set. */
  listen(commands: Commands): Promise<{ stop(): Promise<void> } | undefined>;
  /** Posts a line of plain text to a channel (the audit anchor); rejects when Slack does. */
  postText(channel: string, text: string): Promise<void>;
  /**
   * Whether Slack answers now (auth.test), for /readyz: asked at most once per PROBE_EVERY_MS (the answer is kept
   * meanwhile), and waited for at most PROBE_TIMEOUT_MS.
   */
  probe(): Promise<{ ok: true } | { ok: false; problem: string }>;
}

const PROBE_EVERY_MS = 2000;
const PROBE_TIMEOUT_MS = 3000;

// Answers that mean the token itself is wrong; anything else (Slack unreachable) is left to the outbox's retries.
const BAD_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/** Slack's answer when it says the token is wrong, else undefined. */
function badTokenReason(error: unknown): string | undefined {
  const reason = (error as { data?: { error?: string } }).data?.error;
  return reason && BAD_TOKEN.has(reason) ? reason : undefined;
}

export async function connectSlack(
  config: NonNullable<Config['slack']>,
  sources: Config['sources'],
  deps: {
    store: Store;
    clock: Clock;
    /** How it waits to retry and to give up on a probe (default: the system's timers). */
    timers?: Timers;
    logger: Logger;
    env: NodeJS.ProcessEnv;
    /** The response actions, and which each rule offers as buttons. */
    actions?: { catalog: ActionCatalog; byRule: Readonly<Record<string, readonly string[]>> };
    escalation?: EscalationConfig;
    /** Why an action is not offered on an incident as it is now (a protected value). */
    refusalOf?: (incident: Incident, actionId: string) => string | undefined;
    /** Budgets for /logs queries (the config's queries:). */
    queries: QueryLimits;
    /** The rules, for the sources each reads. */
    rules: readonly { id: string; sources: readonly string[] }[];
    /** Slack rejected the token while reconnecting: the process cannot go on (exits 2). */
    onFatal?: (error: SlackAuthFailedError) => void;
    /** Waits between tries to reach Slack (ms), doubling from the first to the last. */
    retry?: { first: number; last: number };
    metrics?: Metrics;
  },
): Promise<SlackConnection> {
  const logger = deps.logger.child({ component: 'slack' });
  const timers = deps.timers ?? systemTimers;
  const catalog: ActionCatalog = deps.actions?.catalog ?? new Map();
  const ruleActions = Object.fromEntries(
    Object.entries(deps.actions?.byRule ?? {}).map(([rule, ids]) => [rule, ids.flatMap((id) => catalog.get(id) ?? [])]),
  );
  const env = readSlackEnv(deps.env);
  if (!env.botToken) throw new SlackAuthFailedError('missing');
  const client = new WebClient(env.botToken, {
    slackApiUrl: env.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });
  let bot: { botId: string; botUserId: string } | undefined;
  let workspaceUrl: string | undefined;
  // Who the bot is (Bolt needs it) and the workspace's URL (for permalinks): at start-up, and until Slack answers.
  const identify = async () => {
    const auth = await client.auth.test();
    bot = { botId: auth.bot_id ?? '', botUserId: auth.user_id ?? '' };
    if (auth.url) workspaceUrl = auth.url;
    logger.info({ team: auth.team, bot: auth.user_id }, 'connected to Slack');
    return bot;
  };
  try {
    await identify();
  } catch (error) {
    const reason = badTokenReason(error);
    if (reason) throw new SlackAuthFailedError(reason, { cause: error });
    logger.warn({ err: (error as Error).message }, 'cannot reach Slack; incidents wait in the outbox until it answers');
  }
  const delivery = createSlackDelivery(
    {
      store: deps.store,
      client,
      clock: deps.clock,
      ...(deps.timers ? { timers: deps.timers } : {}),
      logger,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
    },
    {
      channel: config.channel,
      updateInterval: config.updateInterval,
      threadInterval: config.threadInterval,
      ruleActions,
      actionById: (id) => catalog.get(id),
      escalate: deps.escalation !== undefined,
      ...(deps.refusalOf ? { refusalOf: deps.refusalOf } : {}),
      linkOf: (channel, ts) => (workspaceUrl ? renderSlackPermalink(workspaceUrl, channel, ts) : undefined),
    },
  );
  const oncall = deps.escalation?.oncall;
  let probed: { at: number; answer: Promise<{ ok: true } | { ok: false; problem: string }> } | undefined;
  const probeSlack = async (): Promise<{ ok: true } | { ok: false; problem: string }> => {
    let timer: Timer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = timers.after(PROBE_TIMEOUT_MS, () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)));
    });
    try {
      await Promise.race([client.auth.test(), timeout]);
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: `Slack does not answer: ${badTokenReason(error) ?? (error as Error).message}` };
    } finally {
      timer?.cancel();
    }
  };
  return {
    delivery,
    allow: config.allow,
    probe() {
      const now = deps.clock();
      if (!probed || now - probed.at >= PROBE_EVERY_MS) probed = { at: now, answer: probeSlack() };
      return probed.answer;
    },
    async postText(channel, text) {
      await client.chat.postMessage({ channel, text, mrkdwn: false, unfurl_links: false, unfurl_media: false });
    },
    async permalinkOf(incidentId) {
      return (await deps.store.messages.read(SLACK_CHANNEL, incidentId))?.link;
    },
    async listen(commands) {
      const { clock } = deps;
      const appDeps: SlackAppDeps = {
        logger,
        clock,
        commands,
        ...(oncall ? { oncall: () => whoIsOnCall(oncall, clock()) } : {}),
      };
      const needed = config.mode === 'socket' ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET';
      const transport: SlackTransport | undefined =
        config.mode === 'socket'
          ? env.appToken
            ? { mode: 'socket', appToken: env.appToken }
            : undefined
          : env.signingSecret
            ? { mode: 'http', signingSecret: env.signingSecret, port: config.port, host: config.host }
            : undefined;
      if (!transport) {
        logger.warn({}, `${needed} is not set: incidents are posted, but clicks and /logs are not received`);
        return undefined;
      }
      const options = (found: { botId: string; botUserId: string }) => ({
        botToken: env.botToken!,
        transport,
        apiUrl: env.apiUrl,
        ...found,
        sources,
        actions: catalog,
        ruleSources: new Map(deps.rules.map((r) => [r.id, r.sources])),
        queries: deps.queries,
        groupCacheTtl: config.groupCacheTtl,
      });
      // Slack unreachable (at start-up, or its listener cannot connect): tried again with backoff until it answers,
      // so clicks work once it does, without a restart; a token it rejects stops the process (exit 2).
      const retry = deps.retry ?? { first: 1000, last: 60_000 };
      let stopped = false;
      let timer: Timer | undefined;
      let listener: { stop(): Promise<void> } | undefined;
      const attempt = async (wait: number): Promise<void> => {
        try {
          const started = await startSlackApp(options(bot ?? (await identify())), appDeps);
          if (stopped) await started.stop();
          else listener = started;
        } catch (error) {
          const reason = badTokenReason(error);
          if (reason) {
            logger.error({ err: reason }, 'Slack rejected the token');
            deps.onFatal?.(new SlackAuthFailedError(reason, { cause: error }));
            return;
          }
          if (stopped) return;
          logger.warn(
            { err: (error as Error).message, retryInMs: wait },
            'Slack is not reachable: clicks and /logs are not received yet; trying again',
          );
          timer = timers.after(wait, () => void attempt(Math.min(wait * 2, retry.last)));
        }
      };
      await attempt(retry.first);
      return {
        async stop() {
          stopped = true;
          timer?.cancel();
          await listener?.stop();
        },
      };
    },
  };
}
