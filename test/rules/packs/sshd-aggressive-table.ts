// What sshd-aggressive adds to sshd: connections dropped before authenticating (openssh-portable formats).
import type { PackTable } from './table.js';

const A = '198.51.100.23';

export const sshdAggressiveTable: PackTable = {
  pack: 'sshd-aggressive',
  programs: ['sshd', 'sshd-session'],
  match: [
    {
      line: `type=USER_ERR msg=audit(1795428901.250:4567): pid=4242 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:bad_ident grantors=? acct="?" exe="/usr/sbin/sshd" hostname=${A} addr=${A} terminal=ssh res=failed'`,
      from: 'Linux-PAM libpam/pam_audit.c _pam_audit_end(): "PAM:bad_ident" (USER_ERR) at pam_end() when no stack ran (an unknown user, or a valid one who gave up before a password)',
      fields: { ip: A },
      absent: ['user'],
    },
    {
      message: `Connection closed by authenticating user root ${A} port 52814 [preauth]`,
      from: 'packet.c sshpkt_fatal(): "Connection closed by %s" with remote_id "authenticating user X IP port N" (7.5+)',
      fields: { ip: A, user: 'root' },
    },
    {
      message: `Connection closed by invalid user admin ${A} port 52816 [preauth]`,
      from: 'packet.c sshpkt_fatal(), invalid user',
      fields: { ip: A, user: 'admin' },
    },
    {
      message: `Connection closed by ${A} port 52840 [preauth]`,
      from: 'packet.c sshpkt_fatal() before any userauth request (7.2+)',
      fields: { ip: A },
    },
    {
      message: `Connection closed by ${A} [preauth]`,
      from: 'packet.c sshpkt_fatal(): "Connection closed by %.200s" (7.0–7.1)',
      fields: { ip: A },
    },
    {
      message: `Connection reset by invalid user admin ${A} port 52816 [preauth]`,
      from: 'packet.c sshpkt_fatal(): "Connection reset by %s"',
      fields: { ip: A },
    },
    {
      message: `Disconnected from invalid user admin ${A} port 52816 [preauth]`,
      from: 'packet.c sshpkt_fatal(): "Disconnected from %s"',
      fields: { ip: A, user: 'admin' },
    },
    {
      message: `Disconnected from authenticating user root ${A} port 52900 [preauth]`,
      from: 'packet.c sshpkt_fatal(), authenticating user',
      fields: { ip: A },
    },
    {
      message: `error: Received disconnect from ${A} port 52900:14: No supported authentication methods available [preauth]`,
      from: 'packet.c: "Received disconnect from %s port %d:%u: %.400s", reason 14',
      fields: { ip: A },
    },
    {
      message: 'error: Protocol major versions differ: 2 vs. 1',
      from: 'kex.c kex_exchange_identification(): an SSH-1 client (8.0+), no address',
      fields: {},
    },
    {
      message: `Connection from authenticating user git ${A} port 48806 timed out [preauth]`,
      from: 'packet.c sshpkt_fatal(): "Connection %s %s timed out" (server side: "from")',
      fields: { ip: A },
    },
    {
      message: `Received disconnect from ${A} port 52900:11: Bye Bye [preauth]`,
      from: 'packet.c: "Received disconnect from %s port %d:%u: %.400s", reason 11 before authentication',
      fields: { ip: A },
    },
    {
      message: `Received disconnect from ${A} port 52900:11:  [preauth]`,
      from: 'packet.c: reason 11 with an empty description',
      fields: { ip: A },
    },
    {
      message: `Received disconnect from ${A} port 52900:14: No more user authentication methods available. [preauth]`,
      from: "packet.c, reason 14 (the client's own text)",
      fields: { ip: A },
    },
    {
      message: `Did not receive identification string from ${A} port 50000`,
      from: 'sshd.c sshd_exchange_identification(): "Did not receive identification string from %s port %d" (7.3–7.9)',
      fields: { ip: A },
    },
    {
      message: `Did not receive identification string from ${A}`,
      from: 'sshd.c (7.0–7.2, no port)',
      fields: { ip: A },
    },
    {
      message: `Bad protocol version identification 'GET / HTTP/1.1' from ${A} port 50001`,
      from: 'sshd.c: "Bad protocol version identification \'%.100s\' from %s port %d"',
      fields: { ip: A },
    },
    {
      message: `Bad protocol version identification '\\026\\003\\001' from ${A} port 50002`,
      from: 'sshd.c, a TLS ClientHello escaped by log.c',
      fields: { ip: A },
    },
    {
      message: 'error: kex_exchange_identification: client sent invalid protocol identifier "GET / HTTP/1.1"',
      from: 'kex.c kex_exchange_identification(): error_f("client sent invalid protocol identifier \\"%.256s\\"") (8.0–9.4, no address)',
      fields: {},
    },
    {
      message: 'error: kex_exchange_identification: Connection closed by remote host',
      from: 'kex.c: error_f("Connection closed by remote host") (8.0–9.4)',
      fields: {},
    },
    {
      message: 'error: kex_exchange_identification: read: Connection reset by peer',
      from: 'kex.c: error_f("read: %.100s", strerror(errno))',
      fields: {},
    },
    {
      message: `banner exchange: Connection from ${A} port 50003: invalid format`,
      from: 'sshd.c: sshpkt_fatal(ssh, r, "banner exchange") (8.3+)',
      fields: { ip: A },
    },
    {
      message: `banner exchange: Connection from ${A} port 50004: could not read protocol version [preauth]`,
      from: 'sshd-auth.c: sshpkt_fatal(ssh, r, "banner exchange") (10.3+, relayed with [preauth])',
      fields: { ip: A },
    },
    {
      message: `Unable to negotiate with ${A} port 52860: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1,diffie-hellman-group14-sha1 [preauth]`,
      from: 'packet.c sshpkt_fatal(): "Unable to negotiate with %s: %s. Their offer: %s"',
      fields: { ip: A },
    },
    {
      message: `fatal: Unable to negotiate with ${A}: no matching host key type found. Their offer: ssh-dss [preauth]`,
      from: 'packet.c (7.0–7.1): fatal("Unable to negotiate with %.200s: %s. Their offer: %s")',
      fields: { ip: A },
    },
    {
      message: `Protocol major versions differ for ${A} port 50005: SSH-2.0-OpenSSH_7.4 vs. SSH-1.5-Nmap-SSH1-Hostkey`,
      from: 'sshd.c: "Protocol major versions differ for %s port %d: %.200s vs. %.200s"',
      fields: { ip: A },
    },
    {
      message: `scanned from ${A} port 50006 with SSH-1.0-SSH_Version_Mapper.  Don't panic.`,
      from: 'sshd.c / kex.c: "scanned from %s port %d with %s.  Don\'t panic."',
      fields: { ip: A },
    },
    {
      message: `fatal: Timeout before authentication for ${A} port 52870`,
      from: 'sshd.c grace_alarm_handler(): "Timeout before authentication for %s port %d" (8.5–9.7)',
      fields: { ip: A },
    },
    {
      message: `ssh_dispatch_run_fatal: Connection from ${A} port 52864: message authentication code incorrect [preauth]`,
      from: 'packet.c sshpkt_fatal(): "%s%sConnection %s %s: %s" with tag ssh_dispatch_run_fatal',
      fields: { ip: A },
    },
    {
      message: `drop connection #12 from [${A}]:53000 on [192.0.2.10]:22 past MaxStartups`,
      from: 'sshd.c: "drop connection #%d from [%s]:%d on [%s]:%d past MaxStartups" (8.4–9.7)',
      fields: { ip: A },
    },
    {
      message: 'Read from socket failed: Connection reset by peer [preauth]',
      from: 'packet.c (6.x): "Read from socket failed: %.100s"',
      fields: {},
    },
    {
      message: 'fatal: Read from socket failed: Connection reset by peer [preauth]',
      from: 'packet.c (6.x) relayed by monitor.c at FATAL: log.c\'s "fatal: " prefix',
      fields: {},
    },
    {
      message: `Connection reset by ${A} port 40002`,
      from: 'sshd.c / sshd-session.c sshpkt_fatal(ssh, r, "banner exchange") with ECONNRESET (8.3+, no [preauth]): a port scanner',
      fields: { ip: A },
    },
    {
      message: `Failed password for root from ${A} port 52814 ssh2`,
      from: 'auth.c auth_log() (everything sshd counts, sshd-aggressive counts too)',
      fields: { ip: A },
    },
  ],
  noMatch: [
    {
      message: 'Received disconnect from 10.0.0.5 port 50522:11: disconnected by user',
      from: 'packet.c, reason 11 (normal end of a session)',
    },
    { message: 'Disconnected from user deploy 10.0.0.5 port 50522', from: 'packet.c, after login (no [preauth])' },
    {
      message: 'Connection closed by 10.0.0.5 port 50522',
      from: 'serverloop.c (9.8+ after login) or banner stage (8.3–10.2): no [preauth], not counted',
    },
    {
      message: 'Accepted publickey for deploy from 10.0.0.5 port 50522 ssh2: ED25519 SHA256:abc',
      from: 'auth.c auth_log(), Accepted',
    },
  ],
};
