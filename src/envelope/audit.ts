// Linux audit records (auditd's audit.log, and the same records through journald, the kernel log or audisp's syslog
// plugin). A user-space record's text is `op=… acct=… exe="/usr/sbin/sshd" hostname=… addr=… terminal=… res=…`, written
// by libaudit in the process that sent it; its executable is the record's program, so the packs read the records
// their programs' PAM stacks sent. That text is the sender's own word, and any holder of CAP_AUDIT_WRITE (root in a
// default container too) can send one: only the fields the kernel writes — pid, uid, auid, ses and the SELinux
// subject — are facts, so the message keeps the subject (`subj=…:sshd_t:… msg='…'`) for a pattern to require. libaudit
// hex-encodes a value holding a space, a quote or a control character, so a typed account name cannot close its
// quotes. Pure.
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
/**
 * The subject's fields, then the user-space text in quotes; audit 3's enriched format adds fields after a GS (a space
 * once audisp-syslog has written it). A typed account may hold a ' (libaudit quotes it without encoding it): the text
 * runs to the record's last quote.
 */
const BODY =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: audit 3 separates its enriched fields with a GS (0x1d).
  /^(?:user )?pid=(\d{1,10}) uid=\d{1,10} auid=\d{1,10} ses=\d{1,10} ((?:subj=\S{1,256} )?msg='(.{1,4096})')(?:[\x1d ][A-Z][A-Z_]{0,31}=[^']*)?$/;
const EXE = / exe="([^"]{1,4096})" /;

/** An audit.log line: `[node=N ]type=USER_AUTH msg=audit(1700000000.123:456): pid=… msg='…'`. */
export function parseAuditRecord(line: string): Envelope | undefined {
  const m = RECORD.exec(line.slice(0, 320));
  if (!m) return undefined;
  const at = m[0].indexOf('audit(') + 6;
  const env = newEnvelope('audit', line.slice(m[0].length), { kind: 'unix', start: at, end: at + m[2]!.length });
  env.program = 'audit';
  // No pid: audit.log holds one record per attempt, and nothing else of the process to pair it with.
  readAuditBody(env, m[1]!, line.slice(m[0].length), false);
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
    readAuditBody(env, journal[1]!, text.slice(journal[0].length), true);
    return;
  }
  // The kernel's: `audit: type=1100 …`, after printk's time since boot on Debian's kern.log (`[ 1234.567890] `).
  const printk = /^(?:\[ {0,12}\d{1,12}\.\d{1,9}\] )?audit: /.exec(text.slice(0, 40));
  const at = printk ? printk[0].length : 0;
  const m = RECORD.exec(text.slice(at, at + 320));
  if (m) readAuditBody(env, m[1]!, text.slice(at + m[0].length), true);
}

/**
 * The record's subject and user-space text as the message (`subj=…:sshd_t:… msg='op=PAM:authentication … res=failed'`,
 * as they stand in the line, so the screen's words find them), its executable the program, its type the message id
 * (`USER_AUTH`). Among syslog lines (`withPid`) the sender's pid, which the kernel writes, is the pid (not a relay's),
 * so a record pairs with the lines its process wrote itself.
 */
function readAuditBody(env: Envelope, type: string, body: string, withPid: boolean): void {
  const m = BODY.exec(body);
  if (!m) return;
  const exe = EXE.exec(m[3]!);
  if (!exe) return;
  env.program = exe[1]!.slice(exe[1]!.lastIndexOf('/') + 1);
  env.pid = withPid ? m[1]! : undefined;
  env.message = m[2]!;
  env.msgid = TYPE_NAMES[type] ?? type;
}
