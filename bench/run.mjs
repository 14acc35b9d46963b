// `npm run bench`: logwarden measured side by side with a baseline in the same run, printed as ratios.
//   throughput: `logwarden replay` (sshd + sudo packs) vs `LC_ALL=C grep -E -c` with equivalent patterns, over the
//               same deterministic 1,000,000-line auth.log;
//   latency:    a line appended to a watched file → its incident JSON on logwarden's stdout, vs the same line on the
//               stdout of `tail -F`, p50/p99 over 200 samples.
//   fail2ban:   `logwarden replay --fail2ban-filter` vs fail2ban-regex, Debian's sshd filter, the same file (about
//               30 s a run for fail2ban-regex; --f2b-lines N takes the first N lines instead, where Node's start-up
//               and JIT warm-up, ~0.1 s, weigh more); target ≥ 20× its lines/s.
//   memory:     bench/memory.mjs: N failures from N distinct addresses through the matcher and the threshold
//               tracker, peak RSS (target < 300 MB at 10,000,000 keys).
//   syslog:     bench/syslog-ingest.mjs: messages a second over TCP into `logwarden run` (target ≥ 100,000, RSS
//               < 250 MB), and message → incident p99 while 10,000 messages a second arrive (target ≤ 20 ms).
//   detectors:  the learned detectors on six generated weeks of three hosts (bench/generate-weeks.mjs, scored by
//               bench/evaluate-detectors.mjs): per detector the share of injected anomalies found (target ≥ 0.9),
//               how long after they became visible, false alerts per host and day (target ≤ 1 in all); and their
//               state over a year of 1,000 users and 100,000 addresses (bench/detector-state.mjs: store < 50 MB,
//               detector state < 100 MB).
// Options: --lines N (default 1000000), --runs N (default 5), --samples N (default 200), --f2b-lines N,
//          --f2b-runs N (default 3), --memory-keys N (default 10000000; 0 skips it), --state-days N (default 365;
//          0 skips the detector state).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluate } from './evaluate-detectors.mjs';
import { writeAuthLog } from './generate-auth-log.mjs';
import { generateHost } from './generate-weeks.mjs';
import { loadSources } from './load-sources.mjs';
import { measureSyslogIngest } from './syslog-ingest.mjs';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    samples: { type: 'string', default: '200' },
    'f2b-lines': { type: 'string' },
    'f2b-runs': { type: 'string', default: '3' },
    'memory-keys': { type: 'string', default: '10000000' },
    'state-days': { type: 'string', default: '365' },
  },
});
const CLI = fileURLToPath(new URL('../bin/logwarden.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'logwarden-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const fmt = (n) => Math.round(n).toLocaleString('en-US');

// The same failures the sshd and sudo packs look for, as one ERE: each message form, after its program's tag.
const GREP_PATTERN = [
  'sshd(-session)?\\[[0-9]+\\]: ((error|fatal): )?(Failed [a-z/-]+ for |Invalid user |Illegal user |input_userauth_request: invalid user',
  '|User .* (from .* )?not allowed because |administratively prohibited|PAM: [A-Za-z ]+ for |pam_[a-z]+\\(sshd:auth\\): (authentication failure|check pass)',
  '|PAM [0-9]+ more authentication failure|PAM service\\(sshd\\) ignoring|maximum authentication attempts|Disconnecting.*(Too many authentication failures|Change of username)',
  '|ROOT LOGIN REFUSED|Received disconnect from .*:3: .*Auth fail|refused connect from|drop connection .* penalty: (failed|attempted) auth',
  '|pam_faillock\\(sshd|pam_tally2?\\(sshd)',
  '|sudo(edit)?(\\[[0-9]+\\])?: +(pam_[a-z]+\\(sudo(-i)?:auth\\): authentication failure|pam_faillock\\(sudo|pam_tally2?\\(sudo|[^ ]+ : ([0-9]+ incorrect password attempt',
  '|PAM authentication error|pam_authenticate:|a password is required|user NOT in sudoers|user NOT authorized on host|command not allowed|setid command rejected',
  '|sorry, you are not allowed to set|user not allowed to|account validation failure|Account or password is expired|PAM account management error',
  '|Password expired|Account expired or PAM|unknown (user|group)))',
].join('');

async function detectors() {
  const modules = await loadSources({
    'src/config/load.ts': ['parseConfig'],
    'src/rules/match.ts': ['SourceMatcher', 'matchChunk'],
    'src/rules/verdict.ts': ['matchOf'],
    'src/incidents/incident-tracker.ts': ['IncidentTracker'],
  });
  const hosts = [0, 1, 2].map((i) => generateHost({ host: `web${i + 1}`, hostIndex: i, seed: 1 }));
  const started = performance.now();
  const r = evaluate(modules, hosts);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    '\nlearned detectors, %d generated hosts × 6 weeks (%s lines, %s lines/s through matcher and tracker)',
    hosts.length,
    fmt(r.lines),
    fmt(r.lines / seconds),
  );
  console.log('  detector                 found          time to detect (median, max)   false alerts / host-day');
  const time = (ms) =>
    ms === undefined
      ? '-'
      : ms < 1000
        ? `${ms} ms`
        : ms < 60_000
          ? `${(ms / 1000).toFixed(0)} s`
          : `${(ms / 60_000).toFixed(0)} min`;
  for (const row of r.rows) {
    console.log(
      `  ${row.detector.padEnd(24)} ${`${row.detected}/${row.injected}`.padStart(5)} (${row.rate.toFixed(2)})   ${`${time(row.medianDelayMs)}, ${time(row.maxDelayMs)}`.padEnd(29)} ${row.falsePerHostDay.toFixed(2)}`,
    );
  }
  const total = r.rows.reduce((sum, row) => sum + row.falsePerHostDay, 0);
  console.log(
    `  all detectors: ${total.toFixed(2)} false alerts per host-day (target ≤ 1); each found ≥ 0.9: ${r.rows.every((row) => row.rate >= 0.9) ? 'yes' : 'NO'}`,
  );
  const days = Number(values['state-days']);
  if (days > 0) {
    const m = spawnSync(
      process.execPath,
      ['--expose-gc', fileURLToPath(new URL('./detector-state.mjs', import.meta.url)), '--days', String(days)],
      { encoding: 'utf8' },
    );
    if (m.status !== 0) throw new Error(`detector state bench failed: ${m.stderr}`);
    const st = JSON.parse(m.stdout);
    console.log(
      '\nlearned detectors over %d days: %s users, %s addresses (%s lines, %s s)',
      st.days,
      fmt(st.users),
      fmt(st.addresses),
      fmt(st.lines),
      st.seconds,
    );
    console.log(
      `  store ${st.storeMb} MB (target < 50 MB), ${fmt(st.learnedFacts)} facts; detector state ${st.stateMb} MB of heap after GC (target < 100 MB); process peak RSS ${st.peakRssMb} MB, ${st.baseRssMb} MB before the first line`,
    );
  }
}

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
  // As replay's own default: a second thread only pays on more than two cores.
  const jobs = availableParallelism() > 2 ? Math.min(4, availableParallelism()) : 1;
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
  const emptyLog = join(work, 'empty.log');
  writeFileSync(emptyLog, '');
  const empty = [];
  for (let i = 0; i < Number(values.runs); i++) {
    empty.push(timed(process.execPath, [CLI, 'replay', '-c', config, emptyLog]).seconds);
    const g = timed('grep', ['-E', '-c', GREP_PATTERN, log], { ...process.env, LC_ALL: 'C' });
    grep.push(g.seconds);
    grepCount = Number(g.stdout.trim());
    replay(1, runs.one);
    if (jobs > 1) replay(jobs, runs.all);
  }
  const summary = (r) => ({ wall: median(r.wall), matching: median(r.matching) });
  return {
    log,
    lines,
    jobs,
    grepCount,
    lwCount,
    grep: median(grep),
    empty: median(empty),
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

// A Slack Web API on loopback that notes when each incident's chat.postMessage arrives.
async function startSlackStub() {
  const arrived = new Map();
  const waiting = new Map();
  let ts = 0;
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const params = new URLSearchParams(body);
    const method = req.url.replace('/api/', '');
    const reply = (o) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(o));
    };
    if (method === 'auth.test') return reply({ ok: true, team: 'bench', user_id: 'UBOT', bot_id: 'BBOT' });
    if (method === 'chat.postMessage') {
      const seq = /line (\d+)/.exec(params.get('text') ?? '')?.[1];
      if (seq) {
        arrived.set(seq, performance.now());
        waiting.get(seq)?.();
      }
      ts++;
      return reply({ ok: true, channel: 'C1', ts: `1.${ts}` });
    }
    return reply({ ok: true });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/api/`,
    next: (seq) =>
      new Promise((resolve) => {
        const seen = arrived.get(String(seq));
        if (seen) resolve(seen);
        else waiting.set(String(seq), () => resolve(arrived.get(String(seq))));
      }),
    close: () => new Promise((r) => server.close(r)),
  };
}

async function slackLatency() {
  const samples = Number(values.samples);
  const dir = join(work, 'slack');
  mkdirSync(dir);
  const log = join(dir, 'auth.log');
  writeFileSync(log, '');
  const config = join(dir, 'slack.yml');
  writeFileSync(
    config,
    `store: { path: ":memory:" }\nsources: [{ id: auth, path: ${JSON.stringify(log)} }]\nrules:\n  - id: each\n    source: auth\n    pattern: 'Failed password for (?<user>\\S+) from (?<ip>\\S+) port \\d+ ssh2 seq=(?<seq>\\d+)$'\n    fields: { ip: ip, seq: int }\n    threshold: { count: 1, by: [seq] }\n    title: 'line {seq}'\nslack: { channel: C1 }\n`,
  );
  const slack = await startSlackStub();
  const child = spawn(process.execPath, [CLI, 'run', '-c', config], {
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_API_URL: slack.url },
  });
  try {
    const line = (seq) =>
      `Nov 23 10:00:00 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2 seq=${seq}\n`;
    let ready = false;
    const warm = slack.next(WARMUP).then(() => {
      ready = true;
    });
    for (let i = 0; i < 100 && !ready; i++) {
      appendFileSync(log, line(WARMUP));
      await new Promise((r) => setTimeout(r, 100));
    }
    await warm;
    const times = [];
    for (let i = 0; i < samples; i++) {
      const seen = slack.next(i);
      const t0 = performance.now();
      appendFileSync(log, line(i));
      times.push((await seen) - t0);
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
    }
    return times;
  } finally {
    child.kill('SIGTERM');
    await slack.close();
  }
}

async function searchSpeed(log) {
  const { searchLogs } = await loadSources({ 'src/queries/search-logs.ts': ['searchLogs'] });
  const source = { id: 'auth', type: 'file', path: log, from: 'end', maxLineBytes: 65536 };
  const runs = Number(values.runs);
  const measure = async (request) => {
    const times = [];
    let found = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      found = (await searchLogs([source], request, Date.now())).lines.length;
      times.push((performance.now() - started) / 1000);
    }
    return { seconds: median(times), found };
  };
  const grepTimes = [];
  for (let i = 0; i < runs; i++)
    grepTimes.push(timed('grep', ['-F', '-c', 'Invalid user admin', log], { ...process.env, LC_ALL: 'C' }).seconds);
  return {
    grep: median(grepTimes),
    text: await measure({ text: 'Invalid user admin', regex: false, limit: 50 }),
    regex: await measure({ text: 'Failed password for (root|invalid user admin)', regex: true, limit: 50 }),
    // No literal to screen blocks with: RE2 (linear time, in JavaScript) runs on every line.
    unscreened: await measure({ text: '(ro|ad)[a-z]* f', regex: true, limit: 50 }),
  };
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

// Debian's sshd filter over the bench log (or its head), by fail2ban-regex and by logwarden, in turns, medians.
function fail2banSpeed(log, total) {
  const filter = '/etc/fail2ban/filter.d/sshd.conf';
  if (spawnSync('fail2ban-regex', ['--version']).status !== 0) return undefined;
  const lines = Math.min(total, Number(values['f2b-lines'] ?? total));
  let head = log;
  if (lines < total) {
    head = join(work, 'f2b.log');
    writeFileSync(head, spawnSync('head', ['-n', String(lines), log], { maxBuffer: 1 << 30 }).stdout);
  }
  const inner = (out) => Number(/\[processed in ([\d.]+) s/.exec(out)?.[1]);
  const counts = (out) => /^Lines: .*$/m.exec(out)?.[0];
  const theirs = [];
  const ours = [];
  let theirCounts;
  let ourCounts;
  for (let i = 0; i < Number(values['f2b-runs']); i++) {
    process.stdout.write(`fail2ban-regex run ${i + 1}… `);
    const f = timed('fail2ban-regex', ['--usedns=no', head, filter]);
    console.log(`${f.seconds.toFixed(1)} s`);
    theirs.push({ wall: f.seconds, inner: inner(f.stdout.replace(' sec]', ' s]')) });
    theirCounts = counts(f.stdout);
    const o = timed(process.execPath, [CLI, 'replay', '--fail2ban-filter', filter, head]);
    ours.push({ wall: o.seconds, inner: inner(o.stdout) });
    ourCounts = counts(o.stdout);
  }
  const med = (xs, k) => median(xs.map((x) => x[k]));
  return {
    lines,
    theirs: { wall: med(theirs, 'wall'), inner: med(theirs, 'inner') },
    ours: { wall: med(ours, 'wall'), inner: med(ours, 'inner') },
    same: theirCounts === ourCounts,
    theirCounts,
    ourCounts,
  };
}

// Start-up: `logwarden --help` and `node -e 0` in turns, medians.
function startup() {
  const runs = Math.max(5, Number(values.runs));
  const node = [];
  const help = [];
  for (let i = 0; i < runs; i++) {
    node.push(timed(process.execPath, ['-e', '0']).seconds);
    help.push(timed(process.execPath, [CLI, '--help']).seconds);
  }
  return { node: median(node), help: median(help), runs };
}

try {
  const s = startup();
  console.log('\nstart-up (median of %d runs, in turns)', s.runs);
  console.log(`  node -e 0 (baseline)         ${(s.node * 1000).toFixed(0)} ms`);
  console.log(
    `  logwarden --help             ${(s.help * 1000).toFixed(0)} ms   ratio ${(s.help / s.node).toFixed(2)}   (target ≤ 2)`,
  );
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
      `  ${''.padEnd(27)} ratio to grep: ${(t.grep / r.wall).toFixed(2)} wall clock, ${(t.grep / r.matching).toFixed(2)} matching alone   (target: ≥ 0.5 wall clock; f8bd6a1, before envelopes and message tables, on its default of two threads here: 0.31, 0.62)`,
    );
  };
  row('logwarden replay --jobs 1', t.one);
  if (t.all) row(`logwarden replay --jobs ${t.jobs}`, t.all);
  console.log(
    `  (wall clock includes Node.js start-up and loading the config: a replay of an empty file takes ${t.empty.toFixed(3)} s)`,
  );
  if (t.grepCount !== t.lwCount) console.log(`  WARNING: grep counted ${t.grepCount} lines, logwarden ${t.lwCount}`);

  const f2b = fail2banSpeed(t.log, t.lines);
  if (f2b) {
    console.log(
      '\nfail2ban filter sshd.conf over %s lines (median of %d runs, in turns)',
      fmt(f2b.lines),
      Number(values['f2b-runs']),
    );
    const rate = (s) => fmt(f2b.lines / s);
    console.log(
      `  fail2ban-regex (baseline)    ${f2b.theirs.wall.toFixed(3)} s wall   processing ${f2b.theirs.inner.toFixed(3)} s   ${rate(f2b.theirs.inner)} lines/s`,
    );
    console.log(
      `  logwarden --fail2ban-filter  ${f2b.ours.wall.toFixed(3)} s wall   processing ${f2b.ours.inner.toFixed(3)} s   ${rate(f2b.ours.inner)} lines/s`,
    );
    console.log(
      `  ratio: ${(f2b.theirs.wall / f2b.ours.wall).toFixed(1)}× wall clock, ${(f2b.theirs.inner / f2b.ours.inner).toFixed(1)}× processing   (target ≥ 20× lines/s)`,
    );
    console.log(
      f2b.same
        ? `  same counts: ${f2b.ourCounts}`
        : `  WARNING: fail2ban-regex ${f2b.theirCounts}; logwarden ${f2b.ourCounts}`,
    );
  } else console.log('\nfail2ban: fail2ban-regex is not installed (apt-get install fail2ban); skipped');

  const memoryKeys = Number(values['memory-keys']);
  if (memoryKeys > 0) {
    const m = spawnSync(
      process.execPath,
      [fileURLToPath(new URL('./memory.mjs', import.meta.url)), '--keys', String(memoryKeys)],
      {
        encoding: 'utf8',
      },
    );
    if (m.status !== 0) throw new Error(`memory bench failed: ${m.stderr}`);
    const r = JSON.parse(m.stdout);
    console.log('\nmemory, %s failures from as many distinct addresses (IPv6, one /64 each)', fmt(r.keys));
    console.log(
      `  peak RSS ${r.peakRssMb} MB   (target < 300 MB)   ${fmt(r.linesPerSecond)} lines/s; ${fmt(r.pendingKeys)} keys counted at the end, ${fmt(r.evicted)} dropped`,
    );
  }

  await detectors();

  const l = await latency();
  const p = (xs, q) => quantile(xs, q).toFixed(1);
  console.log('\nlatency, line appended → seen on stdout (%d samples each)', l.samples);
  console.log(`  tail -F (baseline)                 p50 ${p(l.tail, 0.5)} ms   p99 ${p(l.tail, 0.99)} ms`);
  console.log(
    `  logwarden run → incident JSON      p50 ${p(l.lw, 0.5)} ms   p99 ${p(l.lw, 0.99)} ms   (target p99 ≤ 20 ms)`,
  );
  console.log(`  ratio p99 logwarden / tail -F: ${(quantile(l.lw, 0.99) / quantile(l.tail, 0.99)).toFixed(2)}`);

  const search = await searchSpeed(t.log);
  console.log(
    '\n/logs search over the same %s-line file (median of %d runs, limit 50)',
    fmt(t.lines),
    Number(values.runs),
  );
  console.log(`  grep -F -c (baseline)              ${search.grep.toFixed(3)} s`);
  console.log(`  search "Invalid user admin"        ${search.text.seconds.toFixed(3)} s   (target < 1 s)`);
  console.log(`  search /Failed password for (root|invalid user admin)/  ${search.regex.seconds.toFixed(3)} s`);
  console.log(`  search /(ro|ad)[a-z]* f/ (RE2 on every line)  ${search.unscreened.seconds.toFixed(3)} s`);

  const ingest = await measureSyslogIngest({ samples: Number(values.samples) });
  console.log('\nsyslog over TCP into `logwarden run` (octet-counted RFC 5424, sshd pack, store file)');
  console.log(
    `  ${fmt(ingest.messages)} messages from one sender: ${fmt(ingest.perSecond)} messages/s (target ≥ 100,000), peak RSS ${ingest.peakRssMb} MB (target < 250 MB)`,
  );
  console.log(
    `  message → incident at ${fmt(ingest.rate)} messages/s: p50 ${ingest.p50.toFixed(1)} ms   p99 ${ingest.p99.toFixed(1)} ms   (target p99 ≤ 20 ms)`,
  );

  const slackTimes = await slackLatency();
  console.log('\nlatency, line appended → chat.postMessage at a loopback Slack API (%d samples)', slackTimes.length);
  console.log(`  p50 ${p(slackTimes, 0.5)} ms   p99 ${p(slackTimes, 0.99)} ms   (target p99 ≤ 50 ms)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
