// An HTTP source: senders (Vector's and Fluent Bit's http outputs, any script) POST events as NDJSON or a JSON array,
// gzip or not, with a bearer token of their own. A request is answered 200 only once its lines are committed, so a
// sender that retries on anything else never loses a line; an event id (idField) keeps a retry from counting twice.
// While the store is behind, requests beyond the bound are answered 429 with Retry-After, never buffered unbounded.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createGunzip } from 'node:zlib';
import type { Logger } from '../../core/logger.js';
import { createThrottledWarn } from '../../core/throttled-warn.js';
import type { Timer, Timers } from '../../core/timers.js';
import type { Clock, LineChunk } from '../../core/types.js';
import { createSenderAllowlist } from '../sender-allowlist.js';
import { Senders } from '../senders.js';
import type { RunningSource, SourceStatus } from '../source.js';
import { type HttpSourceConfig, parseHttpListen } from './schema.js';

export interface HttpSourceDeps {
  onChunk(chunk: LineChunk): Promise<void>;
  clock: Clock;
  secret(name: string): string | undefined;
  logger: Logger;
  timers: Timers;
  /** The event ids it took before a restart, newest first. */
  readEventIds?(sourceId: string, limit: number): Promise<string[]>;
}

export interface HttpCounts {
  requests: number;
  /** Bytes of lines read and not committed yet (a gauge). */
  waitingBytes: number;
  /** Bytes of request bodies being read (a gauge). */
  readingBytes: number;
  lines: number;
  /** By why: not allowed (403), no or a wrong token (401), too large (413), not JSON (400), store behind (429). */
  refused: { address: number; token: number; size: number; malformed: number; busy: number };
  duplicates: number;
  /** Events without a string line in `field`, and lines cut to maxLineBytes. */
  skipped: number;
  oversized: number;
}

/** Bytes of lines waiting to be committed and bodies being read, at most: a request beyond it is answered 429. */
const HIGH_WATER_BYTES = 16 << 20;
/** Connections at once (each may be reading a body). */
const MAX_CONNECTIONS = 256;
/** An event id as kept: a long one by its hash, so two that share a beginning stay two. */
function idOf(raw: string): string {
  return raw.length <= 128 ? raw : `#${createHash('sha256').update(raw).digest('base64')}`;
}

/** Event ids remembered to drop retries. */
const IDS_KEPT = 100_000;
const REBIND_DELAY = 5000;

class HttpRefusal extends Error {
  readonly status: number;
  readonly kind: keyof HttpCounts['refused'];

  constructor(status: number, kind: keyof HttpCounts['refused'], message: string) {
    super(message);
    this.status = status;
    this.kind = kind;
  }
}

export function createHttpSource(
  config: HttpSourceConfig,
  deps: HttpSourceDeps,
): RunningSource & { counts: HttpCounts } {
  const { logger } = deps;
  const isAllowed = createSenderAllowlist(config.allow);
  const counts: HttpCounts = {
    requests: 0,
    waitingBytes: 0,
    readingBytes: 0,
    lines: 0,
    refused: { address: 0, token: 0, size: 0, malformed: 0, busy: 0 },
    duplicates: 0,
    skipped: 0,
    oversized: 0,
  };
  const tokens = config.senders.map((s) => ({ name: s.name, env: s.tokenEnv, token: deps.secret(s.tokenEnv) }));
  const missing = tokens.filter((t) => !t.token).map((t) => t.env);
  const ids = new Map<string, true>();
  // Ids of requests being committed: the same id in another request meanwhile is asked to come again.
  const pending = new Set<string>();
  const senders = new Senders();
  const listen = parseHttpListen(config.listen);
  let problem: string | undefined = 'not started';
  let server: Server | undefined;
  let rebind: Timer | undefined;
  let stopped = false;
  // Chunks are committed one at a time, in the order their requests were read.
  let committing: Promise<void> = Promise.resolve();

  const senderOf = (header: string | undefined) => {
    const given = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header ?? '')?.[1];
    if (!given) return undefined;
    const bytes = Buffer.from(given);
    return tokens.find((t) => {
      const want = Buffer.from(t.token ?? '');
      return want.length > 0 && want.length === bytes.length && timingSafeEqual(want, bytes);
    })?.name;
  };
  const warnOnce = createThrottledWarn(logger, deps.clock);
  const note = (who: string, refusal: HttpRefusal) => {
    counts.refused[refusal.kind]++;
    warnOnce(
      `${who} ${refusal.kind}`,
      { source: config.id, sender: who, status: refusal.status },
      `${refusal.message} (logged once a minute per sender)`,
    );
  };

  /** The request's body, inflated when gzip, within maxBodyBytes. */
  const readBody = (request: IncomingMessage): Promise<Buffer> => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip') {
      return Promise.reject(new HttpRefusal(415, 'malformed', `a body in ${encoding} cannot be read (gzip or none)`));
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > config.maxBodyBytes) {
      return Promise.reject(new HttpRefusal(413, 'size', `a body of ${declared} bytes is over maxBodyBytes`));
    }
    const stream = encoding === 'gzip' ? request.pipe(createGunzip()) : request;
    return new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = [];
      let length = 0;
      // Bodies being read count with the lines waiting: many large requests at once are answered 429, not held.
      const release = () => {
        counts.readingBytes -= length;
        length = 0;
      };
      stream.on('data', (part: Buffer) => {
        length += part.length;
        counts.readingBytes += part.length;
        if (length > config.maxBodyBytes || counts.readingBytes + counts.waitingBytes > HIGH_WATER_BYTES) {
          const tooLarge = length > config.maxBodyBytes;
          release();
          // The rest is read and dropped (destroying the request would reset the connection before the answer).
          stream.removeAllListeners('data');
          if (stream !== request) stream.destroy();
          request.resume();
          reject(
            tooLarge
              ? new HttpRefusal(413, 'size', 'a body over maxBodyBytes')
              : new HttpRefusal(429, 'busy', 'a request while too much is being read or committed'),
          );
          return;
        }
        parts.push(part);
      });
      stream.on('end', () => {
        const body = Buffer.concat(parts, length);
        release();
        resolve(body);
      });
      stream.on('error', () => {
        release();
        reject(new HttpRefusal(400, 'malformed', 'a body that is not gzip as it says'));
      });
    });
  };

  /** The lines of the events posted, and the ids taking them. */
  const linesOf = (body: Buffer, sender: string): { lines: string[]; ids: string[] } => {
    const text = body.toString('utf8').trim();
    let events: unknown[];
    try {
      events = text.startsWith('[')
        ? (JSON.parse(text) as unknown[])
        : text
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => JSON.parse(l) as unknown);
    } catch {
      throw new HttpRefusal(400, 'malformed', 'a body that is not NDJSON or a JSON array');
    }
    if (!Array.isArray(events)) throw new HttpRefusal(400, 'malformed', 'a body that is not NDJSON or a JSON array');
    const lines: string[] = [];
    const taken: string[] = [];
    const inBody = new Set<string>();
    for (const event of events) {
      const record = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : undefined;
      const line = typeof event === 'string' ? event : record?.[config.field];
      if (typeof line !== 'string' || line === '') {
        counts.skipped++;
        continue;
      }
      const rawId = config.idField ? record?.[config.idField] : undefined;
      // By sender: one sender cannot silence another's events by sending their ids first.
      const id =
        typeof rawId === 'string' || typeof rawId === 'number' ? `${sender} ${idOf(String(rawId))}` : undefined;
      if (id !== undefined && pending.has(id)) {
        throw new HttpRefusal(429, 'busy', 'an event id another request is committing');
      }
      if (id !== undefined && (ids.has(id) || inBody.has(id))) {
        counts.duplicates++;
        continue;
      }
      if (id !== undefined) {
        inBody.add(id);
        taken.push(id);
      }
      // One event, one line: its own line breaks become spaces; cut to the limit as a file's line is.
      let one = line.replace(/[\r\n]+/g, ' ');
      if (Buffer.byteLength(one) > config.maxLineBytes) {
        counts.oversized++;
        one = Buffer.from(one).subarray(0, config.maxLineBytes).toString('utf8');
      }
      lines.push(one);
    }
    return { lines, ids: taken };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    counts.requests++;
    const address = request.socket.remoteAddress ?? 'unknown';
    let who = address;
    const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      // A refusal closes the connection: what is left of its body is not worth reading.
      const closing: Record<string, string> = status >= 400 ? { connection: 'close' } : {};
      response.writeHead(status, { 'content-type': 'application/json', ...closing, ...headers });
      response.end(JSON.stringify(body));
    };
    try {
      if (!isAllowed(request.socket.remoteAddress)) throw new HttpRefusal(403, 'address', 'a sender not in allow:');
      const url = new URL(request.url ?? '/', 'http://x');
      if (url.pathname !== config.path) return answer(404, { error: `POST to ${config.path}` });
      if (request.method !== 'POST') return answer(405, { error: 'POST only' }, { allow: 'POST' });
      const sender = senderOf(request.headers.authorization);
      if (!sender) throw new HttpRefusal(401, 'token', 'a request without a known bearer token');
      who = sender;
      if (counts.waitingBytes > HIGH_WATER_BYTES)
        throw new HttpRefusal(429, 'busy', 'a request while the store is behind');
      const { lines, ids: taken } = linesOf(await readBody(request), sender);
      if (lines.length === 0) return answer(200, { accepted: 0, duplicates: counts.duplicates });
      const data = Buffer.from(`${lines.join('\n')}\n`);
      counts.waitingBytes += data.length;
      for (const id of taken) pending.add(id);
      // The ids go into the store with the lines, in one commit.
      const position = taken.length > 0 ? { position: { kind: 'events' as const, ids: taken } } : {};
      const committed = committing.then(() =>
        deps.onChunk({ sourceId: config.id, origin: `http ${sender}`, data, sender, ...position }),
      );
      committing = committed.catch(() => undefined);
      try {
        await committed;
      } finally {
        counts.waitingBytes -= data.length;
        for (const id of taken) pending.delete(id);
      }
      for (const id of taken) ids.set(id, true);
      while (ids.size > IDS_KEPT) ids.delete(ids.keys().next().value!);
      counts.lines += lines.length;
      senders.heard(sender, lines.length, deps.clock());
      answer(200, { accepted: lines.length });
    } catch (error) {
      if (error instanceof HttpRefusal) {
        note(who, error);
        request.resume();
        return answer(
          error.status,
          { error: error.message },
          error.status === 429 ? { 'retry-after': '1' } : error.status === 401 ? { 'www-authenticate': 'Bearer' } : {},
        );
      }
      // Not committed: the sender must send it again.
      logger.error(
        { source: config.id, sender: who, err: (error as Error).message },
        'posted lines could not be committed',
      );
      answer(503, { error: 'not committed; send again' }, { 'retry-after': '5' });
    }
  };

  const bind = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const failed = (error: Error) => {
        problem = `${config.listen}: ${(error as NodeJS.ErrnoException).code ?? error.message}`;
        logger.error(
          { source: config.id, err: error.message },
          `cannot listen on ${config.listen}; trying again in 5 s`,
        );
        if (!stopped) rebind = deps.timers.after(REBIND_DELAY, () => void bind());
        resolve();
      };
      let made: Server;
      try {
        const onRequest = (request: IncomingMessage, response: ServerResponse) => void handle(request, response);
        made = listen.tls
          ? createHttpsServer({ cert: readFileSync(config.tls!.cert), key: readFileSync(config.tls!.key) }, onRequest)
          : createServer(onRequest);
      } catch (error) {
        failed(error as Error);
        return;
      }
      made.requestTimeout = 60_000;
      made.maxConnections = MAX_CONNECTIONS;
      made.once('error', failed);
      made.listen({ port: listen.port, host: listen.host }, () => {
        made.off('error', failed);
        server = made;
        problem = missing.length ? `${missing.join(', ')} not set: those senders are refused` : undefined;
        resolve();
      });
    });

  return {
    counts,
    async start() {
      // Oldest first, so the oldest are let go first.
      for (const id of ((await deps.readEventIds?.(config.id, IDS_KEPT)) ?? []).reverse()) ids.set(id, true);
      await bind();
    },
    async stop() {
      stopped = true;
      rebind?.cancel();
      // Requests being read are answered (once committed); no new one is taken.
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server?.closeIdleConnections();
      await committing;
    },
    async syncNow() {
      await committing;
    },
    status(): SourceStatus {
      return { ready: problem === undefined, ...(problem ? { problem } : {}), senders: senders.list(deps.clock()) };
    },
  };
}
