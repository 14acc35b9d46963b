import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogwarden, type Logwarden } from '../src/app/pipeline.js';
import { parseConfig } from '../src/config/load.js';
import type { IncidentEvent } from '../src/core/types.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { silentLogger } from './helpers/fixtures.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir();
const running: { app: Logwarden; store: SqliteStore }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await stop(r);
});

async function stop(r: { app: Logwarden; store: SqliteStore }) {
  await r.app.stop();
  await r.store.close();
}

const line = (ip: string, n = 0) => `Nov 23 10:00:0${n % 10} web1 app[1]: denied ip=${ip} seq=${n}\n`;

function start(dir: string, log: string, options: { from?: string; clock?: () => number; reopenAfter?: string } = {}) {
  const loaded = parseConfig(
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: app, path: ${JSON.stringify(log)}${options.from ? `, from: ${options.from}` : ''} }]
rules:
  - id: denied
    source: app
    pattern: 'denied ip=(?<ip>\\S+) seq=(?<seq>\\d+)$'
    fields: { ip: ip, seq: int }
    threshold: { count: 1, by: [seq] }
incidents: { reopenAfter: ${options.reopenAfter ?? '1h'} }
tail: { pollInterval: 50ms, rotateQuiet: 200ms }
`,
    'test.yml',
  );
  const store = new SqliteStore(loaded.config.store.path);
  const events: IncidentEvent[] = [];
  const logs: { level: string; message: string; details: Record<string, unknown> }[] = [];
  const record = (level: string) => (details: Record<string, unknown>, message: string) => {
    logs.push({ level, message, details });
  };
  const app = createLogwarden(loaded, {
    store,
    clock: options.clock ?? Date.now,
    logger: {
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
      child() {
        return this;
      },
    },
    onEvent: (e) => events.push(structuredClone(e)),
    env: process.env,
  });
  const handle = { app, store };
  running.push(handle);
  const seqs = () => events.filter((e) => e.event === 'opened').map((e) => Number(e.incident.key.seq));
  return { app, store, events, logs, seqs, stop: () => stop(running.splice(running.indexOf(handle), 1)[0]!) };
}

describe('createLogwarden with a file source', () => {
  it('starts at the end of a file it has not seen (from: end), then reads what is appended', async () => {
    const dir = tempDir();
    const log = join(dir, 'app.log');
    writeFileSync(log, line('203.0.113.1', 1));
    const lw = start(dir, log);
    await lw.app.start();
    appendFileSync(log, line('203.0.113.2', 2));
    await expect.poll(lw.seqs).toEqual([2]);
  });

  it('reads a file that appears later from its start, after reporting it missing once', async () => {
    const dir = tempDir();
    const log = join(dir, 'later.log');
    const lw = start(dir, log);
    await lw.app.start();
    writeFileSync(log, line('203.0.113.1', 1) + line('203.0.113.1', 2));
    await expect.poll(lw.seqs).toEqual([1, 2]);
    const missing = lw.logs.filter((l) => l.level === 'warn' && l.message.includes('no such file'));
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toBe(
      `Source app cannot read ${log}: no such file or directory (ENOENT). logwarden retries until it can; check the path and that this user may read it.`,
    );
    expect(lw.logs.some((l) => l.message === 'source file is readable again')).toBe(true);
  });

  it('resumes after a restart where it stopped, also in a file rotated away meanwhile', async () => {
    const dir = tempDir();
    const log = join(dir, 'app.log');
    writeFileSync(log, line('203.0.113.1', 0));
    const first = start(dir, log);
    await first.app.start();
    appendFileSync(log, line('203.0.113.1', 1));
    await expect.poll(first.seqs).toEqual([1]);
    await first.stop();

    // While logwarden is down: more lines, a rotation, and lines in the new file (read from its start, although
    // `from: end` applies to files seen for the first time).
    appendFileSync(log, line('203.0.113.1', 2));
    renameSync(log, `${log}.1`);
    writeFileSync(log, line('203.0.113.1', 3));
    const second = start(dir, log);
    await second.app.start();
    await expect.poll(() => second.seqs().sort()).toEqual([2, 3]);
    expect(second.logs.map((l) => l.message)).toContain(
      'file was rotated while logwarden was stopped; reading the rest of it',
    );
    expect(await second.store.incidents.readAll()).toHaveLength(3);
  });

  it('never crashes on CRLF, NUL bytes or invalid UTF-8, and cuts overlong lines', async () => {
    const dir = tempDir();
    const log = join(dir, 'app.log');
    writeFileSync(log, '');
    const lw = start(dir, log);
    await lw.app.start();
    appendFileSync(
      log,
      Buffer.concat([
        Buffer.from('denied ip=203.0.113.1 seq=1\r\n'),
        Buffer.from([0xff, 0xfe, 0x00, 0x0a]),
        Buffer.from(`${'x'.repeat(70_000)} denied ip=203.0.113.1 seq=9\n`),
        Buffer.from('\u0000 denied ip=203.0.113.1 seq=2\n'),
      ]),
    );
    await expect.poll(lw.seqs).toEqual([1, 2]);
  });

  it('closes an incident after reopenAfter of quiet', async () => {
    const dir = tempDir();
    const log = join(dir, 'app.log');
    writeFileSync(log, '');
    let now = Date.parse('2026-11-23T10:00:00Z');
    const lw = start(dir, log, { clock: () => now, reopenAfter: '10m' });
    await lw.app.start();
    appendFileSync(log, line('203.0.113.1', 1));
    await expect.poll(lw.seqs).toEqual([1]);
    now += 9 * 60_000;
    await lw.app.sweep();
    expect(lw.events.map((e) => e.event)).toEqual(['opened']);
    now += 60_000;
    await lw.app.sweep();
    expect(lw.events.map((e) => e.event)).toEqual(['opened', 'closed']);
    expect((await lw.store.incidents.readAll())[0]!.status).toBe('closed');
  });
});

describe('createLogwarden with a glob source', () => {
  it('waits for a directory that does not exist yet and reads the files that appear in it', async () => {
    const dir = tempDir();
    const logs = join(dir, 'later');
    const lw = start(dir, join(logs, '*.log'));
    await lw.app.start();
    expect(lw.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      `Source app cannot read ${logs}: no such file or directory (ENOENT). logwarden retries until it can; check the path and that this user may read it.`,
    ]);
    mkdirSync(logs);
    writeFileSync(join(logs, 'a.log'), line('203.0.113.1', 1));
    writeFileSync(join(logs, 'b.txt'), line('203.0.113.1', 2));
    await expect.poll(lw.seqs).toEqual([1]);
    appendFileSync(join(logs, 'a.log'), line('203.0.113.1', 3));
    await expect.poll(lw.seqs).toEqual([1, 3]);
  });
});

describe('createLogwarden when the store cannot commit', () => {
  it('stops through onFatal instead of reading on with memory and disk out of step', async () => {
    const dir = tempDir();
    const log = join(dir, 'app.log');
    writeFileSync(log, '');
    const loaded = parseConfig(
      `store: { path: ":memory:" }\nsources: [{ id: app, path: ${JSON.stringify(log)} }]\nrules: [{ id: r, source: app, pattern: 'denied ip=(?<ip>\\S+)' }]\n`,
      'fatal.yml',
    );
    const store = new SqliteStore(':memory:');
    const fatal: Error[] = [];
    const app = createLogwarden(loaded, {
      store,
      clock: Date.now,
      logger: silentLogger,
      onEvent: () => {},
      onFatal: (error) => {
        fatal.push(error);
        throw error;
      },
      env: process.env,
    });
    await app.start();
    await store.close();
    appendFileSync(log, line('203.0.113.1', 1));
    await expect
      .poll(() => fatal.map((e) => e.message))
      .toEqual(['The store at :memory: failed: cannot commit (The database connection is not open)']);
    await app.stop();
  });
});
