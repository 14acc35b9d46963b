// The one-pass screen (match.ts) runs a pattern only on lines holding one of its rare words: an ordinary line of a
// busy auth.log (a session's end, an accepted key, sudo's accepted command) must not be a candidate, or every such
// line pays for the patterns (a word like "Received disconnect from " once made replay 15% slower).
import { describe, expect, it } from 'vitest';
import type { SourceMatcher } from '../../../src/rules/match.js';
import type { PackName } from '../../../src/rules/packs/index.js';
import { packMatcher } from './matching.js';

const ORDINARY = [
  'Nov 23 00:00:00 web1 sshd[17017]: Accepted publickey for bob from 10.0.0.211 port 12908 ssh2: ED25519 SHA256:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'Nov 23 00:00:00 web1 sshd[27993]: Received disconnect from 10.0.2.53 port 4313:11: disconnected by user',
  'Nov 23 00:00:00 web1 sshd[27993]: Disconnected from user bob 10.0.2.53 port 4313',
  'Nov 23 00:00:00 web1 sshd-session[60640]: pam_unix(sshd:session): session opened for user alice(uid=1000) by alice(uid=0)',
  'Nov 23 00:00:00 web1 sshd[6618]: pam_unix(sshd:session): session closed for user www-data',
  'Nov 23 00:00:00 web1 sshd[6619]: Connection closed by 10.0.0.5 port 50522',
  'Nov 23 00:00:00 web1 systemd-logind[812]: New session 6807 of user deploy.',
  'Nov 23 00:00:00 web1 CRON[11488]: (root) CMD (test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; })',
  'Nov 23 00:00:00 web1 sudo[46647]:   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx',
  'Nov 23 00:00:00 web1 sudo[35652]: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)',
  'Nov 23 00:00:00 web1 su[1187]: (to root) alice on pts/0',
  'Nov 23 00:00:00 web1 su[1187]: pam_unix(su-l:session): session opened for user root(uid=0) by alice(uid=1000)',
];

describe('the screen', () => {
  // sshd-aggressive reads every "Received disconnect" (reason 14 is two digits of it) and login's shadow su line
  // ("- pts/0 alice:root") has no word of its own: su lines are few.
  it.each(['sshd', 'sudo'] as PackName[])('lets no ordinary line through to the %s patterns', (pack) => {
    // A block as large as the sample the words are chosen on.
    const block = Buffer.from(`${Array.from({ length: 400 }, (_, i) => ORDINARY[i % ORDINARY.length]).join('\n')}\n`);
    const matcher: SourceMatcher = packMatcher(pack);
    const candidates = new Set<string>();
    matcher.scan(block, (start, end) => candidates.add(block.toString('utf8', start, end)));
    expect([...candidates]).toEqual([]);
  });
});
