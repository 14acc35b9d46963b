// `logwarden run` killed with SIGKILL, twice, while Debian's real rsyslogd (RELP, an in-memory action queue, each
// message's %uuid% as its RFC 5424 MSGID) and an HTTP sender (event ids, retrying until answered 200, as Vector does)
// keep sending: every line and every event is counted, once. What was committed before a kill and not yet answered
// is sent again, and dropped by its id, whose record was committed with it. rsyslog's action queue is in memory
// (LinkedList, large): with a disk-assisted one (queue.filename), a second worker of its own RELP client holds frames
// it never resends once that worker ends — measured here, lines lost in a third of the runs (README).
// (No sleep synchronises anything: the pause before each restart is the scenario, a supervisor's restart delay.)
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { startRun } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const TOKEN = 'vector-token-0123456789';
const LINES = 1500;
const EVENTS = 1500;

function startRsyslog(dir: string, input: string, port: number): ChildProcess {
  const work = join(dir, 'rsyslog-work');
  mkdirSync(work, { recursive: true });
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    `global(workDirectory="${work}")
module(load="imfile" PollingInterval="1")
module(load="omrelp")
template(name="logwarden" type="string"
         string="<%PRI%>1 %TIMESTAMP:::date-rfc3339% %HOSTNAME% %APP-NAME% %PROCID% %uuid% - %msg%\\n")
input(type="imfile" File="${input}" Tag="sshd[4242]:" Facility="auth" Severity="info")
action(type="omrelp" target="127.0.0.1" port="${port}" template="logwarden"
       queue.type="LinkedList" queue.size="100000" action.resumeRetryCount="-1" action.resumeInterval="1")
`,
  );
  const child = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslog.pid')], { stdio: 'ignore' });
  cleanup.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
  return child;
}

/** POSTs one body; any failure (logwarden down, killed mid-request) is a status of 0. */
function post(port: number, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/ingest',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

describe('logwarden killed while a fleet sends', () => {
  it('counts every rsyslog line and every HTTP event once, across two SIGKILLs', async () => {
    const dir = tempDir();
    const [relp, http] = [await freePort(), await freePort()];
    const input = join(dir, 'auth.log');
    writeFileSync(input, '');
    const config = join(dir, 'fleet.yml');
    writeFileSync(
      config,
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources:
  - { id: fleet, type: syslog, listen: "relp://127.0.0.1:${relp}", idFrom: msgid }
  - { id: ship, type: http, listen: "http://127.0.0.1:${http}", idField: id, senders: [{ name: vector, tokenEnv: VECTOR_TOKEN }] }
rules:
  - { id: every-line, source: fleet, program: sshd, pattern: 'line (?<n>\\d+) of the test', fields: { n: int }, severity: info, threshold: { count: 1, by: [n] } }
  - { id: every-event, source: ship, pattern: 'event (?<n>\\d+) of the test', fields: { n: int }, severity: info, threshold: { count: 1, by: [n] } }
`,
    );
    const env = { VECTOR_TOKEN: TOKEN, LOG_LEVEL: 'error' };
    let run = startRun(['-c', config], { env });
    const runs = [run];
    cleanup.push(async () => {
      for (const r of runs) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    });
    startRsyslog(dir, input, relp);
    // Read as the runs write it (WAL), once the first run has made it.
    let opened: Database.Database | undefined;
    const db = () => {
      opened ??= new Database(join(dir, 'store.db'), { readonly: true });
      return opened;
    };
    cleanup.push(() => {
      opened?.close();
    });

    // The fleet writes on its own, whatever logwarden is doing.
    let written = 0;
    const writer = setInterval(() => {
      const next = Math.min(LINES, written + 50);
      appendFileSync(
        input,
        Array.from({ length: next - written }, (_, k) => `line ${written + k + 1} of the test\n`).join(''),
      );
      written = next;
      if (written === LINES) clearInterval(writer);
    }, 20);
    cleanup.push(() => clearInterval(writer));
    // Vector: batches of 25 events with ids, each sent until it is answered 200.
    let sent = 0;
    let stopSending = false;
    const sender = (async () => {
      while (sent < EVENTS && !stopSending) {
        const batch = Array.from({ length: 25 }, (_, k) => sent + k + 1)
          .map((n) => JSON.stringify({ id: `e${n}`, message: `event ${n} of the test` }))
          .join('\n');
        while ((await post(http, batch)) !== 200 && !stopSending) await new Promise((r) => setTimeout(r, 50));
        sent += 25;
      }
    })();
    cleanup.push(async () => {
      stopSending = true;
      await sender;
    });

    const counted = (rule: string) => {
      try {
        return (
          db().prepare('SELECT count(*) AS n, sum(count) AS c FROM incidents WHERE rule = ?').get(rule) as {
            n: number;
            c: number | null;
          }
        ).n;
      } catch {
        return 0;
      }
    };
    for (const atLeast of [300, 800]) {
      await expect
        .poll(() => Math.min(counted('every-line'), counted('every-event')), { timeout: 30_000 })
        .toBeGreaterThanOrEqual(atLeast);
      run.child.kill('SIGKILL');
      expect((await run.exited).signal).toBe('SIGKILL');
      // Back after a pause, as systemd brings it back (the example unit's RestartSec=5s).
      await new Promise((resolve) => setTimeout(resolve, 2000));
      run = startRun(['-c', config], { env });
      runs.push(run);
    }
    // Every HTTP event: the sender retried until answered, and a retry of what was committed was dropped.
    await expect.poll(() => counted('every-event'), { timeout: 60_000, message: 'HTTP events' }).toBe(EVENTS);
    await sender;
    // Every rsyslog line, and the ones written after the restarts too.
    appendFileSync(input, Array.from({ length: 100 }, (_, k) => `line ${LINES + k + 1} of the test\n`).join(''));
    await expect.poll(() => counted('every-line'), { timeout: 60_000, message: 'rsyslog lines' }).toBe(LINES + 100);
    // Each number once, each incident one line: nothing lost, nothing read twice.
    for (const rule of ['every-line', 'every-event']) {
      const rows = db().prepare('SELECT key_json, count FROM incidents WHERE rule = ?').all(rule) as {
        key_json: string;
        count: number;
      }[];
      expect(new Set(rows.map((r) => r.key_json)).size).toBe(rows.length);
      expect(rows.filter((r) => r.count !== 1)).toEqual([]);
    }
    run.child.kill('SIGTERM');
    await run.exited;
  }, 180_000);
});
