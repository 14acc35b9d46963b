// The Bolt app, over Socket Mode (no public URL) or signed HTTP. It only translates Slack payloads into calls on
// logwarden and back; what a click does lives in main.ts and the store.
import { App, HTTPReceiver } from '@slack/bolt';
import { LogLevel } from '@slack/web-api';
import type { ActionCatalog } from '../actions/action-catalog.js';
import type { ActionClick } from '../actions/responder.js';
import { parseDuration } from '../config/duration.js';
import type { SourceConfig } from '../config/schema.js';
import type { Logger } from '../core/logger.js';
import type { Clock, Decision, Incident, SilenceRow } from '../core/types.js';
import type { OnCall } from '../escalation/oncall-schedule.js';
import { createQueryPool, type QueryLimits } from '../queries/query-pool.js';
import { type Roles, rolesGranting } from './authorize.js';
import { answerLogsQuery } from './logs-command.js';
import { parseLogsQuery } from './logs-query.js';
import { INCIDENT_ACTIONS, RESPONSE_ACTION_PREFIX, UNDO_ACTION_PREFIX } from './render-incident.js';
import { listenSigned } from './signed-http-listener.js';

/** How Slack reaches logwarden: a Socket Mode connection (no public URL) or signed HTTP requests to a port. */
export type SlackTransport =
  | { mode: 'socket'; appToken: string }
  | { mode: 'http'; signingSecret: string; port: number; host: string };

export interface SlackAppOptions {
  botToken: string;
  transport: SlackTransport;
  apiUrl: string;
  botId: string;
  botUserId: string;
  roles: Roles;
  allow: Record<'acknowledge' | 'resolve' | 'snooze' | 'falsePositive' | 'logs' | 'escalate', readonly string[]>;
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
  decide(decision: Decision, incidentId: number, actor: string, snoozeFor?: number): boolean;
  audit(entry: { actor: string; action: string; incidentId?: number; data: Record<string, unknown> }): void;
  readIncidents(): Incident[];
  readSilences(): SilenceRow[];
  liftSilence(id: number, actor: string): boolean;
  respond(click: ActionClick): Promise<string | undefined>;
  undo(click: ActionClick): Promise<string | undefined>;
  escalate(incidentId: number, actor: string): string;
  /** Who is on call now and next, when a schedule is configured. */
  oncall?(): OnCall;
  clock: Clock;
}

/** Who holds a role, as far as could be checked; `failed` when a user-group lookup failed (nobody is let in). */
type RoleCheck = { granted: string[] } | { failed: string };

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

  // Roles that name the user are enough (no lookup); only the groups of the allowed roles are looked up, and any
  // failure refuses: authorisation fails closed.
  const checkRoles = async (user: string, allowed: readonly string[]): Promise<RoleCheck> => {
    const direct = rolesGranting(user, [], options.roles, allowed);
    if (direct.length > 0) return { granted: direct };
    const groups = [...new Set(allowed.flatMap((name) => options.roles[name]?.groups ?? []))];
    try {
      const memberOf: string[] = [];
      for (const group of groups) if ((await membersOf(group)).includes(user)) memberOf.push(group);
      return { granted: rolesGranting(user, memberOf, options.roles, allowed) };
    } catch (error) {
      const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
      deps.logger.warn({ err: reason }, 'a Slack user-group lookup failed: the click is refused');
      return { failed: String(reason).slice(0, 200) };
    }
  };

  /**
   * The roles (of those allowed) the user holds, or undefined after refusing: the refusal is audited and answered,
   * saying which roles would do, or that the groups could not be checked.
   */
  const authorize = async (
    user: string,
    allowed: readonly string[],
    refusal: { action: string; incidentId?: number; data?: Record<string, unknown>; notAllowed: string },
    answer: (text: string) => Promise<unknown>,
  ): Promise<string[] | undefined> => {
    const check = await checkRoles(user, allowed);
    if ('granted' in check && check.granted.length > 0) return check.granted;
    const failed = 'failed' in check ? check.failed : undefined;
    deps.audit({
      actor: user,
      action: refusal.action,
      ...(refusal.incidentId === undefined ? {} : { incidentId: refusal.incidentId }),
      data: {
        ...refusal.data,
        refused: true,
        allowed,
        ...(failed ? { reason: 'group lookup failed', error: failed } : {}),
      },
    });
    await answer(
      failed
        ? 'Could not check your Slack user groups just now, so nothing was done. Try again in a minute.'
        : refusal.notAllowed,
    );
    return undefined;
  };
  const askRoles = (allowed: readonly string[]) =>
    `Ask whoever runs logwarden to add you to one of these roles: ${allowed.join(', ')}.`;

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
      const allowed = options.allow[decision === 'false-positive' ? 'falsePositive' : decision];
      const verb = decision === 'false-positive' ? 'mark false positives on' : decision;
      const granted = await authorize(
        user,
        allowed,
        {
          action: `incident:${decision}`,
          incidentId,
          notAllowed: `You are not allowed to ${verb} incidents. ${askRoles(allowed)}`,
        },
        async (text) => {
          if (channel) await client.chat.postEphemeral({ channel, user, text });
        },
      );
      if (!granted) return;
      deps.decide(decision, incidentId, user, snoozeFor);
    });
  }

  app.action(INCIDENT_ACTIONS.escalate, async ({ ack, body, action, respond }) => {
    await ack();
    const user = body.user.id;
    const incidentId = Number((action as { value?: string }).value);
    if (!Number.isInteger(incidentId)) return;
    const reply = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const allowed = options.allow.escalate;
    const granted = await authorize(
      user,
      allowed,
      {
        action: 'incident:escalate',
        incidentId,
        notAllowed: `You are not allowed to escalate incidents. ${askRoles(allowed)}`,
      },
      reply,
    );
    if (!granted) return;
    await reply(deps.escalate(incidentId, user));
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
      // "42:1:r:<fingerprint>": incident 42, attempt 1, a request of what the dialog showed (undo: "42:1").
      const [incidentText, attemptText = '1', mode, fingerprint] = (a.value ?? '').split(':');
      const click: ActionClick = {
        incidentId: Number(incidentText),
        actionId,
        attempt: Number(attemptText),
        actor: body.user.id,
        ...((mode === 'r' || mode === 'a') && fingerprint
          ? { confirmed: { mode: mode === 'r' ? 'request' : 'approve', fingerprint } }
          : {}),
      };
      if (!Number.isInteger(click.incidentId) || !Number.isInteger(click.attempt) || click.attempt < 1) return;
      const reply = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
      // A run button without what its dialog showed is from a message drawn by an older version: nothing to hold it to.
      if (verb === 'run' && !click.confirmed) {
        await reply('This button is from an older message; use the buttons on the updated message. Nothing was run.');
        return;
      }
      const allowed = options.actions.get(actionId)?.roles ?? [];
      const granted = await authorize(
        click.actor,
        allowed,
        {
          action: verb === 'run' ? 'action:refused' : 'action:undo-refused',
          incidentId: click.incidentId,
          data: { action: actionId.slice(0, 64), attempt: click.attempt, reason: 'not in its roles' },
          notAllowed:
            allowed.length === 0
              ? `There is no response action ${actionId.slice(0, 64)}. Nothing was done.`
              : `You are not allowed to ${verb} ${options.actions.get(actionId)?.label ?? actionId}. ${askRoles(allowed)}`,
        },
        reply,
      );
      if (!granted) return;
      const answer = await (verb === 'run' ? deps.respond(click) : deps.undo(click));
      if (answer) await reply(answer);
    });
  }

  app.command('/logs', async ({ ack, command, respond }) => {
    await ack();
    const user = command.user_id;
    const query = parseLogsQuery(command.text ?? '');
    const answer = (text: string) => respond({ response_type: 'ephemeral', text });
    const allowed = options.allow.logs;
    const granted = await authorize(
      user,
      allowed,
      {
        action: 'logs:query',
        data: { query: query.kind },
        notAllowed: `You are not allowed to use /logs. ${askRoles(allowed)}`,
      },
      answer,
    );
    if (!granted) return;
    deps.audit({ actor: user, action: 'logs:query', data: { query: query.kind, refused: false } });
    // A role limited to some sources sees only those; any unlimited role sees all.
    const limits = granted.map((r) => options.roles[r]?.sources);
    const sources = limits.some((l) => l === undefined)
      ? options.sources
      : options.sources.filter((s) => limits.some((l) => l?.includes(s.id)));
    const lift = await checkRoles(user, options.allow.falsePositive);
    const mayLift = 'granted' in lift && lift.granted.length > 0;
    const reply = await answerLogsQuery(query, {
      user,
      sources,
      ruleSources: options.ruleSources,
      queries,
      readIncidents: deps.readIncidents,
      readSilences: () => deps.readSilences(),
      ...(mayLift ? { liftSilence: (id: number) => deps.liftSilence(id, user) } : {}),
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
