import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/envelope/envelope.js';
import { parseEnvelope } from '../../src/envelope/parse-envelope.js';
import { readStampTime } from '../../src/envelope/read-stamp.js';
import { webServerOf } from '../../src/envelope/web-server-logs.js';

type Expected = Partial<Omit<Envelope, 'stamp'>> & { time?: string };

// Each row: a line as the writer named in `from` writes it, and what its envelope holds.
const rows: { from: string; line: string; expected: Expected }[] = [
  // RFC 3164 (rsyslog's RSYSLOG_TraditionalFileFormat, Debian's default for /var/log/auth.log before 12)
  {
    from: 'RFC 3164, tag with pid',
    line: 'Nov 23 10:15:01 web1 sshd[1234]: Failed password for root from 203.0.113.7 port 52114 ssh2',
    expected: {
      format: 'rfc3164',
      host: 'web1',
      program: 'sshd',
      pid: '1234',
      message: 'Failed password for root from 203.0.113.7 port 52114 ssh2',
    },
  },
  {
    from: 'RFC 3164, tag without pid, sudo pads its message',
    line: 'Nov  3 09:05:07 db-2.example.com sudo:    alice : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/ls',
    expected: {
      format: 'rfc3164',
      host: 'db-2.example.com',
      program: 'sudo',
      message: 'alice : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/ls',
    },
  },
  {
    from: 'RFC 3164 with <PRI>, as received over the network',
    line: '<38>Nov 23 10:15:01 bastion sshd-session[99]: Invalid user admin from 2001:db8::7 port 40022',
    expected: { format: 'rfc3164', host: 'bastion', program: 'sshd-session', pid: '99' },
  },
  {
    from: 'RFC 3164 without a host (syslogd writing its own messages, sshd -E)',
    line: 'Nov 23 10:15:01 sshd[77]: Connection closed by 10.0.0.5 port 50522 [preauth]',
    expected: {
      format: 'rfc3164',
      program: 'sshd',
      pid: '77',
      message: 'Connection closed by 10.0.0.5 port 50522 [preauth]',
    },
  },
  {
    from: 'RFC 3164 with a year and microseconds (syslog-ng, journalctl -o short-precise)',
    line: 'Nov 23 2026 10:15:01.123456 web1 su[5]: FAILED SU (to root) alice on pts/0',
    expected: { format: 'rfc3164', host: 'web1', program: 'su', pid: '5', time: '2026-11-23T10:15:01.123' },
  },
  {
    from: 'Linux-PAM before pam_syslog: the module in the tag',
    line: 'Feb  7 04:10:11 rhel4 sshd(pam_unix)[3456]: authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.4  user=root',
    expected: { program: 'sshd', module: 'pam_unix', pid: '3456', host: 'rhel4' },
  },
  {
    from: "gdm's ident with a stray bracket",
    line: 'Nov 23 10:15:01 desk gdm-password]: pam_unix(gdm-password:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=bob',
    expected: { program: 'gdm-password', host: 'desk' },
  },
  {
    from: 'Solaris/illumos message ids',
    line: 'Nov 23 10:15:01 sol11 sshd[812]: [ID 800047 auth.info] Failed password for root from 203.0.113.9 port 4022 ssh2',
    expected: {
      program: 'sshd',
      msgid: '800047',
      message: 'Failed password for root from 203.0.113.9 port 4022 ssh2',
    },
  },
  {
    from: 'blanks a relay or a copy added after the message (programs never end a message in one)',
    line: 'Nov 23 10:15:01 web1 sshd[1234]: Failed password for root from 203.0.113.7 port 52114 ssh2 \t ',
    expected: { program: 'sshd', message: 'Failed password for root from 203.0.113.7 port 52114 ssh2' },
  },
  {
    from: "rsyslog's repeated-message reduction of a message that ended in a blank",
    line: 'Nov 23 10:15:01 web1 sshd[1234]: message repeated 3 times: [ Failed password for root from 203.0.113.7 port 1 ssh2 ]',
    expected: { program: 'sshd', repeated: 3, message: 'Failed password for root from 203.0.113.7 port 1 ssh2' },
  },
  {
    from: "rsyslog's repeated-message reduction, a blank after its bracket",
    line: 'Nov 23 10:15:01 web1 sshd[1234]: message repeated 2 times: [ Invalid user a from 203.0.113.7 port 1] ',
    expected: { program: 'sshd', repeated: 2, message: 'Invalid user a from 203.0.113.7 port 1' },
  },
  {
    from: "rsyslog's repeated-message reduction",
    line: 'Nov 23 10:15:01 web1 sshd[1234]: message repeated 4 times: [ Failed password for root from 203.0.113.7 port 52114 ssh2]',
    expected: { program: 'sshd', repeated: 4, message: 'Failed password for root from 203.0.113.7 port 52114 ssh2' },
  },
  {
    from: 'a message that only looks like a repeat is left as it is',
    line: 'Nov 23 10:15:01 web1 myapp[1]: message repeated 4 times: [ no closing bracket',
    expected: { program: 'myapp', message: 'message repeated 4 times: [ no closing bracket' },
  },
  // ISO 8601 (RSYSLOG_FileFormat, Debian 12+/Ubuntu; and what the journald source renders)
  {
    from: "rsyslog's high-precision format",
    line: '2026-11-23T10:15:01.123456+00:00 web1 sshd-session[99]: Failed password for invalid user admin from 2001:db8::7 port 40022 ssh2',
    expected: { format: 'iso', host: 'web1', program: 'sshd-session', pid: '99', time: '2026-11-23T10:15:01.123' },
  },
  {
    from: 'ISO 8601 with an offset, no colon (journalctl -o short-iso)',
    line: '2026-11-23T11:15:01+0100 web1 sudo[9]: pam_unix(sudo:auth): conversation failed',
    expected: { format: 'iso', program: 'sudo', pid: '9', time: '2026-11-23T10:15:01.000' },
  },
  {
    from: 'journalctl -o short-full',
    line: 'Mon 2026-11-23 10:15:01 UTC web1 sshd[1]: Invalid user test from 198.51.100.4 port 55555',
    expected: { format: 'journal-full', host: 'web1', program: 'sshd', pid: '1', time: '2026-11-23T10:15:01.000' },
  },
  {
    from: 'an application line whose message poses as a syslog tag: syslog daemons write ISO stamps with a T',
    line: '2026-11-23 10:15:01,123 WARN sshd[1]: Failed password for root from 198.51.100.7 port 22 ssh2',
    expected: { format: 'none', message: 'sshd[1]: Failed password for root from 198.51.100.7 port 22 ssh2' },
  },
  {
    from: 'an application line with a date is not a syslog line: its message follows the time and level',
    line: '2026-11-23 10:15:01,123 WARN Unauthorized access attempt from 198.51.100.7',
    expected: { format: 'none', message: 'Unauthorized access attempt from 198.51.100.7' },
  },
  {
    from: 'an application line with a thread and a bracketed level',
    line: '2026-11-23T10:15:01.123Z [main] [ERROR] - Unauthorized access attempt by user bob from 198.51.100.7',
    expected: { format: 'none', message: 'Unauthorized access attempt by user bob from 198.51.100.7' },
  },
  // RFC 5424
  {
    from: 'RFC 5424 without structured data',
    line: '<38>1 2026-11-23T10:15:01.003Z web1 sshd 1234 - - Failed password for root from 203.0.113.7 port 22 ssh2',
    expected: {
      format: 'rfc5424',
      host: 'web1',
      program: 'sshd',
      pid: '1234',
      message: 'Failed password for root from 203.0.113.7 port 22 ssh2',
      time: '2026-11-23T10:15:01.003',
    },
  },
  {
    from: 'RFC 5424 with structured data holding "]" and \\" in quoted values',
    line: '<38>1 2026-11-23T10:15:01Z web1 sshd 1234 ID47 [ex@32473 a="x] sshd[1]: Failed password for root from 6.6.6.6" b="\\"\\]"][meta k="v"] Invalid user bob from 203.0.113.8 port 22',
    expected: { format: 'rfc5424', program: 'sshd', message: 'Invalid user bob from 203.0.113.8 port 22' },
  },
  {
    from: 'RFC 5424 with nil fields and a BOM',
    line: '<86>1 - - su - - - \uFEFFFAILED SU (to root) alice on pts/0',
    expected: { format: 'rfc5424', program: 'su', message: 'FAILED SU (to root) alice on pts/0' },
  },
  // Web servers
  {
    from: 'nginx error log (ngx_log_error_core)',
    line: '2026/11/23 10:15:01 [error] 812#812: *5 user "admin": password mismatch, client: 203.0.113.7, server: example.com, request: "GET /admin HTTP/1.1", host: "example.com"',
    expected: {
      format: 'nginx-error',
      program: 'nginx',
      pid: '812',
      level: 'error',
      message:
        'user "admin": password mismatch, client: 203.0.113.7, server: example.com, request: "GET /admin HTTP/1.1", host: "example.com"',
    },
  },
  {
    from: 'nginx error log through syslog (error_log syslog:server=…)',
    line: 'Nov 23 10:15:01 web1 nginx: [error] 812#812: *5 user "bob" was not found in "/etc/nginx/.htpasswd", client: 198.51.100.2, server: _',
    expected: {
      program: 'nginx',
      level: 'error',
      pid: '812',
      message: 'user "bob" was not found in "/etc/nginx/.htpasswd", client: 198.51.100.2, server: _',
    },
  },
  {
    from: 'RFC 5424 whose APP-NAME is an old PAM tag',
    line: '<86>1 2026-11-23T10:15:01Z web1 su(pam_unix) 4242 - - authentication failure; logname=alice uid=1000 euid=0 tty=pts/0 ruser=alice rhost=  user=root',
    expected: { format: 'rfc5424', program: 'su', module: 'pam_unix', pid: '4242' },
  },
  {
    from: "RFC 5424 whose APP-NAME is gdm's worker tag",
    line: '<86>1 2026-11-23T10:15:01Z web1 gdm-password] 4242 - - pam_unix(gdm-password:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=alice',
    expected: { format: 'rfc5424', program: 'gdm-password', pid: '4242' },
  },
  {
    from: "polkit 0.105's tag with its authority",
    line: 'Nov 23 10:15:01 web1 polkitd(authority=local)[812]: Registered Authentication Agent for unix-session:2',
    expected: { format: 'rfc3164', program: 'polkitd', pid: '812' },
  },
  {
    from: 'BusyBox syslogd (Alpine): the facility and level between the host and the tag',
    line: 'Nov 23 10:15:08 web1 authpriv.notice su: FAILED SU (to root) alice on pts/0',
    expected: { format: 'rfc3164', host: 'web1', program: 'su', message: 'FAILED SU (to root) alice on pts/0' },
  },
  {
    from: 'journalctl -o short-monotonic (seconds since boot: no time of day is read)',
    line: '[ 1399.123456] web1 sudo[4242]:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
    expected: {
      format: 'journal-monotonic',
      host: 'web1',
      program: 'sudo',
      pid: '4242',
      message: 'alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
    },
  },
  {
    from: 'journalctl -o short-unix (seconds since the epoch, microseconds)',
    line: '1795428901.123456 web1 sshd[4242]: Invalid user bob from 203.0.113.8 port 22',
    expected: {
      format: 'journal-unix',
      host: 'web1',
      program: 'sshd',
      pid: '4242',
      message: 'Invalid user bob from 203.0.113.8 port 22',
      time: '2026-11-23T10:15:01.123Z',
    },
  },
  {
    from: 'lighttpd error log (log.c: "%F %T: " then "(source.c.line) ")',
    line: "2026-11-23 10:15:01: (mod_auth.c.868) password doesn't match for /admin username: bob IP: 203.0.113.7",
    expected: {
      format: 'lighttpd-error',
      program: 'lighttpd',
      message: "(mod_auth.c.868) password doesn't match for /admin username: bob IP: 203.0.113.7",
      time: '2026-11-23T10:15:01.000',
    },
  },
  {
    from: 'lighttpd error log, server.errorlog-high-precision ("%F %T.nnnnnnnnn: ")',
    line: '2026-11-23 10:15:01.123456789: (server.c.1939) server started (lighttpd/1.4.76)',
    expected: {
      format: 'lighttpd-error',
      program: 'lighttpd',
      message: '(server.c.1939) server started (lighttpd/1.4.76)',
      time: '2026-11-23T10:15:01.123',
    },
  },
  {
    from: "an application's line with an ISO time and a colon is not lighttpd's without its source tag",
    line: "2026-11-23 10:15:01: password doesn't match for /admin username: bob IP: 203.0.113.7",
    expected: { format: 'none', program: undefined },
  },
  {
    from: 'Apache 2.4 error log (default ErrorLogFormat)',
    line: '[Mon Nov 23 10:15:01.123456 2026] [auth_basic:error] [pid 1234:tid 5678] [client 203.0.113.7:52114] AH01617: user admin: authentication failure for "/admin": Password Mismatch',
    expected: {
      format: 'apache-error',
      program: 'apache',
      module: 'auth_basic',
      level: 'error',
      pid: '1234',
      client: '203.0.113.7',
      message: 'AH01617: user admin: authentication failure for "/admin": Password Mismatch',
      time: '2026-11-23T10:15:01.123',
    },
  },
  {
    from: 'Apache 2.4 error log, an error with an APR status (server/log.c log_apr_status(): "(%d)" + apr_strerror() + ": ")',
    line: '[Mon Nov 23 10:15:01.123456 2026] [core:error] [pid 1234:tid 5678] (20023)The given path was above the root path: [client 203.0.113.7:52114] AH00127: Cannot map GET /../x HTTP/1.1 to file',
    expected: {
      client: '203.0.113.7',
      pid: '1234',
      message: 'AH00127: Cannot map GET /../x HTTP/1.1 to file',
    },
  },
  {
    from: 'Apache 2.4 error log, an APR status with no client after it (a startup error): no client',
    line: '[Mon Nov 23 10:15:01.123456 2026] [core:error] [pid 1234] (13)Permission denied: AH00035: access to /x denied',
    expected: { client: undefined, message: '(13)Permission denied: AH00035: access to /x denied' },
  },
  {
    from: 'Apache 2.4 error log, IPv6 client with its port',
    line: '[Mon Nov 23 10:15:01.123456 2026] [auth_basic:error] [pid 1234] [client 2001:db8::9:52114] AH01618: user eve not found: /private',
    expected: { client: '2001:db8::9', message: 'AH01618: user eve not found: /private' },
  },
  {
    from: 'Apache 2.2 error log',
    line: '[Mon Nov 23 10:15:01 2026] [error] [client 2001:db8::9] user eve not found: /private',
    expected: {
      format: 'apache-error',
      level: 'error',
      client: '2001:db8::9',
      message: 'user eve not found: /private',
    },
  },
  {
    from: 'Apache 2.4 error log through syslog (ErrorLog syslog:)',
    line: 'Nov 23 10:15:01 web1 apache2[21455]: [auth_basic:error] [pid 21455:tid 140] [client 203.0.113.7:52114] AH01618: user eve not found: /private',
    expected: {
      program: 'apache',
      pid: '21455',
      client: '203.0.113.7',
      message: 'AH01618: user eve not found: /private',
    },
  },
  {
    from: 'access log, combined',
    line: '203.0.113.7 - - [23/Nov/2026:10:15:01 -0200] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0"',
    expected: {
      format: 'access',
      access: {
        client: '203.0.113.7',
        user: '-',
        request: 'GET /wp-login.php HTTP/1.1',
        method: 'GET',
        target: '/wp-login.php',
        protocol: 'HTTP/1.1',
        status: 404,
        referer: '-',
        userAgent: 'Mozilla/5.0',
      },
      time: '2026-11-23T12:15:01.000',
    },
  },
  {
    from: 'access log, vhost_combined with escaped quotes (Apache \\", nginx \\x22)',
    line: 'example.com:443 2001:db8::5 - - [23/Nov/2026:10:15:01 +0000] "GET /a\\"b?q=\\x22x HTTP/1.1" 200 5 "-" "x\\" y"',
    expected: {
      access: {
        vhost: 'example.com:443',
        client: '2001:db8::5',
        user: '-',
        request: 'GET /a"b?q="x HTTP/1.1',
        method: 'GET',
        target: '/a"b?q="x',
        protocol: 'HTTP/1.1',
        status: 200,
        referer: '-',
        userAgent: 'x" y',
      },
    },
  },
  {
    from: 'access log, common format, a user name with spaces',
    line: '198.51.100.3 - a b [23/Nov/2026:10:15:01 +0000] "POST /login HTTP/1.1" 401 0',
    expected: {
      access: {
        client: '198.51.100.3',
        user: 'a b',
        request: 'POST /login HTTP/1.1',
        method: 'POST',
        target: '/login',
        protocol: 'HTTP/1.1',
        status: 401,
      },
    },
  },
  {
    from: 'access log through syslog (access_log syslog:server=…, tag nginx)',
    line: 'Nov 23 10:15:01 web1 nginx: 203.0.113.7 - - [23/Nov/2026:10:15:01 +0000] "GET /.env HTTP/1.1" 404 0 "-" "curl/8.5"',
    expected: { format: 'rfc3164', program: 'nginx', host: 'web1' },
  },
  {
    from: "an access line inside another program's message is that program's message",
    line: 'Nov 23 10:15:01 web1 myapp[1]: 203.0.113.7 - - [23/Nov/2026:10:15:01 +0000] "GET /.env HTTP/1.1" 404 0 "-" "x"',
    expected: { program: 'myapp', access: undefined },
  },
  // Linux audit records: the program is the executable that sent the record, the message its type and text
  {
    from: "auditd's audit.log (libaudit audit_log_acct_message() under sshd's PAM stack)",
    line: 'type=USER_AUTH msg=audit(1795428901.250:4567): pid=1234 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg=\'op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=203.0.113.7 addr=203.0.113.7 terminal=ssh res=failed\'',
    expected: {
      format: 'audit',
      program: 'sshd',
      msgid: 'USER_AUTH',
      message:
        'subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg=\'op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=203.0.113.7 addr=203.0.113.7 terminal=ssh res=failed\'',
      time: '2026-11-23T10:15:01.250Z',
    },
  },
  {
    from: "audit 3's enriched format (fields after a GS), a node name, a ' in the account",
    line: 'node=web1 type=USER_ERR msg=audit(1795428901.250:4568): pid=1234 uid=0 auid=4294967295 ses=4294967295 msg=\'op=PAM:bad_ident grantors=? acct="o\'brien" exe="/usr/libexec/openssh/sshd-session" hostname=? addr=? terminal=ssh res=failed\'\x1dUID="root" AUID="unset"',
    expected: {
      format: 'audit',
      program: 'sshd-session',
      msgid: 'USER_ERR',
      message:
        'msg=\'op=PAM:bad_ident grantors=? acct="o\'brien" exe="/usr/libexec/openssh/sshd-session" hostname=? addr=? terminal=ssh res=failed\'',
    },
  },
  {
    from: 'a kernel record (SYSCALL) names no sender: its exe= and comm= are the process, not a message',
    line: 'type=SYSCALL msg=audit(1795428901.250:4569): arch=c000003e syscall=59 success=yes exit=0 comm="sshd" exe="/usr/sbin/sshd" key=(null)',
    expected: { format: 'audit', program: 'audit' },
  },
  {
    from: "journald's rendering of an audit record",
    line: 'Nov 23 10:15:01 web1 audit[1234]: USER_AUTH pid=1234 uid=0 auid=4294967295 ses=4294967295 msg=\'op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=203.0.113.7 addr=203.0.113.7 terminal=ssh res=failed\'',
    expected: { format: 'rfc3164', program: 'sshd', host: 'web1', pid: '1234' },
  },
  {
    from: 'the kernel log, auditd not running (numeric type)',
    line: 'Nov 23 10:15:01 web1 kernel: audit: type=1100 audit(1795428901.250:4570): pid=1234 uid=0 auid=4294967295 ses=4294967295 msg=\'op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=203.0.113.7 addr=203.0.113.7 terminal=ssh res=failed\'',
    expected: {
      program: 'sshd',
      pid: '1234',
      msgid: 'USER_AUTH',
      message:
        'msg=\'op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=203.0.113.7 addr=203.0.113.7 terminal=ssh res=failed\'',
    },
  },
  {
    from: "audisp-syslog relaying through journald (its own pid in the tag): the sender's pid, written by the kernel",
    line: 'Nov 23 10:15:01 web1 audisp-syslog[555]: type=USER_AUTH msg=audit(1795428901.250:4572): pid=4242 uid=0 auid=4294967295 ses=4294967295 msg=\'op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=203.0.113.7 addr=203.0.113.7 terminal=ssh res=failed\' UID="root" AUID="unset"',
    expected: { program: 'sshd', pid: '4242', msgid: 'USER_AUTH' },
  },
  {
    from: "another program's message holding an audit record stays that program's",
    line: 'Nov 23 10:15:01 web1 myapp[1]: type=USER_AUTH msg=audit(1795428901.250:4571): pid=1 uid=0 auid=0 ses=1 msg=\'op=PAM:authentication acct="root" exe="/usr/sbin/sshd" hostname=? addr=6.6.6.6 terminal=ssh res=failed\'',
    expected: { program: 'myapp' },
  },
  { from: 'nothing known', line: 'just some text', expected: { format: 'none', message: 'just some text' } },
];

const now = Date.parse('2026-11-24T00:00:00Z');

describe('parseEnvelope', () => {
  it.each(rows)('reads $from', ({ line, expected }) => {
    const { time, ...rest } = expected;
    const env = parseEnvelope(line);
    if ('access' in rest && rest.access === undefined) {
      delete rest.access;
      expect(env.access).toBeUndefined();
    }
    expect(env).toMatchObject(rest);
    if (time !== undefined) {
      expect(env.stamp).toBeDefined();
      const at = readStampTime(line, env.stamp!, now)!;
      // Stamps without a zone are local time: compare the local reading.
      const zoned = /Z|[+-]\d\d:?\d\d|UTC/.test(line.slice(env.stamp!.start, env.stamp!.end + 2));
      const expectedAt = zoned ? Date.parse(`${time}Z`) : new Date(time).getTime();
      expect(at).toBe(expectedAt);
    }
  });
});

describe('webServerOf', () => {
  it.each([
    ['nginx', 'nginx'],
    ['nginx_site', 'nginx'],
    ['nginx-error', 'nginx'],
    ['openresty', 'nginx'],
    ['apache2', 'apache'],
    ['httpd/example.org', 'apache'],
    ['lighttpd', 'lighttpd'],
    // Programs named after a server are not the server: their text is not its log.
    ['nginx-ui', undefined],
    ['nginx-exporter', undefined],
    ['apache2-monitor', undefined],
    ['sshd', undefined],
  ])('%s → %s', (tag, server) => {
    expect(webServerOf(tag)).toBe(server);
  });
});
