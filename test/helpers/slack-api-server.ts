// A Slack-compatible Web API on 127.0.0.1 for the real @slack/web-api client: it answers the methods logwarden
// uses, records every call, and can be told to fail the next calls (429 with Retry-After, 5xx, ok:false).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export async function startSlackApi(token = 'xoxb-test'): Promise<SlackApiServer> {
  const calls: SlackCall[] = [];
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
    const next = scripted.get(method)?.shift();
    if (next) return answer(res, next.status, next.body ?? { ok: false, error: 'scripted' }, next.headers);
    if (auth !== token) return answer(res, 200, { ok: false, error: 'invalid_auth' });
    switch (method) {
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    failNext(method, ...responses) {
      scripted.set(method, [...(scripted.get(method) ?? []), ...responses]);
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
