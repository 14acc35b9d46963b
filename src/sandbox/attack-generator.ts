// Realistic log traffic for the demo: benign logins and page views, and now and then an attack — an SSH brute force
// from one address, a web scanner, a sudo refusal — written with the current time, so incidents open by themselves.
// Addresses come from the documentation ranges (RFC 5737), so nothing here names a real host.
import { appendFileSync } from 'node:fs';
import type { Clock } from '../core/types.js';

export interface AttackGeneratorOptions {
  authLog: string;
  webLog: string;
  clock?: Clock;
  /** Milliseconds between lines. */
  interval?: number;
}

export interface AttackGenerator {
  /** Writes the next scenario's lines at once (the demo's first incident should not keep a newcomer waiting). */
  burst(): void;
  stop(): void;
}

type Line = { log: 'auth' | 'web'; text: string };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');
/** A syslog timestamp in local time, as rsyslog writes it: "Nov 24 09:05:01". */
export const formatSyslogTime = (d: Date) =>
  `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
const formatAccessTime = (d: Date) =>
  `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;

const SCANNED = ['/wp-login.php', '/.env', '/.git/config', '/phpmyadmin/index.php', '/xmlrpc.php'];
const PAGES = ['/', '/pricing', '/docs/getting-started', '/static/app.css', '/api/health'];

// Each scenario is a function of a counter, so addresses and pids differ from one round to the next.
const SCENARIOS: ((n: number, pid: () => number) => Line[])[] = [
  (n, pid) =>
    ['root', 'admin', 'root', 'ubuntu', 'root', 'test'].map((user) => ({
      log: 'auth',
      text: `sshd[${pid()}]: Failed password for ${user === 'root' ? '' : 'invalid user '}${user} from 203.0.113.${(n % 200) + 7} port ${40_000 + pid()} ssh2`,
    })),
  (n) =>
    SCANNED.map((path) => ({
      log: 'web',
      text: `198.51.100.${(n % 200) + 3} - - [{access}] "GET ${path} HTTP/1.1" 404 153 "-" "Mozilla/5.0 (compatible; scanner)"`,
    })),
  (n, pid) => [
    {
      log: 'auth',
      text: `sudo[${pid()}]:  ${['mallory', 'trudy', 'oscar'][n % 3]} : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/intern ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow`,
    },
  ],
];

function benign(n: number, pid: () => number): Line[] {
  return n % 2 === 0
    ? [
        {
          log: 'auth',
          text: `sshd[${pid()}]: Accepted publickey for deploy from 10.0.0.${(n % 20) + 2} port ${50_000 + (n % 999)} ssh2: ED25519 SHA256:q3Wf0cJ7fYk`,
        },
      ]
    : [
        {
          log: 'web',
          text: `192.0.2.${(n % 50) + 10} - - [{access}] "GET ${PAGES[n % PAGES.length]} HTTP/1.1" 200 5120 "-" "Mozilla/5.0"`,
        },
      ];
}

export function startAttackGenerator(options: AttackGeneratorOptions): AttackGenerator {
  const clock = options.clock ?? Date.now;
  let pids = 4100;
  const pid = () => ++pids;
  let round = 0;
  let queue: Line[] = [];
  const write = (line: Line) => {
    const now = new Date(clock());
    const text =
      line.log === 'auth'
        ? `${formatSyslogTime(now)} web1 ${line.text}`
        : line.text.replace('{access}', formatAccessTime(now));
    appendFileSync(line.log === 'auth' ? options.authLog : options.webLog, `${text}\n`);
  };
  // A round: a few quiet lines, then one attack; the attacks take turns.
  const refill = () => {
    const n = round++;
    queue = [
      ...benign(n, pid),
      ...benign(n + 1, pid),
      ...benign(n + 2, pid),
      ...SCENARIOS[n % SCENARIOS.length]!(n, pid),
    ];
  };
  const timer = setInterval(() => {
    if (queue.length === 0) refill();
    write(queue.shift()!);
  }, options.interval ?? 1500);
  timer.unref();
  return {
    burst() {
      const n = round++;
      for (const line of SCENARIOS[n % SCENARIOS.length]!(n, pid)) write(line);
    },
    stop: () => clearInterval(timer),
  };
}
