// A Slack-compatible workspace on 127.0.0.1: the Web API methods logwarden calls, Socket Mode for the real Bolt app,
// and response_url, keeping what Slack would show — channel messages updated in place, threads, ephemeral replies.
// The demo shows it in a browser; the tests drive it (and can make the next calls fail: 429 with Retry-After, 5xx).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SlackCall {
  method: string;
  token: string | undefined;
  params: Record<string, unknown>;
  at: number;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface SandboxMessage {
  channel: string;
  ts: string;
  /** The message this one replies to, in its thread. */
  threadTs?: string;
  text: string;
  blocks?: unknown[];
  /** How often chat.update changed it. */
  edits: number;
}

/** A reply only one person sees: chat.postEphemeral, or a response_url answer. */
export interface SandboxEphemeral {
  user: string | undefined;
  channel: string | undefined;
  text: string;
  blocks?: unknown[];
  at: number;
}

export interface SlackSandboxOptions {
  token?: string;
  appToken?: string;
  /** The channel #name the bot may post to by name; its id is C0 and the name upper-cased. */
  channelName?: string;
  /** The first message's ts in ms (tests pin it); default now. */
  firstTs?: number;
  port?: number;
}

export interface SlackSandbox {
  /** The base URL to give clients as slackApiUrl. */
  url: string;
  /** The channel logwarden posts to: its id and name. */
  channel: { id: string; name: string };
  calls: SlackCall[];
  callsOf(method: string): SlackCall[];
  messages: SandboxMessage[];
  ephemerals: SandboxEphemeral[];
  /** Called after every change to messages or ephemerals. */
  onChange(listener: () => void): () => void;
  /** Answers the next calls of method with these responses, in order, before answering normally again. */
  failNext(method: string, ...responses: ScriptedResponse[]): void;
  /** User-group members for usergroups.users.list. */
  groups: Map<string, string[]>;
  /** Where response_url answers for this user go. */
  responseUrl(user?: string): string;
  /** Resolves once a Socket Mode client is connected and greeted. */
  connected(): Promise<void>;
  /** Asks the connected client to reconnect, as Slack does every few hours; resolves once it is back. */
  refresh(): Promise<void>;
  /** Sends a Socket Mode envelope (the same id twice is a redelivery) and resolves with the client's ack. */
  send(type: 'interactive' | 'slash_commands', payload: Record<string, unknown>, envelopeId?: string): Promise<unknown>;
  close(): Promise<void>;
}

const NESTED = new Set(['blocks', 'attachments', 'view', 'metadata']);

async function readParams(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) return body ? JSON.parse(body) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) params[key] = NESTED.has(key) ? JSON.parse(value) : value;
  return params;
}

const tsOf = (ms: number) => `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(6, '0')}`;

export async function startSlackSandbox(options: SlackSandboxOptions = {}): Promise<SlackSandbox> {
  const token = options.token ?? 'xoxb-test';
  const appToken = options.appToken ?? 'xapp-test';
  const channel = {
    id: `C0${(options.channelName ?? 'security').toUpperCase()}`,
    name: options.channelName ?? 'security',
  };
  const calls: SlackCall[] = [];
  const messages: SandboxMessage[] = [];
  const ephemerals: SandboxEphemeral[] = [];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  const groups = new Map<string, string[]>();
  const sockets = new Set<WebSocket>();
  const acks = new Map<string, ((payload: unknown) => void)[]>();
  let greeted: (() => void) | undefined;
  let greetedPromise = new Promise<void>((r) => {
    greeted = r;
  });
  let envelopes = 0;
  const scripted = new Map<string, ScriptedResponse[]>();
  let lastTs = options.firstTs ?? Date.now();
  // Slack's ts is the post time in seconds with six digits after the point; each message's is distinct.
  const nextTs = () => {
    lastTs = Math.max(lastTs + 1, options.firstTs === undefined ? Date.now() : 0);
    return tsOf(lastTs);
  };
  const answer = (res: ServerResponse, status: number, body: Record<string, unknown>, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const resolveChannel = (value: unknown) =>
    value === `#${channel.name}` || value === channel.name ? channel.id : String(value);
  const blocksOf = (params: Record<string, unknown>) =>
    Array.isArray(params.blocks) ? { blocks: params.blocks as unknown[] } : {};

  // Whoever else runs on this machine can reach these ports: the tokens, the response_url key and the Socket Mode
  // tickets are random per run (tests pass fixed tokens), and no request, however malformed, stops the server.
  const respondKey = randomBytes(16).toString('hex');
  const tickets = new Set<string>();
  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) answer(res, 400, { ok: false, error: 'invalid_request' });
      else res.end();
    });
  });
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const [path = '', query = ''] = (req.url ?? '').split('?');
    const method = path.replace(/^\/api\//, '');
    const params = await readParams(req);
    const auth = req.headers.authorization?.replace(/^Bearer /, '');
    calls.push({ method, token: auth, params, at: Date.now() });
    if (method === '/respond') {
      const to = new URLSearchParams(query);
      if (to.get('key') !== respondKey) return answer(res, 403, { ok: false, error: 'invalid_response_url' });
      ephemerals.push({
        user: to.get('user') ?? undefined,
        channel: to.get('channel') ?? undefined,
        text: String(params.text ?? ''),
        ...blocksOf(params),
        at: Date.now(),
      });
      changed();
      return answer(res, 200, { ok: true });
    }
    const next = scripted.get(method)?.shift();
    if (next) return answer(res, next.status, next.body ?? { ok: false, error: 'scripted' }, next.headers);
    if (method === 'apps.connections.open') {
      if (auth !== appToken) return answer(res, 200, { ok: false, error: 'invalid_auth' });
      const { port } = server.address() as AddressInfo;
      const ticket = randomBytes(16).toString('hex');
      tickets.add(ticket);
      return answer(res, 200, { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=${ticket}` });
    }
    if (auth !== token) return answer(res, 200, { ok: false, error: 'invalid_auth' });
    switch (method) {
      case 'usergroups.users.list':
        return answer(res, 200, { ok: true, users: groups.get(String(params.usergroup)) ?? [] });
      case 'chat.postEphemeral': {
        ephemerals.push({
          user: String(params.user),
          channel: resolveChannel(params.channel),
          text: String(params.text ?? ''),
          ...blocksOf(params),
          at: Date.now(),
        });
        changed();
        return answer(res, 200, { ok: true, message_ts: tsOf(Date.now()) });
      }
      case 'auth.test':
        return answer(res, 200, {
          ok: true,
          team_id: 'T1',
          team: 'Test',
          user_id: 'UBOT',
          bot_id: 'BBOT',
          url: 'https://test.slack.com/',
        });
      case 'chat.postMessage': {
        const to = resolveChannel(params.channel);
        if (to !== channel.id) return answer(res, 200, { ok: false, error: 'channel_not_found' });
        const ts = nextTs();
        messages.push({
          channel: to,
          ts,
          ...(params.thread_ts ? { threadTs: String(params.thread_ts) } : {}),
          text: String(params.text ?? ''),
          ...blocksOf(params),
          edits: 0,
        });
        changed();
        return answer(res, 200, {
          ok: true,
          channel: to,
          ts,
          message: { text: params.text, blocks: params.blocks, ts },
        });
      }
      case 'chat.update': {
        const found = messages.find((m) => m.channel === params.channel && m.ts === params.ts);
        if (found) {
          found.text = String(params.text ?? found.text);
          if (Array.isArray(params.blocks)) found.blocks = params.blocks;
          found.edits += 1;
          changed();
        }
        return answer(res, 200, { ok: true, channel: params.channel, ts: params.ts, text: params.text });
      }
      default:
        return answer(res, 200, { ok: false, error: 'unknown_method' });
    }
  };
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    // Only a client that asked apps.connections.open with the app token gets a ticket; each is good once.
    const ticket = new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get('ticket') ?? '';
    if (!tickets.delete(ticket)) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        let message: { envelope_id?: string; payload?: unknown };
        try {
          message = JSON.parse(String(data)) as typeof message;
        } catch {
          return;
        }
        if (!message?.envelope_id) return;
        for (const resolve of acks.get(message.envelope_id) ?? []) resolve(message.payload ?? null);
        acks.delete(message.envelope_id);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
      greeted?.();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    channel,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    messages,
    ephemerals,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    failNext(method, ...responses) {
      scripted.set(method, [...(scripted.get(method) ?? []), ...responses]);
    },
    groups,
    responseUrl(user) {
      const query = new URLSearchParams({ channel: channel.id, ...(user ? { user } : {}), key: respondKey });
      return `http://127.0.0.1:${port}/respond?${query}`;
    },
    connected: () => greetedPromise,
    async refresh() {
      const before = [...sockets];
      greetedPromise = new Promise<void>((r) => {
        greeted = r;
      });
      for (const ws of before) ws.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' }));
      await greetedPromise;
    },
    send(type, payload, envelopeId = `e${++envelopes}`) {
      const socket = [...sockets].filter((ws) => ws.readyState === ws.OPEN).at(-1);
      if (!socket) return Promise.reject(new Error('no Socket Mode client is connected'));
      // A redelivery waits for an ack like the first delivery does.
      const acked = new Promise<unknown>((resolve) => acks.set(envelopeId, [...(acks.get(envelopeId) ?? []), resolve]));
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, accepts_response_payload: true, payload }));
      return acked;
    },
    close: async () => {
      // Let clients close their sockets first, or socket-mode leaves a 30-second timer behind.
      await Promise.all(
        [...sockets].map(
          (ws) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => {
                ws.terminate();
                resolve();
              }, 500);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              ws.close();
            }),
        ),
      );
      greetedPromise = new Promise<void>((r) => {
        greeted = r;
      });
      wss.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** A button or select click on a message, as Slack sends it over Socket Mode (block_actions). */
export function createClickPayload(
  sandbox: Pick<SlackSandbox, 'channel' | 'responseUrl'>,
  user: { id: string; name: string },
  message: Pick<SandboxMessage, 'ts' | 'text' | 'blocks'>,
  action: { actionId: string; blockId: string; value?: string; selected?: string },
  actionTs = `${Date.now() / 1000}`,
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: user.id, name: user.name },
    team: { id: 'T1' },
    channel: { id: sandbox.channel.id },
    container: { type: 'message', message_ts: message.ts, channel_id: sandbox.channel.id },
    message: { ts: message.ts, text: message.text, blocks: message.blocks },
    response_url: sandbox.responseUrl(user.id),
    trigger_id: 'trigger',
    actions: [
      action.selected === undefined
        ? {
            action_id: action.actionId,
            block_id: action.blockId,
            value: action.value,
            type: 'button',
            action_ts: actionTs,
          }
        : {
            action_id: action.actionId,
            block_id: action.blockId,
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: action.selected }, value: action.selected },
            action_ts: actionTs,
          },
    ],
  };
}

/** A slash command typed in the channel, as Slack sends it over Socket Mode. */
export function createCommandPayload(
  sandbox: Pick<SlackSandbox, 'channel' | 'responseUrl'>,
  user: { id: string; name: string },
  command: string,
  text: string,
): Record<string, unknown> {
  return {
    command,
    text,
    user_id: user.id,
    user_name: user.name,
    channel_id: sandbox.channel.id,
    team_id: 'T1',
    response_url: sandbox.responseUrl(user.id),
    trigger_id: 'trigger',
  };
}
