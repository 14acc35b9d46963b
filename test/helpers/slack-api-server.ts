// A Slack-compatible Web API on 127.0.0.1 for the real @slack/web-api client: it answers the methods logwarden
// uses, records every call, and can be told to fail the next calls (429 with Retry-After, 5xx, ok:false).
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

export interface SlackApiServer {
  /** The base URL to give clients as slackApiUrl. */
  url: string;
  calls: SlackCall[];
  /** Answers the next calls of method with these responses, in order, before answering normally again. */
  failNext(method: string, ...responses: ScriptedResponse[]): void;
  callsOf(method: string): SlackCall[];
  /** User-group members for usergroups.users.list. */
  groups: Map<string, string[]>;
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

export async function startSlackApi(token = 'xoxb-test', appToken = 'xapp-test'): Promise<SlackApiServer> {
  const calls: SlackCall[] = [];
  const groups = new Map<string, string[]>();
  const sockets = new Set<WebSocket>();
  const acks = new Map<string, ((payload: unknown) => void)[]>();
  let greeted: (() => void) | undefined;
  let greetedPromise = new Promise<void>((r) => {
    greeted = r;
  });
  let envelopes = 0;
  const scripted = new Map<string, ScriptedResponse[]>();
  let ts = 1_795_000_000_000;
  const answer = (res: ServerResponse, status: number, body: Record<string, unknown>, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
    const params = await readParams(req);
    const auth = req.headers.authorization?.replace(/^Bearer /, '');
    calls.push({ method, token: auth, params, at: Date.now() });
    // respond() posts to the payload's response_url, which tests point here.
    if (method === '/respond') return answer(res, 200, { ok: true });
    const next = scripted.get(method)?.shift();
    if (next) return answer(res, next.status, next.body ?? { ok: false, error: 'scripted' }, next.headers);
    if (method === 'apps.connections.open') {
      if (auth !== appToken) return answer(res, 200, { ok: false, error: 'invalid_auth' });
      const { port } = server.address() as AddressInfo;
      return answer(res, 200, { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=t${calls.length}` });
    }
    if (auth !== token) return answer(res, 200, { ok: false, error: 'invalid_auth' });
    switch (method) {
      case 'usergroups.users.list':
        return answer(res, 200, { ok: true, users: groups.get(String(params.usergroup)) ?? [] });
      case 'chat.postEphemeral':
        return answer(res, 200, { ok: true, message_ts: '1795000000.999999' });
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
        ts += 1;
        const id = `${Math.floor(ts / 1000)}.${String(ts % 1000).padStart(6, '0')}`;
        const channel = String(params.channel).startsWith('#') ? 'C0SECURITY' : params.channel;
        return answer(res, 200, {
          ok: true,
          channel,
          ts: id,
          message: { text: params.text, blocks: params.blocks, ts: id },
        });
      }
      case 'chat.update':
        return answer(res, 200, { ok: true, channel: params.channel, ts: params.ts, text: params.text });
      default:
        return answer(res, 200, { ok: false, error: 'unknown_method' });
    }
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (!message.envelope_id) return;
        for (const resolve of acks.get(message.envelope_id) ?? []) resolve(message.payload ?? null);
        acks.delete(message.envelope_id);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
      greeted?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    groups,
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
      if (!socket) throw new Error('no Socket Mode client is connected');
      // A redelivery waits for an ack like the first delivery does.
      const acked = new Promise<unknown>((resolve) => acks.set(envelopeId, [...(acks.get(envelopeId) ?? []), resolve]));
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, accepts_response_payload: true, payload }));
      return acked;
    },
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    failNext(method, ...responses) {
      scripted.set(method, [...(scripted.get(method) ?? []), ...responses]);
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
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
