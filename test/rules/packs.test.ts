import { describe, expect, it } from 'vitest';
import type { RuleEntry } from '../../src/config/schema.js';
import { compileRules } from '../../src/rules/compile.js';
import { matchChunk, SourceMatcher } from '../../src/rules/match.js';
import type { PackName } from '../../src/rules/packs/index.js';

function packMatcher(use: PackName): SourceMatcher {
  const { rules, problems } = compileRules([{ use, source: ['s'], ignore: [], actions: [] } as RuleEntry], ['s']);
  expect(problems).toEqual([]);
  return new SourceMatcher(rules, 65536);
}

/** The matched verdicts for one line, through the same prefilter the engine uses. */
function matchesOf(matcher: SourceMatcher, line: string) {
  const found: { rule: string; fields: Record<string, string> }[] = [];
  matchChunk(matcher, Buffer.from(`${line}\n`), (_l, verdicts) => {
    for (const v of verdicts) if (v.outcome === 'matched') found.push({ rule: v.rule.id, fields: v.fields });
  });
  return found;
}

const SYSLOG = 'Nov 23 10:15:01 web1';
const ISO = '2026-11-23T10:15:01.123456+00:00 web1';

interface Row {
  line: string;
  rule: string;
  fields: Record<string, string>;
}

const packs: { pack: PackName; match: Row[]; noMatch: string[] }[] = [
  {
    pack: 'sshd',
    match: [
      {
        line: `${SYSLOG} sshd[1234]: Failed password for root from 203.0.113.7 port 52114 ssh2`,
        rule: 'sshd',
        fields: { pid: '1234', user: 'root', ip: '203.0.113.7' },
      },
      {
        line: `${ISO} sshd-session[99]: Failed password for invalid user admin from 2001:db8::7 port 40022 ssh2`,
        rule: 'sshd',
        fields: { pid: '99', user: 'admin', ip: '2001:db8::7' },
      },
      {
        line: `${SYSLOG} sshd[7]: Failed keyboard-interactive/pam for invalid user oracle from 198.51.100.4 port 1 ssh2`,
        rule: 'sshd',
        fields: { user: 'oracle', ip: '198.51.100.4' },
      },
      {
        line: `${SYSLOG} sshd[7]: Invalid user test from 198.51.100.4 port 55555`,
        rule: 'sshd',
        fields: { user: 'test', ip: '198.51.100.4' },
      },
      {
        line: `${SYSLOG} sshd[7]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root`,
        rule: 'sshd',
        fields: { ip: '203.0.113.9', user: 'root' },
      },
      {
        line: `${ISO} sshd-session[7]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:db8::1`,
        rule: 'sshd',
        fields: { ip: '2001:db8::1' },
      },
      {
        line: `${SYSLOG} sshd[7]: error: maximum authentication attempts exceeded for root from 203.0.113.9 port 2222 ssh2 [preauth]`,
        rule: 'sshd',
        fields: { user: 'root', ip: '203.0.113.9' },
      },
      {
        line: `${SYSLOG} sshd[7]: Disconnecting invalid user admin 203.0.113.9 port 2222: Too many authentication failures [preauth]`,
        rule: 'sshd',
        fields: { user: 'admin', ip: '203.0.113.9' },
      },
      {
        line: `${SYSLOG} sshd[7]: ROOT LOGIN REFUSED FROM 203.0.113.9 port 2222`,
        rule: 'sshd',
        fields: { ip: '203.0.113.9' },
      },
      {
        line: `${SYSLOG} sshd[7]: User bob from 203.0.113.9 not allowed because not listed in AllowUsers`,
        rule: 'sshd',
        fields: { user: 'bob', ip: '203.0.113.9' },
      },
      {
        line: `${SYSLOG} sshd[7]: User carol from 203.0.113.9 not allowed because listed in DenyUsers`,
        rule: 'sshd',
        fields: { user: 'carol', ip: '203.0.113.9' },
      },
      // A user name built to look like the end of the line cannot move the address.
      {
        line: `${SYSLOG} sshd[7]: Failed password for invalid user x from 6.6.6.6 port 22 ssh2 from 203.0.113.50 port 4000 ssh2`,
        rule: 'sshd',
        fields: { ip: '203.0.113.50', user: 'x from 6.6.6.6 port 22 ssh2' },
      },
    ],
    noMatch: [
      `${SYSLOG} sshd[1]: Accepted password for deploy from 10.0.0.5 port 50522 ssh2`,
      `${SYSLOG} sshd[1]: Accepted publickey for deploy from 10.0.0.5 port 50522 ssh2: ED25519 SHA256:abc`,
      `${SYSLOG} sshd[1]: pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)`,
      `${SYSLOG} sshd[1]: Connection closed by authenticating user root 203.0.113.9 port 2222 [preauth]`,
      `${SYSLOG} sshd[1]: Disconnected from authenticating user root 203.0.113.9 port 2222 [preauth]`,
      `${SYSLOG} sshd[1]: Received disconnect from 10.0.0.5 port 50522:11: disconnected by user`,
      `${SYSLOG} CRON[2]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`,
      // Something else quoting sshd's words.
      `${SYSLOG} myapp[3]: user typed "Failed password for root from 203.0.113.7 port 1 ssh2"`,
      // A host name where the address should be fails the ip type.
      `${SYSLOG} sshd[7]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=evil.example.com  user=root`,
    ],
  },
  {
    pack: 'sshd-aggressive',
    match: [
      {
        line: `${SYSLOG} sshd[1]: Connection closed by authenticating user root 203.0.113.9 port 2222 [preauth]`,
        rule: 'sshd-aggressive',
        fields: { user: 'root', ip: '203.0.113.9' },
      },
      {
        line: `${ISO} sshd-session[1]: Disconnected from invalid user admin 2001:db8::5 port 2222 [preauth]`,
        rule: 'sshd-aggressive',
        fields: { user: 'admin', ip: '2001:db8::5' },
      },
      {
        line: `${SYSLOG} sshd[1234]: Failed password for root from 203.0.113.7 port 52114 ssh2`,
        rule: 'sshd-aggressive',
        fields: { ip: '203.0.113.7' },
      },
    ],
    noMatch: [`${SYSLOG} sshd[1]: Connection closed by 10.0.0.5 port 50522 [preauth]`],
  },
  {
    pack: 'sudo',
    match: [
      {
        line: `${SYSLOG} sudo[512]: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/1 ruser=alice rhost=  user=alice`,
        rule: 'sudo-auth',
        fields: { user: 'alice', pid: '512' },
      },
      {
        line: `${SYSLOG} sudo:    alice : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id`,
        rule: 'sudo-incorrect-password',
        fields: { user: 'alice', attempts: '3' },
      },
      {
        line: `${ISO} sudo[88]:      bob : user NOT in sudoers ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/bash`,
        rule: 'sudo-not-allowed',
        fields: { user: 'bob', target: 'root' },
      },
      {
        line: `${SYSLOG} sudo:      bob : command not allowed ; TTY=pts/0 ; PWD=/ ; USER=postgres ; COMMAND=/usr/bin/psql`,
        rule: 'sudo-not-allowed',
        fields: { user: 'bob', target: 'postgres' },
      },
    ],
    noMatch: [
      `${SYSLOG} sudo[1]:    alice : TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt update`,
      `${SYSLOG} sudo[1]: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)`,
      // One typo then giving up is not an attack.
      `${SYSLOG} sudo:    alice : 1 incorrect password attempt ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id`,
      // A user name that is not a login name fails the user type.
      `${SYSLOG} sudo:    $(id) : user NOT in sudoers ; TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh`,
    ],
  },
  {
    pack: 'nginx',
    match: [
      {
        line: '2026/11/23 10:15:01 [error] 812#812: *5 user "admin": password mismatch, client: 203.0.113.7, server: example.com, request: "GET /admin HTTP/1.1", host: "example.com"',
        rule: 'nginx-auth',
        fields: { ip: '203.0.113.7', user: 'admin' },
      },
      {
        line: '2026/11/23 10:15:01 [error] 812#812: *6 user "bob" was not found in "/etc/nginx/.htpasswd", client: 2001:db8::9, server: _, request: "GET / HTTP/2.0"',
        rule: 'nginx-auth',
        fields: { ip: '2001:db8::9', user2: 'bob' },
      },
      {
        line: '203.0.113.7 - - [23/Nov/2026:10:15:01 +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0"',
        rule: 'nginx-scan',
        fields: { ip: '203.0.113.7', method: 'GET', path: '/wp-login.php', status: '404' },
      },
      {
        line: '198.51.100.3 - - [23/Nov/2026:10:15:01 +0000] "GET /.env HTTP/1.1" 404 0 "-" "curl/8.5"',
        rule: 'nginx-scan',
        fields: { ip: '198.51.100.3', path: '/.env' },
      },
      {
        line: '198.51.100.3 - - [23/Nov/2026:10:15:01 +0000] "GET /phpmyadmin/index.php HTTP/1.1" 404 0 "-" "x"',
        rule: 'nginx-scan',
        fields: { path: '/phpmyadmin/index.php' },
      },
      {
        line: '198.51.100.3 - - [23/Nov/2026:10:15:01 +0000] "GET /static/../../etc/passwd HTTP/1.1" 400 0 "-" "x"',
        rule: 'nginx-traversal',
        fields: { ip: '198.51.100.3', path: '/static/../../etc/passwd' },
      },
      {
        line: '198.51.100.3 - - [23/Nov/2026:10:15:01 +0000] "GET /cgi/%2e%2e/%2e%2e/etc/shadow HTTP/1.1" 400 0 "-" "x"',
        rule: 'nginx-traversal',
        fields: { path: '/cgi/%2e%2e/%2e%2e/etc/shadow' },
      },
    ],
    noMatch: [
      '10.0.0.5 - - [23/Nov/2026:10:15:01 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "Mozilla/5.0"',
      '10.0.0.5 - alice [23/Nov/2026:10:15:01 +0000] "POST /api/login HTTP/1.1" 200 12 "-" "app"',
      // The scanned name inside a query string or referrer is not a probe.
      '10.0.0.5 - - [23/Nov/2026:10:15:01 +0000] "GET /search?q=wp-login.php HTTP/1.1" 200 1 "https://x/wp-login.php" "x"',
      '2026/11/23 10:15:01 [error] 812#812: *7 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 10.0.0.5',
    ],
  },
  {
    pack: 'apache',
    match: [
      {
        line: '[Mon Nov 23 10:15:01.123456 2026] [auth_basic:error] [pid 1234:tid 5678] [client 203.0.113.7:52114] AH01617: user admin: authentication failure for "/admin": Password Mismatch',
        rule: 'apache-auth',
        fields: { ip: '203.0.113.7', user: 'admin' },
      },
      {
        line: '[Mon Nov 23 10:15:01.123456 2026] [auth_basic:error] [pid 1234] [client 198.51.100.2:1234] AH01618: user eve not found: /private',
        rule: 'apache-auth',
        fields: { ip: '198.51.100.2', user: 'eve' },
      },
      {
        line: '203.0.113.7 - - [23/Nov/2026:10:15:01 +0000] "POST /xmlrpc.php HTTP/1.1" 403 199 "-" "x"',
        rule: 'apache-scan',
        fields: { ip: '203.0.113.7', path: '/xmlrpc.php' },
      },
      {
        line: '203.0.113.7 - - [23/Nov/2026:10:15:01 +0000] "GET /icons/..%2f..%2fetc/passwd HTTP/1.1" 400 0 "-" "x"',
        rule: 'apache-traversal',
        fields: { path: '/icons/..%2f..%2fetc/passwd' },
      },
    ],
    noMatch: [
      '10.0.0.5 - - [23/Nov/2026:10:15:01 +0000] "GET / HTTP/1.1" 200 512 "-" "Mozilla/5.0"',
      '[Mon Nov 23 10:15:01.123456 2026] [core:error] [pid 1234] [client 10.0.0.5:1] AH00126: Invalid URI in request',
    ],
  },
  {
    pack: 'generic',
    match: [
      {
        line: `${SYSLOG} app[1]: Unauthorized access attempt from 203.0.113.7`,
        rule: 'generic',
        fields: { ip: '203.0.113.7' },
      },
      {
        line: '2026-11-23 10:15:01,123 WARN Unauthorized access attempt by user mallory from 198.51.100.7: bad token',
        rule: 'generic',
        fields: { ip: '198.51.100.7', user: 'mallory' },
      },
      {
        line: `${ISO} api[9]: Unauthorized access attempt from [2001:db8::42]`,
        rule: 'generic',
        fields: { ip: '2001:db8::42' },
      },
    ],
    noMatch: [
      `${SYSLOG} app[1]: Authorized access from 10.0.0.5`,
      `${SYSLOG} app[1]: Unauthorized access attempt from unknown`,
    ],
  },
];

describe.each(packs)('the $pack pack', ({ pack, match, noMatch }) => {
  const matcher = packMatcher(pack);

  it.each(match)('matches $line', ({ line, rule, fields }) => {
    const found = matchesOf(matcher, line);
    expect(found).toHaveLength(1);
    expect(found[0]!.rule).toBe(rule);
    expect(found[0]!.fields).toMatchObject(fields);
  });

  it.each(noMatch)('does not match %s', (line) => {
    expect(matchesOf(matcher, line)).toEqual([]);
  });
});
