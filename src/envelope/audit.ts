// Linux audit records (auditd's audit.log, and the same records through journald, the kernel log or audisp's syslog
// plugin). A user-space record's text is `op=… acct=… exe="/usr/sbin/sshd" hostname=… addr=… terminal=… res=…`, written
// by libaudit in the process that sent it (which needs CAP_AUDIT_WRITE); its executable is the record's program, so
// the sshd pack reads the records sshd's PAM stack sent. libaudit hex-encodes a value holding a space, a quote or a
// control character, so a typed account name cannot close its quotes. Pure.
import { type Envelope, newEnvelope } from './envelope.js';

/** The kernel log's numeric record types for the user-space records read here (linux/audit.h). */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  '1100': 'USER_AUTH',
  '1101': 'USER_ACCT',
  '1109': 'USER_ERR',
  '1112': 'USER_LOGIN',
};

/** The programs whose syslog messages are audit records. */
export const AUDIT_PROGRAMS = new Set(['audit', 'kernel', 'audispd', 'audisp-syslog']);

const RECORD = /^(?:node=\S{1,255} )?type=([A-Z_]{1,32}|\d{4}) (?:msg=)?audit\((\d{1,12}(?:\.\d{1,9})?):\d{1,20}\): /;
/** The subject's fields, then the user-space text in quotes; audit 3's enriched format adds fields after a GS. */
// A typed account may hold a ' (libaudit quotes it, without encoding): the text runs to the record's last quote.
const BODY =
  /^(?:user )?pid=\d{1,10} uid=\d{1,10} auid=\d{1,10} ses=\d{1,10} (?:subj=\S{1,256} )?msg='(.{1,4096})'(?:\x1d[^']*)?$/;
const EXE = / exe="([^"]{1,4096})" /;

/** An audit.log line: `[node=N ]type=USER_AUTH msg=audit(1700000000.123:456): pid=… msg='…'`. */
export function parseAuditRecord(line: string): Envelope | undefined {
  const m = RECORD.exec(line.slice(0, 320));
  if (!m) return undefined;
  const at = m[0].indexOf('audit(') + 6;
  const env = newEnvelope('audit', line.slice(m[0].length), { kind: 'unix', start: at, end: at + m[2]!.length });
  env.program = 'audit';
  readAuditBody(env, m[1]!, line.slice(m[0].length));
  return env;
}

/**
 * A syslog message that carries a record: journald's `audit[1]: USER_AUTH pid=…`, the kernel's `audit: type=1100
 * audit(…): pid=…`, audisp's `node=… type=USER_AUTH msg=audit(…): pid=…`. Left as it is when it holds none.
 */
export function readAuditMessage(env: Envelope): void {
  const text = env.message;
  const journal = /^([A-Z_]{1,32}) /.exec(text);
  if (journal && env.program === 'audit') {
    readAuditBody(env, journal[1]!, text.slice(journal[0].length));
    return;
  }
  const kernel = text.startsWith('audit: ') ? 7 : 0;
  const m = RECORD.exec(text.slice(kernel, kernel + 320));
  if (m) readAuditBody(env, m[1]!, text.slice(kernel + m[0].length));
}

/**
 * The record's user-space text as the message (`op=PAM:authentication … res=failed`, as it stands in the line, so the
 * screen's words find it), its executable the program, its type the message id (`USER_AUTH`).
 */
function readAuditBody(env: Envelope, type: string, body: string): void {
  const m = BODY.exec(body);
  if (!m) return;
  const text = m[1]!;
  const exe = EXE.exec(text);
  if (!exe) return;
  env.program = exe[1]!.slice(exe[1]!.lastIndexOf('/') + 1);
  env.message = text;
  env.msgid = TYPE_NAMES[type] ?? type;
}
