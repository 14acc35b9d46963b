// The Bolt app, over Socket Mode (no public URL) or signed HTTP. It only translates Slack payloads into commands
// (app/commands.ts: authorised there, answered with typed outcomes) and renders the outcomes in Slack's words.
import { App, HTTPReceiver } from '@slack/bolt';
import { LogLevel } from '@slack/web-api';
import type { ActionCatalog } from '../../actions/action-catalog.js';
import { formatDuration, parseDuration } from '../../config/duration.js';
import type { SourceConfig } from '../../config/schema.js';
import type { Actor, Commands, EscalateOutcome, Refusal, RespondOutcome } from '../../core/commands.js';
import type { Logger } from '../../core/logger.js';
import type { Clock } from '../../core/types.js';
import type { OnCall } from '../../escalation/oncall-schedule.js';
import { createQueryPool, type QueryLimits } from '../../queries/query-pool.js';
import { INCIDENT_ACTIONS, RESPONSE_ACTION_PREFIX, UNDO_ACTION_PREFIX } from './blocks.js';
import { answerLogsQuery } from './logs-command.js';
import { parseLogsQuery } from './logs-query.js';
import { listenSigned } from './signed-http-listener.js';

/** How Slack reaches logwarden: a Socket Mode connection (no public URL) or signed HTTP requests to a port. */

/** The letter a response button's value carries for what its dialog confirmed. */
const CLICK_MODES = { r: 'request', a: 'approve', t: 'retry' } as const;

export type SlackTransport =
  | { mode: 'socket'; appToken: string }
  | { mode: 'http'; signingSecret: string; port: number; host: string };

export interface SlackAppOptions {
  botToken: string;
  transport: SlackTransport;
  apiUrl: string;
  botId: string;
  botUserId: string;
  sources: readonly SourceConfig[];
  /** The response actions, for the roles allowed to run each. */
  actions: ActionCatalog;
  /** The sources each rule reads, so /logs shows a role's silences only for its sources. */
  ruleSources: ReadonlyMap<string, readonly string[]>;
  /** Budgets for /logs searches and tails. */
  queries: QueryLimits;
  /** How long (ms) a user group's members, once looked up, are trusted. */
  groupCacheTtl: number;
}

export interface SlackAppDeps {
  logger: Logger;
  /** What people may ask, authorised and answered by the app. */
  commands: Commands;
  /** Who is on call now and next, when a schedule is configured. */
  oncall?(): OnCall;
  clock: Clock;
}

const askRoles = (allowed: readonly string[]) =>
  `Ask whoever runs logwarden to add you to one of these roles: ${allowed.join(', ')}.`;

/** A refusal in Slack's words: which roles would do, or that the groups could not be checked. */
function renderRefusal(refusal: Refusal, notAllowed: string): string {
  return refusal.reason === 'lookup-failed'
    ? 'Could not check your Slack user groups just now, so nothing was done. Try again in a minute.'
    : `${notAllowed} ${askRoles(refusal.allowed)}`;
}

function renderEscalation(outcome: EscalateOutcome): string {
  switch (outcome.outcome) {
    case 'refused':
      return renderRefusal(outcome, 'You are not allowed to escalate incidents.');
    case 'not-configured':
      return 'Escalation is not configured: add escalation: to the config.';
    case 'no-incident':
      return `Incident #${outcome.incidentId} does not exist.`;
    case 'nobody':
      return 'There is nobody to escalate to: add escalation.oncall (or a policy for this severity) to the config.';
    case 'already':
      return `Incident #${outcome.incidentId} was escalated ${formatDuration(outcome.agoMs)} ago by <@${outcome.by}>; no second mail. Press again after ${formatDuration(outcome.quietMs)} to mail once more.`;
    case 'queued':
      return `Escalation mail queued for ${outcome.to.join(', ')}.`;
  }
}

export async function startSlackApp(options: SlackAppOptions, deps: SlackAppDeps): Promise<{ stop(): Promise<void> }> {
  const { transport } = options;
  const receiver =
    transport.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: transport.signingSecret,
          endpoints: '/slack/events',
          logLevel: LogLevel.ERROR,
        })
      : undefined;
  const app = new App({
    token: options.botToken,
    ...(transport.mode === 'socket' ? { appToken: transport.appToken, socketMode: true } : { receiver }),
    // Known from auth.test already: no background call that could outlive a stop.
    botId: options.botId,
    botUserId: options.botUserId,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: options.apiUrl, retryConfig: { retries: 2, factor: 1, minTimeout: 200 } },
  });
  const queries = createQueryPool(options.queries);

  // Members of each user group a role names, looked up when first needed and trusted for groupCacheTtl; one lookup
  // per group at a time, however many clicks wait on it. A failed lookup is not kept: the next click asks again.
  const groupCache = new Map<string, { at: number; members: readonly string[] }>();
  const lookups = new Map<string, Promise<readonly string[]>>();
  const membersOf = (group: string): Promise<readonly string[]> => {
    const cached = groupCache.get(group);
    if (cached && deps.clock() - cached.at < options.groupCacheTtl) return Promise.resolve(cached.members);
    let lookup = lookups.get(group);
    if (!lookup) {
      lookup = app.client.usergroups.users
        .list({ usergroup: group })
        .then((answer) => {
          const members = answer.users ?? [];
          groupCache.set(group, { at: deps.clock(), members });
          return members;
        })
        .finally(() => lookups.delete(group));
      lookups.set(group, lookup);
    }
    return lookup;
  };

  // The user as the app sees them: their Slack id, and which of some user groups they are in (asked of Slack only
  // when a role needs it; a failed lookup rejects, and the app refuses).
  const actorOf = (user: string): Actor => ({
    platform: 'slack',
    id: user,
    async memberOf(groups) {
      const found: string[] = [];
      for (const group of groups) if ((await membersOf(group)).includes(user)) found.push(group);
      return found;
    },
  });
  const { commands } = deps;

  for (const decision of ['acknowledge', 'resolve', 'snooze', 'false-positive'] as const) {
    app.action(INCIDENT_ACTIONS[decision], async ({ ack, body, action, client }) => {
      await ack();
      const user = body.user.id;
      // Buttons carry "42"; the snooze menu carries "42:4h".
      const a = action as { value?: string; selected_option?: { value?: string } };
      const [idText, duration] = (a.selected_option?.value ?? a.value ?? '').split(':');
      const incidentId = Number(idText);
      const snoozeFor = duration ? parseDuration(duration) : undefined;
      const channel = body.channel?.id;
      if (!Number.isInteger(incidentId) || (decision === 'snooze' && snoozeFor === undefined)) return;
      const verb = decision === 'false-positive' ? 'mark false positives on' : decision;
      const outcome = await commands.decide(actorOf(user), decision, incidentId, snoozeFor);
      if (outcome.outcome === 'refused' && channel) {
        const text = renderRefusal(outcome, `You are not allowed to ${verb} incidents.`);
        await client.chat.postEphemeral({ channel, user, text });
      }
    });
  }

  app.action(INCIDENT_ACTIONS.escalate, async ({ ack, body, action, respond }) => {
    await ack();
    const user = body.user.id;
    const incidentId = Number((action as { value?: string }).value);
    if (!Number.isInteger(incidentId)) return;
    const text = renderEscalation(await commands.escalate(actorOf(user), incidentId));
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  });

  // Response actions and their undo: the action's roles decide who may press; the store makes each attempt run once.
  for (const [prefix, verb] of [
    [RESPONSE_ACTION_PREFIX, 'run'],
    [UNDO_ACTION_PREFIX, 'undo'],
  ] as const) {
    app.action(new RegExp(`^${prefix}`), async ({ ack, body, action, respond }) => {
      await ack();
      const a = action as { action_id?: string; value?: string };
      const actionId = (a.action_id ?? '').slice(prefix.length);
      // "42:1:r:<fingerprint>": incident 42, attempt 1, a request of what the dialog showed (a: an approval, t: a retry
      // on a fleet run's failed hosts; undo: "42:1").
      const [incidentText, attemptText = '1', mode, fingerprint] = (a.value ?? '').split(':');
      const click = {
        incidentId: Number(incidentText),
        actionId,
        attempt: Number(attemptText),
        ...(mode && mode in CLICK_MODES && fingerprint
          ? { confirmed: { mode: CLICK_MODES[mode as keyof typeof CLICK_MODES], fingerprint } }
          : {}),
      };
      if (!Number.isInteger(click.incidentId) || !Number.isInteger(click.attempt) || click.attempt < 1) return;
      const actor = actorOf(body.user.id);
      const outcome = await (verb === 'run' ? commands.respond(actor, click) : commands.undo(actor, click));
      const text = renderResponse(outcome, verb, options.actions.get(actionId)?.label ?? actionId);
      if (text) await respond({ response_type: 'ephemeral', replace_original: false, text });
    });
  }

  app.command('/logs', async ({ ack, command, respond }) => {
    await ack();
    const user = command.user_id;
    const query = parseLogsQuery(command.text ?? '');
    const actor = actorOf(user);
    const access = await commands.openLogs(actor, query.kind);
    if (access.outcome === 'refused') {
      await respond({ response_type: 'ephemeral', text: renderRefusal(access, 'You are not allowed to use /logs.') });
      return;
    }
    const reply = await answerLogsQuery(query, {
      user,
      sources: options.sources.filter((s) => access.sources.includes(s.id)),
      ruleSources: options.ruleSources,
      queries,
      readIncidents: () => commands.readIncidents(),
      readSilences: () => commands.readSilences(),
      readBaseline: (subject: string) => commands.readBaseline(subject),
      readLearning: () => commands.readLearning(),
      readSenders: () => commands.readSenders(),
      ...(access.mayLift
        ? {
            liftSilence: (id: number) => commands.liftSilence(actor, id),
            unlearn: (id: number) => commands.unlearn(actor, id),
          }
        : {}),
      ...(deps.oncall ? { oncall: deps.oncall } : {}),
      now: deps.clock(),
    });
    await respond({ response_type: 'ephemeral', text: reply.text, blocks: reply.blocks as never });
  });

  app.error(async (error) => {
    deps.logger.error({ err: error.message }, 'a Slack listener failed');
  });
  if (transport.mode === 'http' && receiver) {
    const server = await listenSigned(receiver, transport, deps.clock).catch(async (error: unknown) => {
      await queries.stop();
      throw error;
    });
    deps.logger.info({ port: transport.port }, 'listening to Slack (HTTP)');
    return {
      async stop() {
        await queries.stop();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }
  try {
    await app.start();
  } catch (error) {
    // Not connected: nothing may stay behind (a half-open socket client would retry on its own, unseen).
    await app.stop().catch(() => undefined);
    await queries.stop();
    throw error;
  }
  deps.logger.info({}, 'listening to Slack (Socket Mode)');
  return {
    async stop() {
      await queries.stop();
      await app.stop();
    },
  };
}

/** What a response action's click came to, in Slack's words; undefined when there is nothing to say. */
function renderResponse(outcome: RespondOutcome, verb: 'run' | 'undo', label: string): string | undefined {
  switch (outcome.outcome) {
    case 'refused':
      return renderRefusal(outcome, `You are not allowed to ${verb} ${label}.`);
    case 'no-such-action':
      return `There is no response action ${outcome.actionId}. Nothing was done.`;
    case 'old-button':
      return 'This button is from an older message; use the buttons on the updated message. Nothing was run.';
    case 'answered':
      return outcome.text;
  }
}
