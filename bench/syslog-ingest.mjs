// Syslog over TCP into `logwarden run` (a syslog source, the sshd pack, a store file): how many messages a second one
// sender gets through (until the incident of a last marker message is printed), the process's peak RSS meanwhile, and
// the time from a message sent to its incident on stdout while 10,000 other messages a second arrive.
// `node bench/syslog-ingest.mjs [--messages N] [--rate N] [--samples N]`, or measureSyslogIngest() from bench/run.mjs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CLI = fileURLToPath(new URL('../bin/logwarden.js', import.meta.url));

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const frame = (text) => `${Buffer.byteLength(text)} ${text}`;
const background = (k) =>
  frame(
    `<38>1 2026-12-04T05:00:00.000000+00:00 web${k % 50} sshd ${1000 + (k % 30000)} - - Accepted publickey for deploy from 10.0.${(k >> 8) & 255}.${k & 255} port ${1024 + (k % 60000)} ssh2`,
  );
const failure = (k) =>
  frame(
    `<38>1 2026-12-04T05:00:00.000000+00:00 web${k % 50} sshd ${1000 + (k % 30000)} - - Failed password for root from 198.51.${(k >> 8) & 255}.${k & 255} port ${1024 + (k % 60000)} ssh2`,
  );
const probe = (seq) => frame(`<38>1 2026-12-04T05:00:00.000000+00:00 web1 probe 1 - - probe seq=${seq}`);

/** Starts `logwarden run`; resolves next(seq) when the incident of probe seq is printed. */
async function startLogwarden(dir, port) {
  const config = join(dir, 'ingest.yml');
  writeFileSync(
    config,
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: fleet, type: syslog, listen: "tcp://127.0.0.1:${port}" }]
rules:
  - { use: sshd, source: fleet }
  - { id: probe, source: fleet, program: probe, pattern: 'probe seq=(?<seq>\\d+)$', fields: { seq: int }, threshold: { count: 1, by: [seq] }, title: 'probe {seq}' }
`,
  );
  const child = spawn(process.execPath, [CLI, 'run', '-c', config], { stdio: ['ignore', 'pipe', 'ignore'] });
  const waiting = new Map();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const seq = /"title":"probe (\d+)"/.exec(line)?.[1];
    const resolve = seq && waiting.get(seq);
    if (resolve) {
      waiting.delete(seq);
      resolve(performance.now());
    }
  });
  const next = (seq) => new Promise((resolve) => waiting.set(String(seq), resolve));
  const peakRssMb = () => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
  };
  // Ready once a probe sent gets through.
  for (let i = 0; ; i++) {
    const socket = connect({ port, host: '127.0.0.1' });
    const ok = await new Promise((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    if (ok) {
      const seen = next(999_999);
      socket.end(probe(999_999));
      await seen;
      break;
    }
    if (i > 200) throw new Error('logwarden run did not listen');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, next, peakRssMb };
}

export async function measureSyslogIngest({ messages = 500_000, rate = 10_000, samples = 200 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'logwarden-ingest-'));
  const port = await freePort();
  const lw = await startLogwarden(dir, port);
  try {
    // Throughput: one connection, as fast as the socket takes them (every 100th a failure), then a marker.
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise((resolve) => socket.once('connect', resolve));
    const started = performance.now();
    const done = lw.next(0);
    for (let k = 0; k < messages; k += 1000) {
      let batch = '';
      for (let j = k; j < Math.min(messages, k + 1000); j++) batch += j % 100 === 0 ? failure(j) : background(j);
      if (!socket.write(batch)) await new Promise((resolve) => socket.once('drain', resolve));
    }
    socket.write(probe(0));
    const finished = await done;
    const perSecond = messages / ((finished - started) / 1000);
    const peakRssMb = lw.peakRssMb();

    // Latency: probes among `rate` messages a second, a tick every 10 ms.
    const times = [];
    let k = messages;
    const tick = setInterval(() => {
      let batch = '';
      for (let j = 0; j < rate / 100; j++) batch += background(k++);
      socket.write(batch);
    }, 10);
    for (let seq = 1; seq <= samples; seq++) {
      const seen = lw.next(seq);
      const t0 = performance.now();
      socket.write(probe(seq));
      times.push((await seen) - t0);
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
    }
    clearInterval(tick);
    socket.end();
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    return { messages, perSecond, peakRssMb, rate, samples, p50: q(0.5), p99: q(0.99) };
  } finally {
    lw.child.kill('SIGTERM');
    await new Promise((resolve) => lw.child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '500000' },
      rate: { type: 'string', default: '10000' },
      samples: { type: 'string', default: '200' },
    },
  });
  const r = await measureSyslogIngest({
    messages: Number(values.messages),
    rate: Number(values.rate),
    samples: Number(values.samples),
  });
  console.log(JSON.stringify(r));
}
