// Slack's HTTP mode, the endpoint in front of Bolt: what an unsigned, slow, huge or replayed request can do to it is
// bounded here, before Bolt sees anything.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Clock } from '../../core/types.js';

const MAX_SKEW_SECONDS = 5 * 60;
/** Slack's payloads are under 64 KiB; a body past this is refused before it is held. */
const MAX_BODY_BYTES = 256 * 1024;
/** Connections held at once; more are dropped by the server (half-open ones count). */
const MAX_CONNECTIONS = 128;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

/**
 * The signed HTTP endpoint, in front of Bolt: a request needs a current timestamp (Bolt alone accepts ones from the
 * future) and a well-formed signature before its body is read; the body is read to MAX_BODY_BYTES at most and its
 * signature checked here; a request seen before (same timestamp and signature) is refused, so a captured one cannot
 * be replayed within the window. Short timeouts and a connection cap keep slow or half-open clients from piling up.
 */
export async function listenSigned(
  receiver: InstanceType<typeof HTTPReceiver>,
  transport: { signingSecret: string; port: number; host: string },
  clock: Clock,
): Promise<Server> {
  const seen = new Map<string, number>();
  const refuse = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
    res.end(text);
  };
  // Headers within 5 s, the whole request within 10 s, checked every second (the default is every 30 s).
  const server = createServer(
    { headersTimeout: 5000, requestTimeout: 10_000, connectionsCheckingInterval: 1000 },
    (req, res) => {
      const stamp = Number(req.headers['x-slack-request-timestamp']);
      const signature = req.headers['x-slack-signature'];
      if (!Number.isInteger(stamp) || Math.abs(clock() / 1000 - stamp) > MAX_SKEW_SECONDS) {
        refuse(res, 401, 'request timestamp missing or more than 5 minutes off');
        return;
      }
      if (typeof signature !== 'string' || !SIGNATURE.test(signature)) {
        refuse(res, 401, 'request signature missing');
        return;
      }
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
        refuse(res, 413, 'request body too large');
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          refuse(res, 413, 'request body too large');
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (size > MAX_BODY_BYTES) return;
        const body = Buffer.concat(chunks);
        const expected = `v0=${createHmac('sha256', transport.signingSecret).update(`v0:${stamp}:`).update(body).digest('hex')}`;
        if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
          refuse(res, 401, 'request signature does not match');
          return;
        }
        const now = clock();
        for (const [key, at] of seen) {
          if (now - at <= 2 * MAX_SKEW_SECONDS * 1000) break;
          seen.delete(key);
        }
        const key = `${stamp}:${signature}`;
        if (seen.has(key)) {
          refuse(res, 409, 'request already received');
          return;
        }
        seen.set(key, now);
        // Bolt reads a request's body from rawBody when it is there, and checks the signature again.
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
        receiver.requestListener(req, res);
      });
      req.on('error', () => res.destroy());
    },
  );
  server.keepAliveTimeout = 5000;
  // A request that timed out or could not be parsed: the connection goes at once (by default it waits for the client).
  server.on('clientError', (_error, socket) => socket.destroy());
  server.maxConnections = MAX_CONNECTIONS;
  server.setTimeout(15_000, (socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(transport.port, transport.host, () => resolve());
  });
  return server;
}
