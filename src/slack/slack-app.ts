// The Bolt app, over Socket Mode (no public URL) or signed HTTP. It only translates Slack payloads into calls on
// logwarden and back; what a click does lives in main.ts and the store.
import { createServer, type Server } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import { LogLevel } from '@slack/web-api';
import type { ActionCatalog } from '../actions/action-catalog.js';
import type { ActionClick } from '../actions/responder.js';
import { parseDuration } from '../config/duration.js';
import type { SourceConfig } from '../config/schema.js';
import type { Clock, Incident } from '../core/types.js';
import type { OnCall } from '../escalation/oncall-schedule.js';
import type { Logger } from '../main.js';
import type { Decision, SilenceRow } from '../store/sqlite-store.js';
import { groupsNamedBy, type Roles, rolesGranting } from './authorize.js';
import { answerLogsQuery } from './logs-command.js';
import { parseLogsQuery } from './logs-query.js';
import { INCIDENT_ACTIONS, RESPONSE_ACTION_PREFIX, UNDO_ACTION_PREFIX } from './render-incident.js';

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

const GROUP_CACHE_MS = 5 * 60_000;

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

  // Members of the user groups roles name, fetched at most every five minutes.
  let groups: { at: number; members: Map<string, string[]> } | undefined;
  const groupsOf = async (user: string): Promise<string[]> => {
    const named = groupsNamedBy(options.roles);
    if (named.length === 0) return [];
    if (!groups || deps.clock() - groups.at > GROUP_CACHE_MS) {
      const members = new Map<string, string[]>();
      for (const group of named) {
        const answer = await app.client.usergroups.users.list({ usergroup: group });
        members.set(group, answer.users ?? []);
      }
      groups = { at: deps.clock(), members };
    }
    return named.filter((g) => groups?.members.get(g)?.includes(user));
  };

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
      const granted = rolesGranting(user, await groupsOf(user), options.roles, allowed);
      if (granted.length === 0) {
        deps.audit({ actor: user, action: `incident:${decision}`, incidentId, data: { refused: true, allowed } });
        if (channel) {
          await client.chat.postEphemeral({
            channel,
            user,
            text: `You are not allowed to ${decision === 'false-positive' ? 'mark false positives on' : decision} incidents. Ask whoever runs logwarden to add you to one of these roles: ${allowed.join(', ')}.`,
          });
        }
        return;
      }
      deps.decide(decision, incidentId, user, snoozeFor);
    });
  }

  app.action(INCIDENT_ACTIONS.escalate, async ({ ack, body, action, respond }) => {
    await ack();
    const user = body.user.id;
    const incidentId = Number((action as { value?: string }).value);
    if (!Number.isInteger(incidentId)) return;
    const granted = rolesGranting(user, await groupsOf(user), options.roles, options.allow.escalate);
    const reply = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    if (granted.length === 0) {
      deps.audit({
        actor: user,
        action: 'incident:escalate',
        incidentId,
        data: { refused: true, allowed: options.allow.escalate },
      });
      await reply(
        `You are not allowed to escalate incidents. Ask whoever runs logwarden to add you to one of these roles: ${options.allow.escalate.join(', ')}.`,
      );
      return;
    }
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
      const granted = rolesGranting(click.actor, await groupsOf(click.actor), options.roles, allowed);
      if (granted.length === 0) {
        deps.audit({
          actor: click.actor,
          action: verb === 'run' ? 'action:refused' : 'action:undo-refused',
          incidentId: click.incidentId,
          data: { action: actionId.slice(0, 64), attempt: click.attempt, reason: 'not in its roles', allowed },
        });
        await reply(
          allowed.length === 0
            ? `There is no response action ${actionId.slice(0, 64)}. Nothing was done.`
            : `You are not allowed to ${verb} ${options.actions.get(actionId)?.label ?? actionId}. Ask whoever runs logwarden to add you to one of these roles: ${allowed.join(', ')}.`,
        );
        return;
      }
      const answer = await (verb === 'run' ? deps.respond(click) : deps.undo(click));
      if (answer) await reply(answer);
    });
  }

  app.command('/logs', async ({ ack, command, respond }) => {
    await ack();
    const user = command.user_id;
    const granted = rolesGranting(user, await groupsOf(user), options.roles, options.allow.logs);
    const query = parseLogsQuery(command.text ?? '');
    deps.audit({ actor: user, action: 'logs:query', data: { query: query.kind, refused: granted.length === 0 } });
    if (granted.length === 0) {
      await respond({
        response_type: 'ephemeral',
        text: `You are not allowed to use /logs. Ask whoever runs logwarden to add you to one of these roles: ${options.allow.logs.join(', ')}.`,
      });
      return;
    }
    // A role limited to some sources sees only those; any unlimited role sees all.
    const limits = granted.map((r) => options.roles[r]?.sources);
    const sources = limits.some((l) => l === undefined)
      ? options.sources
      : options.sources.filter((s) => limits.some((l) => l?.includes(s.id)));
    const mayLift = rolesGranting(user, await groupsOf(user), options.roles, options.allow.falsePositive).length > 0;
    const answer = await answerLogsQuery(query, {
      sources,
      readIncidents: deps.readIncidents,
      readSilences: () => deps.readSilences(),
      ...(mayLift ? { liftSilence: (id: number) => deps.liftSilence(id, user) } : {}),
      ...(deps.oncall ? { oncall: deps.oncall } : {}),
      now: deps.clock(),
    });
    await respond({ response_type: 'ephemeral', text: answer.text, blocks: answer.blocks as never });
  });

  app.error(async (error) => {
    deps.logger.error({ err: error.message }, 'a Slack listener failed');
  });
  if (transport.mode === 'http' && receiver) {
    const server = await listenSigned(receiver, transport, deps.clock);
    deps.logger.info({ port: transport.port }, 'listening to Slack (HTTP)');
    return {
      async stop() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }
  await app.start();
  deps.logger.info({}, 'listening to Slack (Socket Mode)');
  return {
    async stop() {
      await app.stop();
    },
  };
}

const MAX_SKEW_SECONDS = 5 * 60;

// Bolt checks the signature and refuses stale timestamps, but accepts ones from the future, which would let a
// captured request be replayed later. This server refuses both before Bolt sees the request.
async function listenSigned(
  receiver: InstanceType<typeof HTTPReceiver>,
  transport: Extract<SlackTransport, { mode: 'http' }>,
  clock: Clock,
): Promise<Server> {
  const server = createServer((req, res) => {
    const stamp = Number(req.headers['x-slack-request-timestamp']);
    if (!Number.isFinite(stamp) || Math.abs(clock() / 1000 - stamp) > MAX_SKEW_SECONDS) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('request timestamp missing or more than 5 minutes off');
      return;
    }
    receiver.requestListener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(transport.port, transport.host, () => resolve());
  });
  return server;
}
