// Debian's real rsyslogd forwarding to logwarden, as a fleet host would: lines it reads from a file (imfile) go out
// with omfwd over TCP and TLS (gtls, the server's name checked against a throwaway CA), RFC 5424 template, a
// disk-assisted queue, and open an incident in logwarden's pipeline; every line arrives, once. (A restart of
// logwarden is not lossless over omfwd: TCP has no acknowledgement, and rsyslog loses the batch it sends into the
// closed connection before it notices. RELP, rsyslog's acknowledged protocol, is what closes that gap.)
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { IncidentEvent } from '../../src/core/types.js';
import { freePort } from '../helpers/free-port.js';
import { startLogwarden } from '../helpers/start-logwarden.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A CA and a server certificate for localhost signed by it, made with openssl. */
function certificates(dir: string) {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost\n');
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
    '-out',
    'server.pem',
  );
  // A client certificate too: librelp's TLS (omrelp tls="on" with x509 checks) offers certificate ciphers only with one.
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=web1', '-keyout', 'client.key', '-out', 'client.csr');
  run(
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    'client.pem',
  );
  return {
    ca: join(dir, 'ca.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
  };
}

/** rsyslogd in the foreground, reading `input` as sshd's lines and forwarding them to 127.0.0.1:port. */
function startRsyslog(
  dir: string,
  input: string,
  port: number,
  how: { tlsCa: string } | 'relp' | { relpTls: ReturnType<typeof certificates> },
): ChildProcess {
  const work = join(dir, 'rsyslog-work');
  mkdirSync(work, { recursive: true });
  const conf = join(dir, 'rsyslog.conf');
  const queue = `queue.type="LinkedList" queue.filename="forward" queue.saveOnShutdown="on" queue.maxDiskSpace="64m"
       action.resumeRetryCount="-1" action.resumeInterval="1"`;
  writeFileSync(
    conf,
    typeof how === 'object' && 'relpTls' in how
      ? `global(workDirectory="${work}")
module(load="imfile" PollingInterval="1")
module(load="omrelp")
input(type="imfile" File="${input}" Tag="sshd[4242]:" Facility="auth" Severity="info")
action(type="omrelp" target="127.0.0.1" port="${port}" template="RSYSLOG_SyslogProtocol23Format"
       tls="on" tls.caCert="${how.relpTls.ca}" tls.myCert="${how.relpTls.clientCert}" tls.myPrivKey="${how.relpTls.clientKey}"
       tls.authMode="name" tls.permittedPeer=["localhost"] ${queue})
`
      : how === 'relp'
        ? `global(workDirectory="${work}")
module(load="imfile" PollingInterval="1")
module(load="omrelp")
input(type="imfile" File="${input}" Tag="sshd[4242]:" Facility="auth" Severity="info")
action(type="omrelp" target="127.0.0.1" port="${port}" template="RSYSLOG_SyslogProtocol23Format" ${queue})
`
        : `global(workDirectory="${work}" DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="${how.tlsCa}")
module(load="imfile" PollingInterval="1")
input(type="imfile" File="${input}" Tag="sshd[4242]:" Facility="auth" Severity="info")
action(type="omfwd" target="127.0.0.1" port="${port}" protocol="tcp" template="RSYSLOG_SyslogProtocol23Format"
       TCP_Framing="octet-counted" StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="x509/name"
       StreamDriverPermittedPeers="localhost" ${queue})
`,
  );
  const child = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslog.pid')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
  return child;
}

describe('rsyslog forwarding to logwarden', () => {
  it('over TLS: an sshd brute force on another host opens an incident, and a thousand lines arrive once each', async () => {
    const dir = tempDir();
    const tls = certificates(dir);
    const port = await freePort();
    const input = join(dir, 'auth.log');
    writeFileSync(input, '');
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources:
  - id: fleet
    type: syslog
    listen: "tls://127.0.0.1:${port}"
    tls: { cert: ${JSON.stringify(tls.cert)}, key: ${JSON.stringify(tls.key)} }
rules:
  - { use: sshd, source: fleet }
  - { id: every-line, source: fleet, program: sshd, pattern: 'line (?<n>\\d+) of the test', fields: { n: int }, severity: info, threshold: { count: 1, by: [n] } }
`,
      'fleet.yml',
    );
    // Each test line opens an incident of its own (by its number); a line read twice would grow it.
    const seen = new Set<string>();
    let duplicates = 0;
    const events: IncidentEvent[] = [];
    const start = () =>
      startLogwarden(loaded, {
        clock: () => Date.now(),
        onEvent: (e) => {
          if (e.incident.rule !== 'every-line') return void events.push(e);
          if (e.event === 'opened') seen.add(e.incident.fields.n!);
          if (e.event === 'updated') duplicates++;
        },
      });
    const lw = await start();
    cleanup.push(() => lw.stop());
    startRsyslog(dir, input, port, { tlsCa: tls.ca });
    appendFileSync(
      input,
      Array.from({ length: 5 }, (_, k) => `Failed password for root from 203.0.113.7 port 4${k} ssh2\n`).join(''),
    );
    await expect
      .poll(() => events.map((e) => [e.event, e.incident.title]), { timeout: 20_000 })
      .toEqual([['opened', 'SSH brute force from 203.0.113.7']]);
    // A thousand lines, each once.
    let n = 0;
    const write = (count: number) => {
      appendFileSync(input, Array.from({ length: count }, () => `line ${++n} of the test\n`).join(''));
    };
    write(200);
    await expect.poll(() => seen.size, { timeout: 20_000 }).toBe(200);
    write(800);
    await expect.poll(() => seen.size, { timeout: 30_000 }).toBe(1000);
    expect(duplicates).toBe(0);
  }, 90_000);

  it('over RELP with TLS, client certificates checked: every line arrives once, and a stranger is refused', async () => {
    const dir = tempDir();
    const tls = certificates(dir);
    const port = await freePort();
    const input = join(dir, 'auth.log');
    writeFileSync(input, '');
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources:
  - id: fleet
    type: syslog
    listen: "relp+tls://127.0.0.1:${port}"
    tls: { cert: ${JSON.stringify(tls.cert)}, key: ${JSON.stringify(tls.key)}, ca: ${JSON.stringify(tls.ca)}, clientCerts: true }
rules:
  - { id: every-line, source: fleet, program: sshd, pattern: 'line (?<n>\\d+) of the test', fields: { n: int }, severity: info, threshold: { count: 1, by: [n] } }
`,
      'relp-tls.yml',
    );
    const seen = new Set<string>();
    let duplicates = 0;
    const lw = await startLogwarden(loaded, {
      clock: () => Date.now(),
      onEvent: (e) => {
        if (e.event === 'opened') seen.add(e.incident.fields.n!);
        if (e.event === 'updated') duplicates++;
      },
    });
    cleanup.push(() => lw.stop());
    startRsyslog(dir, input, port, { relpTls: tls });
    appendFileSync(input, Array.from({ length: 300 }, (_, k) => `line ${k + 1} of the test\n`).join(''));
    await expect.poll(() => seen.size, { timeout: 30_000 }).toBe(300);
    expect(duplicates).toBe(0);
    // A client without a certificate the CA signed gets no session.
    const stranger = connectTls({ port, host: '127.0.0.1', rejectUnauthorized: false });
    const closed = await new Promise<string>((resolve) => {
      stranger.on('error', (error) => resolve(error.message));
      stranger.on('close', () => resolve('closed'));
      stranger.on('secureConnect', () => stranger.write('1 open 0\n'));
      stranger.on('data', () => resolve('answered'));
    });
    expect(closed).not.toBe('answered');
  }, 90_000);

  it('over RELP: logwarden stops and starts again while rsyslog keeps sending, and every line arrives once', async () => {
    const dir = tempDir();
    const port = await freePort();
    const input = join(dir, 'auth.log');
    writeFileSync(input, '');
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: fleet, type: syslog, listen: "relp://127.0.0.1:${port}" }]
rules:
  - { id: every-line, source: fleet, program: sshd, pattern: 'line (?<n>\\d+) of the test', fields: { n: int }, severity: info, threshold: { count: 1, by: [n] } }
`,
      'relp.yml',
    );
    const seen = new Set<string>();
    let duplicates = 0;
    const start = () =>
      startLogwarden(loaded, {
        clock: () => Date.now(),
        onEvent: (e) => {
          if (e.event === 'opened') seen.add(e.incident.fields.n!);
          if (e.event === 'updated') duplicates++;
        },
      });
    let lw = await start();
    startRsyslog(dir, input, port, 'relp');
    let n = 0;
    const write = (count: number) => {
      appendFileSync(input, Array.from({ length: count }, () => `line ${++n} of the test\n`).join(''));
    };
    write(200);
    await expect.poll(() => seen.size, { timeout: 20_000 }).toBe(200);
    // Stopped while rsyslog sends; down until rsyslog has tried (and failed: no RELP there) to send what was written
    // meanwhile, twice.
    write(300);
    await lw.stop();
    let attempts = 0;
    const down = createServer((socket) => {
      attempts++;
      socket.destroy();
    }).listen(port, '127.0.0.1');
    await once(down, 'listening');
    write(200);
    await expect.poll(() => attempts, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => down.close(resolve));
    lw = await start();
    cleanup.push(() => lw.stop());
    write(300);
    await expect.poll(() => seen.size, { timeout: 30_000 }).toBe(1000);
    expect(duplicates).toBe(0);
  }, 90_000);
});
