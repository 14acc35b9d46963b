// The demo's web page: the sandbox workspace's #security channel and the on-call mailbox, live (server-sent
// events). A click or a /logs command on the page becomes the Socket Mode envelope Slack would send, so it goes
// through the real Bolt app. Loopback only, answering only its own Host (no DNS rebinding); POSTs must be JSON, which a
// form on another site cannot send.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { packageFile } from '../core/package-files.js';
import type { DemoPeople } from './demo-config.js';
import type { MailSandbox } from './mail-sandbox.js';
import { createClickPayload, createCommandPayload, type SlackSandbox } from './slack-sandbox.js';

export interface DemoWeb {
  /** The page's address, with the key its API asks for. */
  url: string;
  /** The address of one of the page's API paths, with the key. */
  api(path: string): string;
  close(): Promise<void>;
}

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/demo.js': { file: 'demo.js', type: 'text/javascript; charset=utf-8' },
  '/demo.css': { file: 'demo.css', type: 'text/css; charset=utf-8' },
};
// web/demo/ at the package root: two levels up from src/sandbox/ and from dist/sandbox/ alike.
const ASSET_DIR = packageFile('web/demo/');

const MAX_BODY = 64 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return undefined;
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

export async function startDemoWeb(deps: {
  slack: SlackSandbox;
  mail: MailSandbox;
  people: readonly DemoPeople[];
  port?: number;
}): Promise<DemoWeb> {
  const { slack, mail, people } = deps;
  const streams = new Set<ServerResponse>();
  const notify = () => {
    for (const res of streams) res.write('data: changed\n\n');
  };
  const unsubscribe = [slack.onChange(notify), mail.onMessage(notify)];

  const state = () => ({
    channel: slack.channel,
    people,
    messages: slack.messages,
    ephemerals: slack.ephemerals,
    mail: mail.messages.map((m, i) => ({
      id: i + 1,
      from: m.from?.text ?? '',
      to: mail.recipients[i] ?? [],
      subject: m.subject ?? '',
      date: m.date?.toISOString() ?? '',
      text: m.text ?? '',
    })),
  });

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  let host = '';
  const key = randomBytes(16).toString('hex');
  // Compared in constant time, as the signed Slack endpoint compares its signatures.
  const keyBytes = Buffer.from(key);
  const sameKey = (given: string) => {
    const bytes = Buffer.from(given);
    return bytes.length === keyBytes.length && timingSafeEqual(bytes, keyBytes);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: a page from elsewhere whose name now points at 127.0.0.1 would send its own Host. Only the
    // address the demo printed is answered.
    if (req.headers.host !== host) return json(res, 403, { ok: false, error: `open ${`http://${host}/`} instead` });
    const url = new URL(req.url ?? '/', `http://${host}`);
    const path = url.pathname;
    // The page is anyone's to load; what it shows and does needs the key of the printed address (another user of
    // this machine reaches 127.0.0.1 too, and could otherwise press buttons as the demo's admin).
    if (path.startsWith('/api/') && !sameKey(url.searchParams.get('key') ?? '')) {
      return json(res, 403, { ok: false, error: 'open the address the demo printed (it carries its key)' });
    }
    const asset = ASSETS[path];
    if (req.method === 'GET' && asset) {
      const body = await readFile(new URL(asset.file, ASSET_DIR));
      res.writeHead(200, {
        'content-type': asset.type,
        'cache-control': 'no-store',
        // Everything the page shows is built with textContent; no inline script, nothing from elsewhere.
        'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
        'x-content-type-options': 'nosniff',
      });
      return res.end(body);
    }
    if (req.method === 'GET' && path === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    if (req.method === 'GET' && path === '/api/state') return json(res, 200, state());
    if (req.method === 'GET' && path === '/api/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write('data: changed\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method === 'POST' && (path === '/api/click' || path === '/api/command')) {
      const body = await readJson(req);
      const person = people.find((p) => p.id === text(body?.user));
      if (!body || !person) return json(res, 400, { ok: false, error: 'send JSON with a known user' });
      if (path === '/api/command') {
        const m = /^\/logs(?:\s+([\s\S]*))?$/.exec((text(body.text) ?? '').trim());
        if (!m) return json(res, 400, { ok: false, error: 'only /logs commands exist here' });
        await slack.send('slash_commands', createCommandPayload(slack, person, '/logs', m[1] ?? ''));
        return json(res, 200, { ok: true });
      }
      const message = slack.messages.find((x) => x.ts === text(body.ts));
      const actionId = text(body.actionId);
      const blockId = text(body.blockId);
      if (!message || !actionId || !blockId) return json(res, 400, { ok: false, error: 'no such message or button' });
      const value = text(body.value);
      const selected = text(body.selected);
      await slack.send(
        'interactive',
        createClickPayload(slack, person, message, {
          actionId,
          blockId,
          ...(value === undefined ? {} : { value }),
          ...(selected === undefined ? {} : { selected }),
        }),
      );
      return json(res, 200, { ok: true });
    }
    json(res, 404, { ok: false, error: 'not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) json(res, 502, { ok: false, error: error.message });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}/?key=${key}`,
    api: (path: string) => `http://127.0.0.1:${port}${path}?key=${key}`,
    async close() {
      for (const f of unsubscribe) f();
      for (const res of streams) res.end();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
