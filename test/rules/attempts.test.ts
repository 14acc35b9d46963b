// One attempt often logs several lines (a PAM module's failure, then the program's own; then a summary): each
// attempt must count once, a `message repeated` line as many times as it says.
import { describe, expect, it } from 'vitest';
import { matchChunk } from '../../src/rules/match.js';
import type { PackName } from '../../src/rules/packs/index.js';
import { packMatcher } from './packs/matching.js';

/** How many attempts a pack counts in these lines (keyed matches not marked as repeats, times their weight). */
function attempts(pack: PackName, lines: string[]): number {
  let counted = 0;
  matchChunk(packMatcher(pack), Buffer.from(`${lines.join('\n')}\n`), (_l, verdicts) => {
    for (const v of verdicts) {
      // The tracker counts a match only for the key it names (a line without one counts for no one).
      const keyed = v.outcome === 'matched' && v.rule.threshold.by.every((f) => v.fields[f] !== undefined);
      if (keyed && v.outcome === 'matched' && !v.repeat) counted += v.times ?? 1;
    }
  });
  return counted;
}

const S = (pid: number, message: string) => `Nov 23 10:01:11 web1 sshd[${pid}]: ${message}`;
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

  it('counts a PAM failure without its companion line once', () => {
    expect(attempts('sshd', [S(2, PAM)])).toBe(1);
  });

  it('keeps two connections apart by pid', () => {
    expect(attempts('sshd', [S(3, PAM), S(4, PAM), S(3, `Failed password for root from ${IP} port 1 ssh2`)])).toBe(2);
  });

  it("takes the address of a line that names none from its connection's earlier lines", () => {
    const m = packMatcher('sshd');
    const fields: Record<string, string>[] = [];
    const lines = [
      S(5, `Failed password for root from ${IP} port 22 ssh2`),
      S(5, 'Disconnecting: Too many authentication failures [preauth]'),
    ];
    matchChunk(m, Buffer.from(`${lines.join('\n')}\n`), (_l, verdicts) => {
      for (const v of verdicts) if (v.outcome === 'matched') fields.push(v.fields);
    });
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

  it("counts rsyslog's message repeated N times as N", () => {
    const line = S(6, `message repeated 4 times: [ Failed password for root from ${IP} port 22 ssh2]`);
    expect(attempts('sshd', [line])).toBe(4);
  });
});
