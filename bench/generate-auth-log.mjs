// Writes a deterministic, realistic auth.log: mostly benign sshd, sudo, cron and systemd lines, ~5% attacks in the
// formats current Debian and Ubuntu write (syslog and ISO timestamps, sshd and sshd-session, IPv4 and IPv6).
import { createWriteStream } from 'node:fs';
import { mulberry32 } from './generate-weeks.mjs';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Yields `count` lines; `attackShare` of them are attacks. */
export function* generateAuthLog({ count = 1_000_000, seed = 42, attackShare = 0.05 } = {}) {
  const rnd = mulberry32(seed);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (xs) => xs[int(xs.length)];
  const hosts = ['web1', 'db-2', 'bastion'];
  const users = ['deploy', 'alice', 'bob', 'backup', 'www-data'];
  const badUsers = ['admin', 'test', 'oracle', 'ubuntu', 'git', 'postgres', 'user1', 'support'];
  const attackerV4 = () => `${pick([45, 103, 185, 193, 203])}.${int(256)}.${int(256)}.${1 + int(254)}`;
  const attackerV6 = () => `2001:db8:${int(65536).toString(16)}::${(1 + int(65535)).toString(16)}`;
  const attacker = () => (rnd() < 0.85 ? attackerV4() : attackerV6());
  const lan = () => `10.0.${int(4)}.${1 + int(250)}`;
  let t = Date.UTC(2026, 10, 23, 0, 0, 0);
  for (let i = 0; i < count; i++) {
    t += int(90);
    const d = new Date(t);
    const iso = rnd() < 0.5;
    const stamp = iso
      ? `${d.toISOString().replace('Z', '')}${String(int(1000)).padStart(3, '0')}+00:00`
      : `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
    const host = pick(hosts);
    const pid = 1000 + int(60000);
    const sshd = rnd() < 0.5 ? `sshd[${pid}]` : `sshd-session[${pid}]`;
    const port = 1024 + int(64000);
    let msg;
    if (rnd() < attackShare) {
      const ip = attacker();
      const bad = pick(badUsers);
      msg = pick([
        () => `${sshd}: Failed password for root from ${ip} port ${port} ssh2`,
        () => `${sshd}: Failed password for invalid user ${bad} from ${ip} port ${port} ssh2`,
        () => `${sshd}: Invalid user ${bad} from ${ip} port ${port}`,
        () =>
          `${sshd}: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=root`,
        () =>
          `${sshd}: Disconnecting invalid user ${bad} ${ip} port ${port}: Too many authentication failures [preauth]`,
        () => `${sshd}: User ${bad} from ${ip} not allowed because not listed in AllowUsers`,
        () => `${sshd}: Failed keyboard-interactive/pam for invalid user ${bad} from ${ip} port ${port} ssh2`,
        () =>
          `sudo[${pid}]:    ${pick(users)} : user NOT in sudoers ; TTY=pts/${int(5)} ; PWD=/home/x ; USER=root ; COMMAND=/bin/bash`,
        () =>
          `sudo[${pid}]:    ${pick(users)} : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/srv ; USER=root ; COMMAND=/usr/bin/id`,
        () =>
          `sudo[${pid}]: pam_unix(sudo:auth): authentication failure; logname=${pick(users)} uid=1000 euid=0 tty=/dev/pts/1 ruser=${pick(users)} rhost=  user=${pick(users)}`,
      ])();
    } else {
      const u = pick(users);
      msg = pick([
        () => `${sshd}: Accepted publickey for ${u} from ${lan()} port ${port} ssh2: ED25519 SHA256:${'x'.repeat(43)}`,
        () => `${sshd}: pam_unix(sshd:session): session opened for user ${u}(uid=1000) by ${u}(uid=0)`,
        () => `${sshd}: pam_unix(sshd:session): session closed for user ${u}`,
        () => `${sshd}: Received disconnect from ${lan()} port ${port}:11: disconnected by user`,
        () => `${sshd}: Disconnected from user ${u} ${lan()} port ${port}`,
        () => `${sshd}: Connection closed by ${lan()} port ${port} [preauth]`,
        () => `CRON[${pid}]: pam_unix(cron:session): session opened for user root(uid=0) by root(uid=0)`,
        () => `CRON[${pid}]: (root) CMD (test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; })`,
        () => `CRON[${pid}]: pam_unix(cron:session): session closed for user root`,
        () => `systemd-logind[812]: New session ${int(9999)} of user ${u}.`,
        () => `systemd-logind[812]: Session ${int(9999)} logged out. Waiting for processes to exit.`,
        () => `systemd[1]: Started session-${int(9999)}.scope - Session ${int(9999)} of User ${u}.`,
        () =>
          `sudo[${pid}]:   ${u} : TTY=pts/0 ; PWD=/home/${u} ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`,
        () => `sudo[${pid}]: pam_unix(sudo:session): session opened for user root(uid=0) by ${u}(uid=1000)`,
        () => `sudo[${pid}]: pam_unix(sudo:session): session closed for user root`,
      ])();
    }
    yield `${stamp} ${host} ${msg}\n`;
  }
}

/** Writes the log to path and resolves with its size in bytes. */
export async function writeAuthLog(path, options) {
  const out = createWriteStream(path);
  let bytes = 0;
  let batch = '';
  for (const line of generateAuthLog(options)) {
    batch += line;
    if (batch.length > 1 << 20) {
      bytes += Buffer.byteLength(batch);
      if (!out.write(batch)) await new Promise((r) => out.once('drain', r));
      batch = '';
    }
  }
  bytes += Buffer.byteLength(batch);
  out.end(batch);
  await new Promise((r, j) => out.on('finish', r).on('error', j));
  return bytes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path = 'auth.log', count = '1000000'] = process.argv.slice(2);
  const bytes = await writeAuthLog(path, { count: Number(count) });
  console.log(`wrote ${count} lines (${(bytes / 1e6).toFixed(1)} MB) to ${path}`);
}
