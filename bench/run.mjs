// `npm run bench`: logwarden measured side by side with a baseline in the same run, printed as ratios.
//   throughput: `logwarden replay` (sshd + sudo packs) vs `LC_ALL=C grep -E -c` with equivalent patterns, over the
//               same deterministic 1,000,000-line auth.log;
//   latency:    a line appended to a watched file → its incident JSON on logwarden's stdout, vs the same line on the
//               stdout of `tail -F`, p50/p99 over 200 samples.
// Options: --lines N (default 1000000), --runs N (default 5), --samples N (default 200).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeAuthLog } from './generate-auth-log.mjs';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    samples: { type: 'string', default: '200' },
  },
});
const CLI = fileURLToPath(new URL('../bin/logwarden.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'logwarden-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const fmt = (n) => Math.round(n).toLocaleString('en-US');

// The same failures the sshd and sudo packs look for, as one ERE.
const GREP_PATTERN =
  'sshd(-session)?\\[[0-9]+\\]: (Failed (password|keyboard-interactive/pam) for |Invalid user |pam_unix\\(sshd:auth\\): authentication failure|error: maximum authentication attempts|Disconnecting (authenticating|invalid) user .* Too many authentication failures|ROOT LOGIN REFUSED|User .* not allowed because)|sudo(\\[[0-9]+\\])?: .*(pam_unix\\(sudo:auth\\): authentication failure|[3-9] incorrect password attempts|user NOT in sudoers|user NOT authorized|command not allowed)';

function timed(command, args, env = process.env) {
  const started = process.hrtime.bigint();
  // Output goes to a pipe: GNU grep stops at the first match when it writes to /dev/null.
  const result = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return { seconds, stdout: result.stdout };
}

async function throughput() {
  const lines = Number(values.lines);
  const log = join(work, 'auth.log');
  process.stdout.write(`generating ${fmt(lines)} lines… `);
  const bytes = await writeAuthLog(log, { count: lines });
  console.log(`${(bytes / 1e6).toFixed(1)} MB`);
  const config = join(work, 'bench.yml');
  writeFileSync(
    config,
    'store: { path: ":memory:" }\nsources: [{ id: auth, path: /var/log/auth.log }]\nrules:\n  - { use: sshd, source: auth }\n  - { use: sudo, source: auth }\n',
  );
  const jobs = Math.min(4, availableParallelism());
  const grep = [];
  const runs = { one: { wall: [], matching: [] }, all: { wall: [], matching: [] } };
  let grepCount = 0;
  let lwCount = 0;
  const replay = (j, into) => {
    const r = timed(process.execPath, [CLI, 'replay', '--jobs', String(j), '-c', config, log]);
    into.wall.push(r.seconds);
    into.matching.push(Number(/ in ([\d.]+) s:/.exec(r.stdout)[1]));
    lwCount = [...r.stdout.matchAll(/^\S+\s+([\d,]+)\s+[\d,]+\s+[\d,]+$/gm)].reduce(
      (sum, m) => sum + Number(m[1].replaceAll(',', '')),
      0,
    );
  };
  for (let i = 0; i < Number(values.runs); i++) {
    const g = timed('grep', ['-E', '-c', GREP_PATTERN, log], { ...process.env, LC_ALL: 'C' });
    grep.push(g.seconds);
    grepCount = Number(g.stdout.trim());
    replay(1, runs.one);
    if (jobs > 1) replay(jobs, runs.all);
  }
  const summary = (r) => ({ wall: median(r.wall), matching: median(r.matching) });
  return {
    lines,
    jobs,
    grepCount,
    lwCount,
    grep: median(grep),
    one: summary(runs.one),
    all: jobs > 1 ? summary(runs.all) : undefined,
  };
}

/** Starts a process and resolves next(seq) when it prints a line in which `seqPattern` finds seq. */
function startReader(command, args, seqPattern) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const waiting = new Map();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const seq = seqPattern.exec(line)?.[1];
    const resolve = seq && waiting.get(seq);
    if (resolve) {
      waiting.delete(seq);
      resolve(performance.now());
    }
  });
  return {
    child,
    next: (seq) => new Promise((resolve) => waiting.set(String(seq), resolve)),
  };
}

async function measureLatency(file, reader, samples) {
  const out = [];
  for (let i = 0; i < samples; i++) {
    const seen = reader.next(i);
    const t0 = performance.now();
    appendFileSync(
      file,
      `Nov 23 10:00:00 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2 seq=${i}\n`,
    );
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`sample ${i} not seen in 5 s`)), 5000),
    );
    out.push((await Promise.race([seen, timeout])) - t0);
    // Independent samples: let each one settle, with jitter so samples do not fall in step with any timer.
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
  }
  return out;
}

const TAIL_SEQ = /seq=(\d+)/;
const WARMUP = 999_999;

async function latency() {
  const samples = Number(values.samples);
  const dir = join(work, 'latency');
  mkdirSync(dir);
  const log = join(dir, 'auth.log');
  writeFileSync(log, '');
  const config = join(dir, 'latency.yml');
  writeFileSync(
    config,
    `store: { path: ":memory:" }\nsources: [{ id: auth, path: ${JSON.stringify(log)} }]\nrules:\n  - id: each\n    source: auth\n    pattern: 'Failed password for (?<user>\\S+) from (?<ip>\\S+) port \\d+ ssh2 seq=(?<seq>\\d+)$'\n    fields: { ip: ip, seq: int }\n    threshold: { count: 1, by: [seq] }\n    title: 'line {seq}'\n`,
  );
  const lw = startReader(process.execPath, [CLI, 'run', '-c', config], /"key":\{"seq":"(\d+)"\}/);
  const tail = startReader('tail', ['-n', '0', '-F', log], TAIL_SEQ);
  // Both are ready once they report a first line.
  let seen = 0;
  const warm = Promise.all([lw.next(WARMUP), tail.next(WARMUP)].map((p) => p.then(() => seen++)));
  await appendWarmup(log, () => seen === 2);
  await warm;
  const lwTimes = await measureLatency(log, lw, samples);
  writeFileSync(log, '');
  const tailLog = join(dir, 'tail.log');
  writeFileSync(tailLog, '');
  tail.child.kill();
  const tail2 = startReader('tail', ['-n', '0', '-F', tailLog], TAIL_SEQ);
  await new Promise((r) => setTimeout(r, 300));
  const tailTimes = await measureLatency(tailLog, tail2, samples);
  lw.child.kill('SIGTERM');
  tail2.child.kill();
  return { samples, lw: lwTimes, tail: tailTimes };
}

async function appendWarmup(log, ready) {
  // Repeat until both readers are watching; lines before that are missed by design (from: end, tail -n 0).
  for (let i = 0; i < 100 && !ready(); i++) {
    appendFileSync(
      log,
      `Nov 23 10:00:00 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2 seq=${WARMUP}\n`,
    );
    await new Promise((r) => setTimeout(r, 100));
  }
}

try {
  const t = await throughput();
  console.log('\nthroughput (median of %d runs, same file, side by side)', Number(values.runs));
  console.log(
    `  grep -E -c (baseline)        ${t.grep.toFixed(3)} s wall   ${fmt(t.lines / t.grep)} lines/s   ${fmt(t.grepCount)} matching lines`,
  );
  const row = (name, r) => {
    console.log(
      `  ${name.padEnd(27)} ${r.wall.toFixed(3)} s wall   ${fmt(t.lines / r.wall)} lines/s;  matching alone ${r.matching.toFixed(3)} s   ${fmt(t.lines / r.matching)} lines/s`,
    );
    console.log(
      `  ${''.padEnd(27)} ratio to grep: ${(t.grep / r.wall).toFixed(2)} wall clock, ${(t.grep / r.matching).toFixed(2)} matching alone   (targets: ratio ≥ 0.35, ≥ 1,500,000 lines/s)`,
    );
  };
  row('logwarden replay --jobs 1', t.one);
  if (t.all) row(`logwarden replay --jobs ${t.jobs}`, t.all);
  console.log('  (wall clock includes Node.js start-up and loading the config, ~0.3-0.4 s here)');
  if (t.grepCount !== t.lwCount) console.log(`  WARNING: grep counted ${t.grepCount} lines, logwarden ${t.lwCount}`);

  const l = await latency();
  const p = (xs, q) => quantile(xs, q).toFixed(1);
  console.log('\nlatency, line appended → seen on stdout (%d samples each)', l.samples);
  console.log(`  tail -F (baseline)                 p50 ${p(l.tail, 0.5)} ms   p99 ${p(l.tail, 0.99)} ms`);
  console.log(
    `  logwarden run → incident JSON      p50 ${p(l.lw, 0.5)} ms   p99 ${p(l.lw, 0.99)} ms   (target p99 ≤ 20 ms)`,
  );
  console.log(`  ratio p99 logwarden / tail -F: ${(quantile(l.lw, 0.99) / quantile(l.tail, 0.99)).toFixed(2)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
