// The envelopes a message reaches logwarden in, so each table row is tried as every writer would write it.

export interface Envelope {
  name: string;
  wrap(program: string, pid: string | undefined, message: string): string;
}

const tag = (program: string, pid: string | undefined) => (pid ? `${program}[${pid}]` : program);

export const RFC3164: Envelope = {
  name: 'RFC 3164',
  wrap: (program, pid, message) => `Nov 23 10:15:01 web1 ${tag(program, pid)}: ${message}`,
};

export const ISO: Envelope = {
  name: 'rsyslog ISO 8601 / journald source',
  wrap: (program, pid, message) => `2026-11-23T10:15:01.123456+00:00 bastion ${tag(program, pid)}: ${message}`,
};

export const RFC5424: Envelope = {
  name: 'RFC 5424',
  wrap: (program, pid, message) =>
    `<38>1 2026-11-23T10:15:01.003Z db-2.example.com ${program} ${pid ?? '-'} - [origin ip="192.0.2.1"] ${message}`,
};

export const JOURNAL_FULL: Envelope = {
  name: 'journalctl -o short-full',
  wrap: (program, pid, message) => `Mon 2026-11-23 10:15:01 UTC web1 ${tag(program, pid)}: ${message}`,
};

export const BUSYBOX: Envelope = {
  name: 'BusyBox syslogd (facility.level before the tag)',
  wrap: (program, pid, message) => `Nov 23 10:15:01 alpine authpriv.notice ${tag(program, pid)}: ${message}`,
};

export const JOURNAL_UNIX: Envelope = {
  name: 'journalctl -o short-unix',
  wrap: (program, pid, message) => `1795428901.123456 web1 ${tag(program, pid)}: ${message}`,
};

export const SOLARIS: Envelope = {
  name: 'Solaris/illumos with a message id',
  wrap: (program, pid, message) => `Nov 23 10:15:01 sol11 ${tag(program, pid)}: [ID 800047 auth.info] ${message}`,
};

export const SYSLOG_ENVELOPES = [RFC3164, ISO, RFC5424] as const;
