// OpenSSH's authentication failures, every message read from its start (tags sshd, and sshd-session since 9.8; what
// sshd-auth logs in 10.x is relayed under sshd-session), and Dropbear's (OpenWrt, Alpine, embedded systems). The
// client chooses the user name (up to 100 bytes, spaces and quotes kept, never a ":"), the disconnect reason and the
// version string: an address is captured only where sshd wrote it after such text, anchored at the end of the line,
// or before any of it. Formats, versions and levels: openssh-portable 7.0p1–10.5p1 (auth.c, auth2.c, auth-pam.c,
// packet.c, sshd.c, kex.c, serverloop.c).
import { ADDRESS_OR_NAME, IP, type MessagePackRule, type MessagePattern, MINUTE } from './pack.js';
import {
  pamAuditRecord,
  pamAuthFailure,
  pamLockout,
  pamModuleRefusals,
  pamMoreFailures,
  pamSucceedIfRefusal,
} from './pam.js';

const PROGRAMS = ['sshd', 'sshd-session', 'sshd-auth', 'dropbear'];
/**
 * Dropbear's `svr_ses.addrstring`: `a.b.c.d:port`, `[v6]:port` (svr-session.c; unbracketed before 2020, where the
 * last ":" still ends the address). Always the last thing on its line or right after "from <".
 */
const DROPBEAR_ADDRESS = `\\[?(?<ip>${IP})\\]?:\\d{1,5}`;
/** A user name as sshd logs it: anything but ":", matched lazily so the address at the end of the line wins. */
const USER = '(?<user>[^:]{0,512}?)';
const PORT = ' port \\d{1,5}';
/** What may follow an address sshd wrote last: its port, the connection's local end, the preauth marker. */
const TAIL = '(?: (?:port \\d{1,5}|on \\S{1,256}|via \\S{1,256}|\\[preauth\\]|ssh[12])){0,4}';
const PREAUTH = '(?: \\[preauth\\])?';
/** The level prefix log.c writes for error() and fatal(). */
const LEVEL = '(?:(?:error|fatal): )?';
/**
 * auth_log()'s info after "ssh2: ": a key and its fingerprint, a certificate's key ID and CA, hostbased's client user
 * and host. The client shapes some of it, but it comes after the address, and the user name before the address cannot
 * hold the ": " that starts it: the address is the one sshd wrote.
 */
const KEY_INFO = '(?:: .{1,2048})?';
/** The connection's preamble in sshpkt_fatal() and Disconnecting lines (7.5+): `[authenticating |invalid ]user X `. */
const PREAMBLE = `(?:(?:authenticating |invalid )?user ${USER} )?`;

/**
 * Linux-PAM's audit records under sshd, as libaudit writes them (audit_log_acct_message(): `op=%s acct="%s" exe=%s
 * hostname=%s addr=%s terminal=%s res=%s`, the account hex-encoded when it holds a space or a quote). The text is the
 * sender's word (any CAP_AUDIT_WRITE holder, a container's root too, can send one): only a record whose SELinux subject,
 * written by the kernel, is sshd's domain names the address; hostname= is the PAM_RHOST sshd set (libaudit resolves a
 * name into addr=, from DNS its owner controls, so addr= is never read). Another record takes the address its process
 * (the pid the kernel wrote) logged in its own lines, as sshd's lines without one do.
 */
const AUDIT_FROM =
  'Linux-PAM libpam/pam_audit.c _pam_audit_writelog() with the user, PAM_RHOST and PAM_TTY (ssh), through libaudit audit_log_acct_message()';
const auditFailures = (op: string, what: string, counts: NonNullable<MessagePattern['counts']>): MessagePattern[] => [
  {
    re: `${pamAuditRecord(op, 'user', 'sshd_t')} hostname=${ADDRESS_OR_NAME} addr=\\S{1,64} terminal=ssh res=failed'$`,
    from: `${AUDIT_FROM}: ${what}, sent by sshd's SELinux domain (the kernel's subj=)`,
    counts,
  },
  {
    // The address only from what the same process (the kernel's pid, in a journal) logged itself.
    re: `${pamAuditRecord(op)} hostname=\\S{1,256} addr=\\S{1,64} terminal=ssh res=failed'$`,
    from: `${AUDIT_FROM}: ${what}, from a sender the kernel does not vouch for: its address is the one its process logged (none in audit.log alone)`,
    counts,
    ipFromProcess: true,
  },
];

const normal: MessagePattern[] = [
  // A failed pam_authenticate(): a PAM failure, which sshd's own line that follows (in a journal) belongs to.
  ...auditFailures('authentication', '"PAM:authentication grantors=…" (USER_AUTH)', 'pam'),
  {
    re: `${LEVEL}Failed (?<method>password|keyboard-interactive/pam|keyboard-interactive/bsdauth|keyboard-interactive|hostbased|gssapi-with-mic|none|unknown) for (?:invalid user )?${USER} from (?<ip>${IP})(?:${PORT})?(?: ssh[12])?${KEY_INFO}${PREAUTH}$`,
    from: 'openssh auth.c auth_log(): "%s %s%s%s for %s%.100s from %.200s port %d ssh2%s%s" with authmsg "Failed" (7.0–10.5); auth2-gss.c "Failed gssapi-with-mic for %s%.100s from %.200s port %d ssh2" (10.4+)',
    counts: 'after-pam',
  },
  {
    // auth2.c logs the method the client asked for: 8.9+ clients ask for publickey-hostbound-v00@openssh.com.
    re: `${LEVEL}Failed (?<method>publickey(?:-hostbound-v00@openssh\\.com)?) for invalid user ${USER} from (?<ip>${IP})(?:${PORT})?(?: ssh[12])?${KEY_INFO}${PREAUTH}$`,
    from: 'openssh auth.c auth_log() for publickey and an invalid user (only with privilege separation off, 7.0–7.4); a valid user trying keys is normal',
    counts: 'after-pam',
  },
  {
    re: `Invalid user ${USER} from (?<ip>${IP})${TAIL}$`,
    from: 'openssh auth.c getpwnamallow(): "Invalid user %.100s from %.100s" (7.0–7.2), "… port %d" (7.3+)',
    // The attempt's first line: PAM's "check pass" and the "Failed … for invalid user" line that follow belong to it.
    counts: 'pam',
  },
  {
    re: `Illegal user ${USER} from (?<ip>${IP})${TAIL}$`,
    from: 'openssh auth.c (before 3.9): "Illegal user %.100s from %.100s"',
    counts: 'pam',
  },
  {
    re: 'input_userauth_request: invalid user [^:]{0,512} \\[preauth\\]$',
    from: 'openssh auth2.c input_userauth_request(): "input_userauth_request: invalid user %s" (7.0–7.4, no address), right after the monitor\'s "Invalid user": the same attempt',
    ipFromProcess: true,
    counts: 'pam',
  },
  {
    re: `User ${USER} from ${ADDRESS_OR_NAME} not allowed because (?:not listed in AllowUsers|listed in DenyUsers|not in any group|a group is listed in DenyGroups|none of user's groups are listed in AllowGroups)${TAIL}$`,
    from: 'openssh auth.c allowed_user(): "User %.100s from %.100s not allowed because …" (DenyUsers, AllowUsers, no group, DenyGroups, AllowGroups), once a connection: its PAM failure and "Failed … for invalid user" lines are the same attempt',
    counts: 'pam',
  },
  {
    re: `User ${USER} not allowed because (?:account is locked|shell \\S{0,256} does not exist|shell \\S{0,256} is not executable)${TAIL}$`,
    from: 'openssh auth.c allowed_user(): "User %.100s not allowed because account is locked", "… shell %.100s does not exist", "… is not executable"',
    ipFromProcess: true,
    counts: 'pam',
  },
  {
    re: `administratively prohibited connection for (?:invalid user )?${USER} from (?<ip>${IP})${PORT}${TAIL}$`,
    from: 'openssh monitor.c (RefuseConnection): "administratively prohibited connection for %s%s from %.128s port %d" (9.9+)',
  },
  {
    re: `${LEVEL}PAM: (?:[Aa]uthentication (?:failure|error|failed)|User not known to the underlying authentication module|Authentication service cannot retrieve authentication info|Have exhausted maximum number of retries for service|Permission denied|User account has expired) for (?:illegal user |invalid user )?${USER} from ${ADDRESS_OR_NAME}(?: via \\S{1,256})?${TAIL}$`,
    from: 'openssh auth-pam.c sshpam_query()/mm_answer_pam_query(): "PAM: %s for %s%.100s from %.100s" (pam_strerror, "illegal user ")',
    counts: 'pam',
  },
  {
    re: pamAuthFailure('sshd', { rhostPattern: ADDRESS_OR_NAME, user: 'user' }),
    from: 'Linux-PAM modules/pam_unix/support.c: "authentication failure; logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s %s%s" under sshd (first failure on the connection)',
    counts: 'pam',
  },
  {
    re: `(?:pam_[a-z0-9_]{1,32}\\(sshd:auth\\): )?check pass; user (?:\\(${USER}\\) )?unknown$`,
    from: 'Linux-PAM modules/pam_unix/support.c _unix_verify_password(): "check pass; user unknown" (every attempt at a user that does not exist)',
    counts: 'pam',
    ipFromProcess: true,
  },
  ...[pamSucceedIfRefusal('sshd'), ...pamModuleRefusals('sshd')].map((p) => ({
    ...p,
    counts: 'pam' as const,
    ipFromProcess: true as const,
  })),
  {
    re: `pam_access\\(sshd:(?:account|auth)\\): access denied for user \`(?<user>.{0,256}?)' from \`${ADDRESS_OR_NAME}'$`,
    from: "Linux-PAM modules/pam_access/pam_access.c: \"access denied for user `%s' from `%s'\" (the client's address, or its name with UseDNS)",
    counts: 'pam',
  },
  {
    re: pamMoreFailures('sshd', { rhostPattern: ADDRESS_OR_NAME, user: 'user' }),
    from: 'Linux-PAM modules/pam_unix/support.c _cleanup_failures(): "%d more authentication failure%s; …" at pam_end(), prefixed "PAM"',
    counts: 'follow-up',
  },
  {
    re: 'PAM service\\(sshd\\) ignoring max retries; \\d{1,5} > \\d{1,5}$',
    from: 'Linux-PAM modules/pam_unix/support.c: "service(%s) ignoring max retries; %d > %d"',
    counts: 'follow-up',
    ipFromProcess: true,
  },
  {
    re: `${LEVEL}maximum authentication attempts exceeded for (?:invalid user )?${USER} from (?<ip>${IP})(?:${PORT})?(?: ssh[12])?${PREAUTH}$`,
    from: 'openssh auth.c auth_maxtries_exceeded(): "maximum authentication attempts exceeded for %s%.100s from %.200s port %d ssh2" (error, 6.8–10.5)',
    counts: 'follow-up',
  },
  {
    re: `Disconnecting ${PREAMBLE}(?<ip>${IP})${PORT}: (?:Too many authentication failures|Change of username or service not allowed: .{0,512})${PREAUTH}$`,
    from: 'openssh packet.c ssh_packet_disconnect(): "Disconnecting %s: %.100s" with remote_id "[authenticating |invalid ]user X IP port N" (7.5+) and "Too many authentication failures" (auth.c), "Change of username or service not allowed: (%s,%s) -> (%s,%s)" (auth2.c)',
    counts: 'follow-up',
  },
  {
    // Everything after "for" is the client's: ≤6.6 wrote the user alone, 6.7 "for %s%.100s from %.200s port %d %s" cut
    // at 100 bytes, so a long user name ends the line with an address of its choosing. The address is the process's.
    re: `Disconnecting: (?:Too many authentication failures(?: for .{1,512}?)?|Change of username or service not allowed: .{0,512})${PREAUTH}$`,
    from: 'openssh packet.c: "Disconnecting: %.100s" (before 7.5): "Too many authentication failures[ for %.100s]" (≤6.7 with the user, cut at 100 bytes; 7.0–7.4 without user or address)',
    counts: 'follow-up',
    ipFromProcess: true,
  },
  {
    re: `ROOT LOGIN REFUSED FROM (?<ip>${IP})${TAIL}$`,
    from: 'openssh auth.c auth_root_allowed(): "ROOT LOGIN REFUSED FROM %.200s" (7.0–7.2), "… port %d" (7.3+)',
  },
  {
    re: `${LEVEL}Received disconnect from (?<ip>${IP})(?:${PORT})?: ?3: .{0,512}Auth fail(?:ed)?(?: for methods '[^']{0,256}')?\\.?${PREAUTH}$`,
    from: 'openssh packet.c: "Received disconnect from %s port %d:%u: %.400s" (7.2+; "from %s: %u: %.400s" before), reason 3 and JSch\'s "Auth fail" (clients giving up; mwiede/jsch Session.java: "Auth fail for methods \'%s\'")',
    counts: 'follow-up',
  },
  {
    // A pattern of its own: the screen looks for one rare word a pattern (not "Received disconnect", in every session's end).
    re: `${LEVEL}Received disconnect from (?<ip>${IP})(?:${PORT})?: ?3: .{0,512}Auth cancel(?: for methods '[^']{0,256}')?\\.?${PREAUTH}$`,
    from: 'mwiede/jsch Session.java: "Auth cancel for methods \'%s\'" as the reason of SSH_DISCONNECT 3',
    counts: 'follow-up',
  },
  {
    re: `refused connect from (?:[A-Za-z0-9._-]{1,253}@)?(?:[A-Za-z0-9.-]{1,253} \\()?(?:::ffff:)?(?<ip>${IP})\\)?$`,
    from: 'tcp_wrappers refuse(): "refused connect from %s" with eval_client(): "[user@]host (address)" or the address (distribution builds of sshd with libwrap)',
  },
  {
    re: `drop connection #\\d{1,10} from \\[(?<ip>${IP})\\]:\\d{1,5} on \\[[^\\]]{1,64}\\]:\\d{1,5} penalty: (?:failed authentication|attempted authentication by invalid user|connection prohibited by RefuseConnection)$`,
    from: 'openssh sshd.c (PerSourcePenalties, 9.8+): "drop connection #%d from [%s]:%d on [%s]:%d %s" with "penalty: failed authentication"',
  },
  {
    re: `[Bb]ad (?:PAM )?password attempt for '(?<user>.{0,256}?)' from ${DROPBEAR_ADDRESS}$`,
    from: 'dropbear svr-authpasswd.c / svr-authpam.c: "Bad password attempt for \'%s\' from %s", "Bad PAM password attempt for \'%s\' from %s" (the PAM variant names the client\'s user; the address is last); "bad password attempt" before 0.53',
    counts: 'after-pam',
  },
  {
    re: `[Ll]ogin attempt for nonexistent user (?:'.{0,256}' )?from ${DROPBEAR_ADDRESS}$`,
    from: 'dropbear svr-auth.c checkusername(): "Login attempt for nonexistent user from %s" (once per connection; older versions named the user in quotes before "from")',
  },
  {
    // Dropbear ends the connection past MaxAuthTries: the failures before it were each counted.
    re: `[Ee]xit before auth from <${DROPBEAR_ADDRESS}>: (?:\\(user '[^']{0,64}', \\d{1,5} fails\\): )?Max auth tries reached - user '[^']{0,64}'$`,
    from: 'dropbear svr-session.c svr_dropbear_exit(): "Exit before auth from <%s>: (user \'%s\', %u fails): %s" with svr-auth.c "Max auth tries reached - user \'%s\'" (2020+)',
    counts: 'follow-up',
  },
  {
    re: `[Ee]xit before auth \\(user '[^']{0,64}', \\d{1,5} fails\\): Max auth tries reached - user '[^']{0,64}' from ${DROPBEAR_ADDRESS}$`,
    from: "dropbear before 2020: \"Exit before auth (user '%s', %u fails): Max auth tries reached - user '%s' from %s\"",
    counts: 'follow-up',
  },
  ...pamLockout('sshd').map((lockout) => ({
    ...lockout,
    from: 'Linux-PAM pam_faillock "Consecutive login failures for user %s account temporarily locked"; pam_tally2 "user %s (%lu) tally %hu, deny %hu"',
    ipFromProcess: true as const,
  })),
];

/** Connections dropped before authenticating: scanners and bots, but also clients that try several keys and give up. */
const aggressive: MessagePattern[] = [
  // pam_end() of a connection whose PAM stack never ran: an unknown user's, but also a valid user's who gave up at the
  // prompt or offered a wrong key (BatchMode, a git client): a closing line, as "Connection closed by … [preauth]" is.
  ...auditFailures('bad_ident', '"PAM:bad_ident" (USER_ERR) at pam_end() when no stack ran', 'follow-up'),
  {
    // The line that ends a connection: one attempt when nothing before it was counted, else part of that one.
    re: `${LEVEL}Connection (?:closed|reset) by ${PREAMBLE}(?<ip>${IP})(?:${PORT})? \\[preauth\\]$`,
    from: 'openssh packet.c sshpkt_fatal(): "Connection closed by %s", "Connection reset by %s" with remote_id (7.5+; "%.200s port %d" 7.2–7.4, no port 7.0–7.1)',
    counts: 'follow-up',
  },
  {
    re: `${LEVEL}Connection from ${PREAMBLE}(?<ip>${IP})(?:${PORT})? timed out \\[preauth\\]$`,
    from: 'openssh packet.c sshpkt_fatal() SSH_ERR_CONN_TIMEOUT: "Connection %s %s timed out" with "from" and remote_id (7.5+; "%.200s port %d" 7.0–7.4)',
    counts: 'follow-up',
  },
  {
    re: `Disconnected from ${PREAMBLE}(?<ip>${IP})(?:${PORT})? \\[preauth\\]$`,
    from: 'openssh packet.c sshpkt_fatal(): "Disconnected from %s" with remote_id (after "Received disconnect", or the failures of the connection)',
    counts: 'follow-up',
  },
  {
    re: `${LEVEL}Received disconnect from (?<ip>${IP})(?:${PORT})?: ?14: .{0,512}${PREAUTH}$`,
    from: 'openssh packet.c: "Received disconnect from %s port %d:%u: %.400s", reason 14 (SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE)',
    counts: 'follow-up',
  },
  {
    // A client leaving before authenticating, for whatever reason it gives (bots' "Bye Bye"): sshd then writes the
    // connection's Disconnected line, which belongs to the same attempt.
    re: `${LEVEL}Received disconnect from (?<ip>${IP})(?:${PORT})?: ?\\d{1,3}: .{0,512} \\[preauth\\]$`,
    from: 'openssh packet.c: "Received disconnect from %s port %d:%u: %.400s" before authentication (any reason; 11 SSH2_DISCONNECT_BY_APPLICATION from most bots)',
    counts: 'follow-up',
  },
  {
    // No [preauth] and no user: written in the banner exchange, before privilege separation (after login a reset is
    // serverloop's "Read error from remote host"). A bare "Connection closed by" is also a session's end on 9.8+.
    re: `Connection reset by (?<ip>${IP})(?:${PORT})?$`,
    from: 'openssh sshd.c / sshd-session.c sshpkt_fatal(ssh, r, "banner exchange") with ECONNRESET: "Connection reset by %s port %d" (8.3–10.x, no [preauth])',
    counts: 'follow-up',
  },
  {
    re: `Did not receive identification string from (?<ip>${IP})(?:${PORT})?$`,
    from: 'openssh sshd.c sshd_exchange_identification(): "Did not receive identification string from %s[ port %d]" (7.0–7.9)',
  },
  {
    re: `Bad protocol version identification '.{0,512}?' from (?<ip>${IP})(?:${PORT})?$`,
    from: "openssh sshd.c: \"Bad protocol version identification '%.100s' from %s port %d\" (7.0–7.9; the client's string comes before the address)",
  },
  {
    re: `(?:probed|scanned) from (?<ip>${IP})(?:${PORT})? with .{0,256}\\.  Don't panic\\.`,
    from: 'openssh sshd.c / kex.c: "probed from %s port %d with %s.  Don\'t panic.", "scanned from …"',
  },
  {
    re: `${LEVEL}kex_exchange_identification: (?:client sent invalid protocol identifier|Connection closed by remote host|read: Connection reset by peer|banner line contains invalid characters|banner line too long)`,
    from: 'openssh kex.c kex_exchange_identification(): error_f("Connection closed by remote host"), "client sent invalid protocol identifier \\"%.256s\\"", … (8.0–9.4 at INFO; no address, and the first line its connection writes at INFO: no earlier line of the process is this client\'s, so it names no one)',
  },
  {
    re: `${LEVEL}Bad remote protocol version identification: '.{0,512}'${PREAUTH}$`,
    from: 'openssh kex.c: "Bad remote protocol version identification: \'%.100s\'" (8.0+; no address, the first line of its connection at INFO: names no one)',
  },
  {
    re: `banner exchange: Connection from (?<ip>${IP})${PORT}: (?:invalid format|could not read protocol version|Connection timed out|Broken pipe|Connection reset by peer)${PREAUTH}$`,
    from: 'openssh sshd.c / sshd-session.c / sshd-auth.c: sshpkt_fatal(ssh, r, "banner exchange") → "banner exchange: Connection from %s port %d: %s" (8.3+)',
  },
  {
    re: `${LEVEL}Unable to negotiate with (?<ip>${IP})(?:${PORT})?: no matching \\S{1,64}(?: \\S{1,32}){0,3} found`,
    from: 'openssh packet.c sshpkt_fatal(): "Unable to negotiate with %s: %s. Their offer: %s" (client\'s list after the address)',
  },
  {
    re: `${LEVEL}Protocol major versions differ: \\d{1,3} vs\\. \\d{1,3}${PREAUTH}$`,
    from: 'openssh kex.c kex_exchange_identification(): "Protocol major versions differ: %d vs. %d" (8.0+; no address, the first line of its connection at INFO: names no one)',
  },
  {
    re: `${LEVEL}Protocol major versions differ for (?<ip>${IP})(?:${PORT})?: `,
    from: 'openssh sshd.c: "Protocol major versions differ for %s port %d: %.200s vs. %.200s" (7.x)',
  },
  {
    re: `fatal: Timeout before authentication for (?<ip>${IP})(?:${PORT})?$`,
    from: 'openssh sshd.c grace_alarm_handler(): "Timeout before authentication for %s port %d" (8.5–9.7 on Linux)',
  },
  {
    re: `ssh_dispatch_run_fatal: Connection from ${PREAMBLE}(?<ip>${IP})${PORT}: .{1,256}${PREAUTH}$`,
    from: 'openssh packet.c sshpkt_fatal(): "%s%sConnection %s %s: %s" with tag ssh_dispatch_run_fatal (message authentication code incorrect, Connection corrupted, …)',
  },
  {
    re: `${LEVEL}Read from socket failed: Connection reset by peer(?: \\[preauth\\])?$`,
    from: 'openssh packet.c (6.x): "Read from socket failed: %.100s" (no address)',
    ipFromProcess: true,
  },
  {
    re: `dispatch_protocol_error: type \\d{1,3} seq \\d{1,10}${PREAUTH}$`,
    from: 'openssh dispatch.c: "dispatch_protocol_error: type %d seq %u" (no address)',
    ipFromProcess: true,
  },
  {
    re: `drop connection #\\d{1,10} from \\[(?<ip>${IP})\\]:\\d{1,5} on \\[[^\\]]{1,64}\\]:\\d{1,5} (?:past Max[Ss]tartups|Max[Ss]tartups|penalty: (?:connections without attempting authentication|exceeded LoginGraceTime|caused crash))$`,
    from: 'openssh sshd.c: "drop connection #%d from [%s]:%d on [%s]:%d past MaxStartups" (8.4–9.7), "… %s" with a penalty (9.8+)',
  },
];

const base = {
  kind: 'message',
  suffix: '',
  fields: { ip: 'ip', user: 'text', method: 'text', host: 'text', tally: 'int', deny: 'int' },
  severity: 'high',
  threshold: { count: 5, within: 10 * MINUTE, by: ['ip'] },
  title: 'SSH brute force from {ip}',
  event: 'auth.failure',
} as const satisfies Omit<MessagePackRule, 'patterns' | 'programs'>;

export const SSHD_PATTERNS = normal;
export const SSHD_AGGRESSIVE_PATTERNS = aggressive;

export const sshdPack: MessagePackRule[] = [
  { ...base, programs: PROGRAMS, fields: { ...base.fields }, patterns: normal },
];

export const sshdAggressivePack: MessagePackRule[] = [
  { ...base, programs: PROGRAMS, fields: { ...base.fields }, patterns: [...normal, ...aggressive] },
];
