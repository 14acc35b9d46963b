// The HTTP source on loopback, posted to as Vector's and Fluent Bit's http outputs do: NDJSON and JSON arrays, gzip,
// a bearer token per sender; answered 200 only once the lines are committed, retries dropped by event id, refusals
// counted (wrong token, sender not allowed, too large, not JSON, store behind), and an incident through the pipeline.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { systemTimers } from '../../src/core/timers.js';
import type { IncidentEvent, LineChunk } from '../../src/core/types.js';
import { createHttpSource } from '../../src/sources/http/http-source.js';
import { httpSourceSchema } from '../../src/sources/http/schema.js';
import { silentLogger } from '../helpers/fixtures.js';
import { freePort } from '../helpers/free-port.js';
import { startLogwarden } from '../helpers/start-logwarden.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const TOKEN = 'vector-token-0123456789';

async function startSource(entry: Record<string, unknown>, onChunk?: (chunk: LineChunk) => Promise<void>) {
  const port = await freePort();
  const lines: { origin: string; text: string }[] = [];
  const source = createHttpSource(
    httpSourceSchema.parse({
      id: 'ship',
      type: 'http',
      listen: `http://127.0.0.1:${port}`,
      senders: [{ name: 'vector', tokenEnv: 'VECTOR_TOKEN' }],
      ...entry,
    }),
    {
      onChunk:
        onChunk ??
        (async (chunk) => {
          for (const text of chunk.data.toString().split('\n').slice(0, -1)) lines.push({ origin: chunk.origin, text });
        }),
      secret: (name) => (name === 'VECTOR_TOKEN' ? TOKEN : undefined),
      logger: silentLogger,
      timers: systemTimers,
      clock: Date.now,
    },
  );
  await source.start();
  cleanup.push(() => source.stop());
  return { source, lines, port };
}

/** POSTs a body; resolves with the status and the answer. */
function post(
  port: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
  options: { path?: string; localAddress?: string; token?: string | null } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const token = options.token === undefined ? TOKEN : options.token;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: options.path ?? '/ingest',
        headers: {
          'content-type': 'application/x-ndjson',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (p: Buffer) => parts.push(p));
        res.on('end', () =>
          resolve({ status: res.statusCode!, body: Buffer.concat(parts).toString(), headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const failed = (k: number) =>
  `Dec  4 05:00:0${k} web9 sshd[${100 + k}]: Failed password for root from 203.0.113.7 port 4${k} ssh2`;

describe('http source', () => {
  it('takes NDJSON, a JSON array and gzip, one line per event, answered once committed', async () => {
    const { source, lines, port } = await startSource({});
    const ndjson = [0, 1].map((k) => JSON.stringify({ message: failed(k), host: 'web9' })).join('\n');
    expect((await post(port, ndjson)).status).toBe(200);
    const array = JSON.stringify([{ message: failed(2) }, { message: 'two\nlines' }, { other: 1 }, 'a bare string']);
    expect(
      await post(port, gzipSync(array), { 'content-encoding': 'gzip', 'content-type': 'application/json' }),
    ).toMatchObject({
      status: 200,
      body: '{"accepted":3}',
    });
    expect(lines).toEqual(
      [failed(0), failed(1), failed(2), 'two lines', 'a bare string'].map((text) => ({ origin: 'http vector', text })),
    );
    expect(source.counts).toMatchObject({ lines: 5, skipped: 1 });
  });

  it('answers only once the lines are committed: a sender never hears 200 for lines not kept', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let committed = false;
    const { port } = await startSource({}, async () => {
      await gate;
      committed = true;
    });
    let answered = false;
    const answer = post(port, JSON.stringify({ message: 'x' })).then((r) => {
      answered = true;
      expect(committed).toBe(true);
      return r;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    release();
    expect((await answer).status).toBe(200);
    // A commit that fails is answered 503: send again.
    const failing = await startSource({}, async () => {
      throw new Error('disk full');
    });
    expect(await post(failing.port, JSON.stringify({ message: 'y' }))).toMatchObject({ status: 503 });
  });

  it('drops a retried event by its id, within a request and across them', async () => {
    const { source, lines, port } = await startSource({ idField: 'id' });
    const events = (ids: number[]) => ids.map((id) => JSON.stringify({ id, message: `event ${id}` })).join('\n');
    await post(port, events([1, 2, 2]));
    await post(port, events([2, 3]));
    expect(lines.map((l) => l.text)).toEqual(['event 1', 'event 2', 'event 3']);
    expect(source.counts.duplicates).toBe(2);
  });

  it('asks a retry to come again while the same event id is being committed, then drops it', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const committed: string[] = [];
    const { port } = await startSource({ idField: 'id' }, async (chunk) => {
      await gate;
      committed.push(chunk.data.toString());
    });
    const first = post(port, JSON.stringify({ id: 'a1', message: 'once' }));
    await expect.poll(() => committed.length === 0).toBe(true);
    // The first request is held in its commit: the same id again is told to wait, not taken twice nor dropped.
    let again = await post(port, JSON.stringify({ id: 'a1', message: 'once' }));
    for (let i = 0; i < 50 && again.status !== 429; i++)
      again = await post(port, JSON.stringify({ id: 'a1', message: 'once' }));
    expect(again.status).toBe(429);
    expect(again.headers['retry-after']).toBe('1');
    open();
    expect((await first).status).toBe(200);
    expect((await post(port, JSON.stringify({ id: 'a1', message: 'once' }))).status).toBe(200);
    expect(committed).toEqual(['once\n']);
  });

  it('refuses, counts and never crashes: no or a wrong token, a sender not allowed, too large, not JSON, wrong path', async () => {
    const { source, lines, port } = await startSource({ allow: ['127.0.0.1'], maxBodyBytes: 4096 });
    const ok = JSON.stringify({ message: 'x' });
    expect((await post(port, ok, {}, { token: null })).status).toBe(401);
    expect((await post(port, ok, {}, { token: 'vector-token-0123456788' })).status).toBe(401);
    expect((await post(port, ok, {}, { localAddress: '127.0.0.2' })).status).toBe(403);
    expect((await post(port, 'x'.repeat(5000))).status).toBe(413);
    // A small body that inflates past the limit.
    expect((await post(port, gzipSync(Buffer.alloc(1 << 20, 0x20)), { 'content-encoding': 'gzip' })).status).toBe(413);
    expect((await post(port, Buffer.from('not gzip'), { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post(port, Buffer.from('{"message": "x"}'), { 'content-encoding': 'br' })).status).toBe(415);
    expect((await post(port, '{"message": ')).status).toBe(400);
    expect((await post(port, '\u00ff\u00fe{')).status).toBe(400);
    expect((await post(port, ok, {}, { path: '/other' })).status).toBe(404);
    expect(source.counts.refused).toEqual({ address: 1, token: 2, size: 2, malformed: 4, busy: 0 });
    expect(lines).toEqual([]);
    expect((await post(port, ok)).status).toBe(200);
  });

  it('answers 429 with Retry-After while the store is far behind, instead of holding the bodies', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { source, port } = await startSource({ maxBodyBytes: 32 << 20, maxLineBytes: 2 << 20 }, async () => {
      await gate;
    });
    const big = JSON.stringify({ message: 'z'.repeat(1 << 20) });
    const body = Array(10).fill(big).join('\n');
    const first = post(port, body);
    await expect.poll(() => source.counts.waitingBytes).toBeGreaterThan(9 << 20);
    // Another 10 MB while 10 MB wait: over the 16 MB bound, it is refused as it is read.
    expect(await post(port, body)).toMatchObject({ status: 429, headers: { 'retry-after': '1' } });
    expect(source.counts.readingBytes).toBe(0);
    expect(source.counts.refused.busy).toBeGreaterThan(0);
    release();
    expect((await first).status).toBe(200);
  });

  it('keeps the event ids it took with their lines: a retry after a restart is dropped too', async () => {
    const dir = tempDir();
    const port = await freePort();
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: ship, type: http, listen: "http://127.0.0.1:${port}", idField: id, senders: [{ name: vector, tokenEnv: VECTOR_TOKEN }] }]
rules: [{ use: sshd, source: ship }]
`,
      'ship.yml',
    );
    const events = (ids: number[]) => ids.map((id) => JSON.stringify({ id, message: `event ${id}` })).join('\n');
    const first = await startLogwarden(loaded, { clock: () => Date.now(), env: { VECTOR_TOKEN: TOKEN } });
    expect((await post(port, events([1, 2]))).status).toBe(200);
    await first.stop();
    const second = await startLogwarden(loaded, { clock: () => Date.now(), env: { VECTOR_TOKEN: TOKEN } });
    cleanup.push(() => second.stop());
    await expect.poll(async () => (await post(port, events([2, 3]))).status).toBe(200);
    // The spool holds what was committed, once each.
    expect(readFileSync(join(dir, 'spool', 'ship', 'vector.log'), 'utf8')).toBe('event 1\nevent 2\nevent 3\n');
  });

  it('through the pipeline: posted failures open an incident', async () => {
    const dir = tempDir();
    const port = await freePort();
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: ship, type: http, listen: "http://127.0.0.1:${port}", senders: [{ name: vector, tokenEnv: VECTOR_TOKEN }] }]
rules: [{ use: sshd, source: ship }]
`,
      'ship.yml',
    );
    const events: IncidentEvent[] = [];
    const lw = await startLogwarden(loaded, {
      clock: () => Date.now(),
      env: { VECTOR_TOKEN: TOKEN },
      onEvent: (e) => events.push(e),
    });
    cleanup.push(() => lw.stop());
    const body = [0, 1, 2, 3, 4].map((k) => JSON.stringify({ message: failed(k) })).join('\n');
    expect((await post(port, body)).status).toBe(200);
    expect(events.map((e) => [e.event, e.incident.title])).toEqual([['opened', 'SSH brute force from 203.0.113.7']]);
  });
});
