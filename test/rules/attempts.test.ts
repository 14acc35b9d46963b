// One attempt often logs several lines (a PAM module's failure, then the program's own; then a summary): each
// attempt must count once, a `message repeated` line as many times as it says.
import { describe, expect, it } from 'vitest';
import { matchChunk } from '../../src/rules/match.js';
import type { PackName } from '../../src/rules/packs/index.js';
import { packMatcher } from './packs/matching.js';

/** How many attempts a pack counts in these lines (keyed matches not marked as repeats, times their weight). */
function attempts(pack: PackName, lines: string[]): number {
  return Object.values(attemptsBy(pack, lines)).reduce((a, b) => a + b, 0);
}

/** The same, per threshold key. */
function attemptsBy(pack: PackName, lines: string[]): Record<string, number> {
  const counted: Record<string, number> = {};
  matchChunk(
    packMatcher(pack),
    Buffer.from(`${lines.join('\n')}\n`),
    (_l, verdicts) => {
      for (const v of verdicts) {
        if (v.outcome !== 'matched' || v.repeat) continue;
        // The tracker counts a match only for the key it names (a line without one counts for no one).
        const key = v.rule.threshold.by.map((f) => v.fields[f]);
        if (key.some((k) => k === undefined)) continue;
        counted[key.join(' ')] = (counted[key.join(' ')] ?? 0) + (v.times ?? 1);
      }
    },
    NOW,
  );
  return counted;
}

/** The fields of each matched verdict, in order. */
function fieldsOf(pack: PackName, lines: string[]): Record<string, string>[] {
  const fields: Record<string, string>[] = [];
  matchChunk(
    packMatcher(pack),
    Buffer.from(`${lines.join('\n')}\n`),
    (_l, verdicts) => {
      for (const v of verdicts) if (v.outcome === 'matched') fields.push(v.fields);
    },
    NOW,
  );
  return fields;
}

const NOW = Date.parse('2026-11-24T00:00:00Z');

const S = (pid: number, message: string, time = '10:01:11') => `Nov 23 ${time} web1 sshd[${pid}]: ${message}`;
const IP = '203.0.113.7';
const PAM = `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${IP}  user=root`;

describe('counting attempts', () => {
  it('counts a password failure once though PAM logged it first, and every later failure of the connection', () => {
    const lines = [
      S(1, PAM),
      S(1, `Failed password for root from ${IP} port 22 ssh2`),
      S(1, `Failed password for root from ${IP} port 22 ssh2`),
      S(1, `Failed password for root from ${IP} port 22 ssh2`),
      S(1, `error: maximum authentication attempts exceeded for root from ${IP} port 22 ssh2 [preauth]`),
      S(1, `Disconnecting authenticating user root ${IP} port 22: Too many authentication failures [preauth]`),
      S(1, `PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${IP}  user=root`),
    ];
    expect(attempts('sshd', lines)).toBe(3);
  });

  it("counts an audited attempt once in a journal holding sshd's lines too, and each record of audit.log alone", () => {
    const record = (pid: number) =>
      `USER_AUTH pid=${pid} uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=${IP} addr=${IP} terminal=ssh res=failed'`;
    const journal = (pid: number, message: string) =>
      `Nov 23 10:01:11 web1 ${message.startsWith('USER_') ? 'audit' : 'sshd'}[${pid}]: ${message}`;
    const failed = `Failed password for root from ${IP} port 22 ssh2`;
    // journald (Fedora, RHEL): PAM's line, the audit record and sshd's line for the first attempt, then record and line.
    const lines = [
      journal(1, PAM),
      journal(1, record(1)),
      journal(1, failed),
      journal(1, record(1)),
      journal(1, failed),
    ];
    expect(attempts('sshd', lines)).toBe(2);
    // Without SELinux the record is only its sender's word: it takes the address its process logged, as one attempt.
    const unvouched = lines.map((l) => l.replace(' subj=system_u:system_r:sshd_t:s0-s0:c0.c1023', ''));
    expect(unvouched).not.toEqual(lines);
    expect(attempts('sshd', unvouched)).toBe(2);
    expect(fieldsOf('sshd', unvouched)[1]).toEqual({ ip: IP });
    // audit.log alone without SELinux: no address to read.
    const rawUnvouched = `type=${record(1).replace(' pid=', ' msg=audit(1795428901.250:7): pid=').replace(' subj=system_u:system_r:sshd_t:s0-s0:c0.c1023', '')}`;
    expect(attempts('sshd', [rawUnvouched, rawUnvouched])).toBe(0);
    // audit.log alone: one record per attempt, however many a connection makes.
    const raw = `type=${record(1).replace(' pid=', ' msg=audit(1795428901.250:7): pid=')}`;
    expect(attempts('sshd', [raw, raw, raw])).toBe(3);
  });

  it('counts a PAM failure without its companion line once', () => {
    expect(attempts('sshd', [S(2, PAM)])).toBe(1);
  });

  it('keeps two connections apart by pid', () => {
    expect(attempts('sshd', [S(3, PAM), S(4, PAM), S(3, `Failed password for root from ${IP} port 1 ssh2`)])).toBe(2);
  });

  it("takes the address of a line that names none from its connection's earlier lines", () => {
    const fields = fieldsOf('sshd', [
      S(5, `Failed password for root from ${IP} port 22 ssh2`),
      S(5, 'Disconnecting: Too many authentication failures [preauth]', '10:02:30'),
    ]);
    expect(fields[1]).toMatchObject({ ip: IP });
  });

  it("counts sudo's N incorrect password attempts as N, the PAM line among them", () => {
    const sudo = (m: string) => `Nov 23 10:01:11 web1 sudo: ${m}`;
    const pam = sudo(
      'pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/1 ruser=alice rhost=  user=alice',
    );
    const gaveUp = (n: number) =>
      sudo(
        `   alice : ${n} incorrect password attempt${n === 1 ? '' : 's'} ; TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/ls`,
      );
    expect(attempts('sudo', [pam, gaveUp(3)])).toBe(3);
    expect(attempts('sudo', [pam, gaveUp(1)])).toBe(1);
    expect(attempts('sudo', [gaveUp(2)])).toBe(2);
    // pam_unix's tally at pam_end follows sudo's own line: already counted.
    const more = sudo(
      'pam_unix(sudo:auth): 2 more authentication failures; logname=alice uid=1000 euid=0 tty=/dev/pts/1 ruser=alice rhost=  user=alice',
    );
    expect(attempts('sudo', [pam, gaveUp(3), more])).toBe(3);
    // sudo-rs writes no line of its own: the tally is its retries.
    expect(attempts('sudo', [pam, more])).toBe(3);
    // A journal (every line with its pid) holding PAM's audit record too: the record is PAM's failure again.
    const inJournal = (line: string) => line.replace(' sudo: ', ' sudo[812]: ');
    const record = `Nov 23 10:01:11 web1 audit[812]: USER_AUTH pid=812 uid=1000 auid=1000 ses=3 msg='op=PAM:authentication grantors=? acct="alice" exe="/usr/bin/sudo" hostname=? addr=? terminal=/dev/pts/1 res=failed'`;
    expect(attempts('sudo', [inJournal(pam), record, inJournal(gaveUp(3))])).toBe(3);
  });

  it("counts shadow su's four lines for one wrong password once", () => {
    const su = (m: string) => `Nov 23 10:01:11 deb9 su[2201]: ${m}`;
    const lines = [
      su(
        'pam_unix(su:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=root',
      ),
      su('pam_authenticate: Authentication failure'),
      su('FAILED su for root by alice'),
      su('- /dev/pts/0 alice:root'),
    ];
    expect(attempts('login', lines)).toBe(1);
  });

  it('counts an invalid user\'s attempt once: "Invalid user", PAM\'s two lines and "Failed password" are one', () => {
    const attempt = [
      S(7, `pam_unix(sshd:auth): check pass; user unknown`),
      S(7, PAM.replace('user=root', '')),
      S(7, `Failed password for invalid user admin from ${IP} port 4242 ssh2`),
    ];
    const lines = [S(7, `Invalid user admin from ${IP} port 4242`), ...attempt, ...attempt];
    expect(attempts('sshd', lines)).toBe(2);
  });

  it("never pairs a reused pid's lines with an earlier connection's address or attempt", () => {
    const other = '198.51.100.9';
    // A PAM failure from one client, then the same pid (reused) reports another client's failure: two attempts.
    expect(
      attemptsBy('sshd', [S(8, PAM.replace(IP, other)), S(8, `Failed password for root from ${IP} port 1 ssh2`)]),
    ).toEqual({ [other]: 1, [IP]: 1 });
    // An address the process logged 11 minutes ago is not the one a line without an address is about.
    const later = fieldsOf('sshd', [
      S(9, `Failed password for root from ${other} port 22 ssh2`, '10:01:11'),
      S(9, 'Disconnecting: Too many authentication failures [preauth]', '10:12:11'),
    ]);
    expect(later[1]?.ip).toBeUndefined();
    // kex's error is the first line its connection writes at INFO: nothing earlier in the process is its client.
    const kex = fieldsOf('sshd-aggressive', [
      S(10, `Connection closed by authenticating user root ${other} port 22 [preauth]`),
      S(10, 'error: kex_exchange_identification: Connection closed by remote host'),
    ]);
    expect(kex.map((f) => f.ip)).toEqual([other, undefined]);
  });

  it("keeps two users' sudo runs apart though sudo logs no pid", () => {
    const sudo = (m: string) => `Nov 23 10:01:11 web1 sudo: ${m}`;
    const pam = (user: string) =>
      sudo(
        `pam_unix(sudo:auth): authentication failure; logname=${user} uid=1000 euid=0 tty=/dev/pts/1 ruser=${user} rhost=  user=${user}`,
      );
    const gaveUp = (user: string, n: number) =>
      sudo(`   ${user} : ${n} incorrect password attempts ; TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/ls`);
    expect(attemptsBy('sudo', [pam('alice'), pam('mallory'), gaveUp('mallory', 3), gaveUp('alice', 2)])).toEqual({
      alice: 2,
      mallory: 3,
    });
  });

  it("keeps a second user's attempt when the first user's goes stale (sudo logs no pid)", () => {
    const sudo = (time: string, m: string) => `Nov 23 ${time} web1 sudo: ${m}`;
    const pam = (time: string, user: string) =>
      sudo(
        time,
        `pam_unix(sudo:auth): authentication failure; logname=${user} uid=1000 euid=0 tty=/dev/pts/1 ruser=${user} rhost=  user=${user}`,
      );
    const gaveUp = (time: string, user: string) =>
      sudo(time, `   ${user} : 1 incorrect password attempt ; TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/ls`);
    // alice's attempt holds the process's slot; bob's is kept apart, and when alice's is stale his moves in whole.
    const lines = [
      pam('10:00:00', 'alice'),
      gaveUp('10:00:30', 'alice'),
      pam('10:09:00', 'bob'),
      gaveUp('10:10:45', 'bob'),
    ];
    expect(attemptsBy('sudo', lines)).toEqual({ alice: 1, bob: 1 });
  });

  it("counts rsyslog's message repeated N times as N", () => {
    const line = S(6, `message repeated 4 times: [ Failed password for root from ${IP} port 22 ssh2]`);
    expect(attempts('sshd', [line])).toBe(4);
  });

  it('counts a connection once in sshd-aggressive: its closing lines belong to the failure before them', () => {
    const bot = [
      S(7, PAM),
      S(7, `Failed password for root from ${IP} port 40000 ssh2`),
      S(7, `Received disconnect from ${IP} port 40000:11: Bye Bye [preauth]`),
      S(7, `Disconnected from authenticating user root ${IP} port 40000 [preauth]`),
    ];
    expect(attempts('sshd-aggressive', bot)).toBe(1);
    expect(attempts('sshd', bot)).toBe(1);
    // A client whose keys were all refused: "no more authentication methods", then the disconnect.
    const keys = [
      S(8, `Received disconnect from ${IP} port 40001:14: No supported authentication methods available [preauth]`),
      S(8, `Disconnected from authenticating user bob ${IP} port 40001 [preauth]`),
    ];
    expect(attempts('sshd-aggressive', keys)).toBe(1);
    // A scanner: its closing line alone is the attempt.
    expect(attempts('sshd-aggressive', [S(9, `Connection closed by ${IP} port 40002 [preauth]`)])).toBe(1);
    expect(
      attempts('sshd-aggressive', [
        S(10, 'error: kex_exchange_identification: read: Connection reset by peer'),
        S(10, `Connection reset by ${IP} port 40003`),
      ]),
    ).toBe(1);
  });

  it('never pairs the lines of an address when they carry no pid: each connection counts', () => {
    const bare = (message: string) => `Nov 23 10:01:11 web1 sshd: ${message}`;
    const closes = [1, 2, 3, 4, 5, 6].map((n) => bare(`Connection closed by ${IP} port 4000${n} [preauth]`));
    expect(attempts('sshd-aggressive', closes)).toBe(6);
    const scans = [1, 2, 3, 4, 5, 6].flatMap((n) => [
      bare(`Invalid user admin${n} from ${IP} port 4100${n}`),
      bare(`Connection closed by invalid user admin${n} ${IP} port 4100${n} [preauth]`),
    ]);
    expect(attempts('sshd', scans)).toBe(6);
    // RFC 5424 with procid "-" is a line without a pid too.
    const rfc = [1, 2, 3].map(
      (n) => `<38>1 2026-11-23T10:01:1${n}Z web1 sshd - - - Connection closed by ${IP} port 4200${n} [preauth]`,
    );
    expect(attempts('sshd-aggressive', rfc)).toBe(3);
  });

  it("counts OpenSSH 7.4's invalid user once: the monitor's line and input_userauth_request's are one", () => {
    const lines = [
      S(11, `Invalid user deploy2 from ${IP} port 40004`),
      S(11, 'input_userauth_request: invalid user deploy2 [preauth]'),
      S(11, `Connection closed by ${IP} port 40004 [preauth]`),
    ];
    expect(attempts('sshd', lines)).toBe(1);
    expect(attempts('sshd-aggressive', lines)).toBe(1);
  });

  it('counts a user refused by AllowUsers once per attempt, its PAM and "Failed" lines among it', () => {
    const pam = `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${IP}  user=alice`;
    const lines = [
      S(12, `User alice from ${IP} not allowed because not listed in AllowUsers`),
      S(12, pam),
      S(12, `Failed password for invalid user alice from ${IP} port 40005 ssh2`),
      S(12, pam),
      S(12, `Failed password for invalid user alice from ${IP} port 40005 ssh2`),
    ];
    expect(attempts('sshd', lines)).toBe(2);
  });
});
