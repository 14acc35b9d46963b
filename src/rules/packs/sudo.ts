// sudo refusals and password failures, from sudo's own log lines and its PAM module.
import { MINUTE, type PackRule } from './pack.js';

const SUDO = '\\bsudo(?:\\[(?<pid>\\d{1,10})\\])?: +';

export const sudoPack: PackRule[] = [
  {
    suffix: 'auth',
    patterns: [
      `${SUDO}pam_unix\\(sudo:auth\\): authentication failure; logname=\\S{0,256} uid=\\d{0,10} euid=\\d{0,10} tty=\\S{0,64} ruser=\\S{0,256} rhost=\\S{0,256}  ?user=(?<user>\\S{1,64})\\s{0,8}$`,
    ],
    fields: { user: 'user', pid: 'int' },
    severity: 'medium',
    threshold: { count: 3, within: 10 * MINUTE, by: ['user'] },
    title: 'sudo password failures by {user}',
  },
  {
    suffix: 'incorrect-password',
    patterns: [`${SUDO}(?<user>\\S{1,64}) : (?<attempts>[3-9]|[1-9]\\d{1,5}) incorrect password attempts ; `],
    fields: { user: 'user', pid: 'int', attempts: 'int' },
    severity: 'medium',
    threshold: { count: 1, within: 10 * MINUTE, by: ['user'] },
    title: 'sudo gave up after {attempts} wrong passwords by {user}',
  },
  {
    suffix: 'not-allowed',
    patterns: [
      `${SUDO}(?<user>\\S{1,64}) : (?:user NOT in sudoers|user NOT authorized on host|command not allowed) ; TTY=\\S{0,64} ; PWD=.{0,4096}? ; USER=(?<target>\\S{1,64}) ; `,
    ],
    fields: { user: 'user', pid: 'int', target: 'user' },
    severity: 'high',
    threshold: { count: 1, within: 10 * MINUTE, by: ['user'] },
    title: 'sudo refused for {user}: not allowed to run as {target}',
  },
];
