// The optional `http:` listener: /metrics for Prometheus, /healthz (the process is up and its store takes writes) and
// /readyz (its sources read, Slack answers) for a supervisor or a load balancer. Read-only, GET and HEAD only, small
// answers, and loopback unless the config says otherwise: anyone who reaches it learns rule ids and source paths.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A check's verdict: ok, or what is wrong. */
export type Check = { ok: true; detail?: Record<string, unknown> } | { ok: false; problem: string };

export interface HttpListenerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** /healthz: each check by name. */
  health(): Promise<Record<string, Check>>;
  /** /readyz: each check by name. */
  ready(): Promise<Record<string, Check>>;
}

export interface HttpListener {
  /** The port it listens on (the one chosen when the config says 0). */
  port: number;
  stop(): Promise<void>;
}

function answerChecks(res: ServerResponse, checks: Record<string, Check>): void {
  const ok = Object.values(checks).every((c) => c.ok);
  const body = `${JSON.stringify({ status: ok ? 'ok' : 'failing', checks })}\n`;
  res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
}

export async function startHttpListener(options: HttpListenerOptions): Promise<HttpListener> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      const text = await options.registry.metrics();
      res.writeHead(200, { 'content-type': options.registry.contentType }).end(req.method === 'HEAD' ? '' : text);
    } else if (path === '/healthz') {
      answerChecks(res, await options.health());
    } else if (path === '/readyz') {
      answerChecks(res, await options.ready());
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('logwarden serves /metrics, /healthz and /readyz\n');
    }
  };
  const server: Server = createServer({ headersTimeout: 5000, requestTimeout: 10_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`${(error as Error).message}\n`);
    });
  });
  server.maxConnections = 64;
  server.on('clientError', (_error, socket) => socket.destroy());
  // events.once rejects on 'error' (the port is taken) as it resolves on 'listening'.
  await once(server.listen(options.port, options.host), 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
