// What a log line says about itself before its message: when, on which host, from which program. Rules that belong
// to a program read only that program's message, so text inside one message can never pose as another program's line.

export const ENVELOPE_FORMATS = [
  /** `Nov 23 10:15:01 web1 sshd[123]: …`, also with `<PRI>`, a year or fractions of a second. */
  'rfc3164',
  /** `2026-11-23T10:15:01.123456+00:00 web1 sshd[123]: …`: rsyslog's high-precision format and the journald source. */
  'iso',
  /** `<34>1 2026-11-23T10:15:01Z web1 sshd 123 - [sd…] …` */
  'rfc5424',
  /** `Mon 2026-11-23 10:15:01 UTC web1 sshd[123]: …` (journalctl -o short-full) */
  'journal-full',
  /** `1764412501.123456 web1 sshd[123]: …` (journalctl -o short-unix: seconds since the epoch, UTC by definition) */
  'journal-unix',
  /** `[ 1399.123456] web1 sudo[123]: …` (journalctl -o short-monotonic: seconds since boot, no time of day) */
  'journal-monotonic',
  /** `2026/11/23 10:15:01 [error] 812#812: *5 …` */
  'nginx-error',
  /** `2026-11-23 10:15:01: (mod_auth.c.868) …` (also `10:15:01.123456789:`): lighttpd's error log */
  'lighttpd-error',
  /** `[Mon Nov 23 10:15:01.123456 2026] [auth_basic:error] [pid 1:tid 2] [client 1.2.3.4:5] …` and Apache 2.2's form */
  'apache-error',
  /** `1.2.3.4 - - [23/Nov/2026:10:15:01 +0000] "GET / HTTP/1.1" 200 …`, with or without a leading virtual host */
  'access',
  /** `type=USER_AUTH msg=audit(1764412501.123:456): pid=… msg='op=… exe="/usr/sbin/sshd" …'` (auditd's audit.log) */
  'audit',
  /** Nothing recognised: the whole line is the message, from no known program. */
  'none',
] as const;
export type EnvelopeFormat = (typeof ENVELOPE_FORMATS)[number];

/** How the line's own time stamp is written, and where it is. */
export type StampKind = 'syslog' | 'iso' | 'journal-full' | 'unix' | 'nginx' | 'apache' | 'clf';

export interface Stamp {
  kind: StampKind;
  start: number;
  end: number;
}

/** One request of a web server's access log, its quoted fields unescaped. */
export interface AccessRecord {
  /** The virtual host in front of the client, when the format has one (`vhost_combined`). */
  vhost?: string;
  /** The client address (or host name) as the server wrote it. */
  client: string;
  /** The authenticated user (`-` when none). */
  user: string;
  /** The request line as sent, e.g. `GET /index.html HTTP/1.1` (anything when malformed). */
  request: string;
  /** Method, target and protocol when the request line has that shape. */
  method?: string;
  target?: string;
  protocol?: string;
  status: number;
  referer?: string;
  userAgent?: string;
  /** Quoted fields after the user agent (nginx's `main` format ends with `"$http_x_forwarded_for"`), at most four. */
  extra?: string[];
}

export interface Envelope {
  format: EnvelopeFormat;
  stamp?: Stamp;
  host?: string;
  /** The program that wrote the line: its syslog tag or app name (`sshd`, `sudo`), `nginx`/`apache` for their logs. */
  program?: string;
  pid?: string;
  /** The PAM module of an old-style tag: `sshd(pam_unix)[1]:` → pam_unix. */
  module?: string;
  /** A Solaris/illumos message id (`[ID 800047 auth.info]` → 800047), or an audit record's type (`USER_AUTH`). */
  msgid?: string;
  /** The message, after every envelope part (and inside `message repeated N times: [ … ]`). */
  message: string;
  /** rsyslog's `message repeated N times: [ … ]`: the message stands for N lines. */
  repeated?: number;
  /** The client address the web server itself wrote outside the message (Apache's `[client …]`). */
  client?: string;
  /** The error level a web server gave the line (`error`, `warn`…). */
  level?: string;
  /** Access-log lines, bare or inside a web server's syslog message. */
  access?: AccessRecord;
}

/**
 * An envelope with every property present (undefined until read): one object shape for every line and format, so
 * the rules reading `program` or `message` see one kind of object, not one per combination of parts a line had.
 */
export function newEnvelope(format: EnvelopeFormat, message: string, stamp?: Stamp): Envelope {
  return {
    format,
    stamp,
    host: undefined,
    program: undefined,
    pid: undefined,
    module: undefined,
    msgid: undefined,
    message,
    repeated: undefined,
    client: undefined,
    level: undefined,
    access: undefined,
  };
}
