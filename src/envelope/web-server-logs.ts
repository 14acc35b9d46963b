// The envelopes of web servers' own logs: nginx's and Apache's error logs, and access logs (common, combined, with a
// leading virtual host, bare or inside a web server's syslog message). Quoted access-log fields are unescaped the way
// nginx (`\xHH`) and Apache (`\"`, `\\`, `\xhh`) escape them, so a quote inside a field never ends it. Pure.
import { addressFamily } from '../core/address-family.js';
import { type AccessRecord, type Envelope, newEnvelope } from './envelope.js';
import { isDigit, isMonthAt } from './syslog.js';

/** `2026/11/23 10:15:01 [error] 812#812: *5 message`. */
const NGINX_ERROR = /^(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d) \[([a-z]{1,8})\] (\d{1,10})#\d{1,10}: (?:\*\d{1,20} )?/;
/** nginx's error-log message as its syslog output sends it: `[error] 812#812: *5 message`. */
const NGINX_SYSLOG_ERROR = /^\[([a-z]{1,8})\] (\d{1,10})#\d{1,10}: (?:\*\d{1,20} )?/;

export function parseNginxError(line: string): Envelope | undefined {
  const m = NGINX_ERROR.exec(line);
  if (!m) return undefined;
  const env = newEnvelope('nginx-error', line.slice(m[0].length), { kind: 'nginx', start: 0, end: m[1]!.length });
  env.program = 'nginx';
  env.pid = m[3]!;
  env.level = m[2]!;
  readNginxClient(env);
  return env;
}

/**
 * lighttpd's error log: log.c writes `%F %T: ` (or `%F %T.nnnnnnnnn: ` with server.errorlog-high-precision) and then
 * `(source.c.line) `, which stays in the message (it is also all a syslog line from lighttpd starts with).
 */
const LIGHTTPD_ERROR = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,9})?): (?=\(?[\w-]{1,64}\.c\.\d{1,6}\) )/;

export function parseLighttpdError(line: string): Envelope | undefined {
  const m = LIGHTTPD_ERROR.exec(line);
  if (!m) return undefined;
  const env = newEnvelope('lighttpd-error', line.slice(m[0].length), { kind: 'iso', start: 0, end: m[1]!.length });
  env.program = 'lighttpd';
  return env;
}

/** `2026/11/23 10:15:01 `: a whole error-log line forwarded through syslog (rsyslog's imfile) starts with it. */
const NGINX_ERROR_TIME = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /;

/** An nginx error message inside a syslog envelope: the level, pid and connection number move to the envelope. */
export function readNginxSyslogError(env: Envelope): void {
  const time = NGINX_ERROR_TIME.exec(env.message);
  if (time) env.message = env.message.slice(time[0].length);
  const m = NGINX_SYSLOG_ERROR.exec(env.message);
  if (!m) return;
  env.level = m[1]!;
  env.pid = m[2]!;
  env.message = env.message.slice(m[0].length);
  readNginxClient(env);
}

// Any value counts: a real `client: unix:` beside a forged address is a disagreement, not the forged address alone.
const NGINX_CLIENT = /, client: (\S{1,64}?), server: /g;

/**
 * nginx appends `, client: X, server: Y` after its message, and escapes nothing: a decoded URI in the message (an
 * open() path) or a referrer after it can carry the same words. The client is taken only when every occurrence on
 * the line names the same address; otherwise the line blames no one.
 */
function readNginxClient(env: Envelope): void {
  let client: string | undefined;
  for (const m of env.message.matchAll(NGINX_CLIENT)) {
    if (client !== undefined && m[1] !== client) return;
    client = m[1];
  }
  if (client !== undefined && addressFamily(client)) env.client = client;
}

// `[Mon Nov 23 10:15:01.123456 2026]` (2.4) or `[Mon Nov 23 10:15:01 2026]` (2.2).
const APACHE_STAMP = /^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d{1,6})? \d{4}\]/;
const APACHE_FIELD =
  /^\[(?:(pid) (\d{1,10})(?::tid \d{1,20})?|(client|remote) (\[[0-9A-Fa-f:.]{1,45}\](?::\d{1,5})?|[^\]\s]{1,64})|([\w-]{0,64}):([a-z]{1,8}\d?)|([a-z]{1,8}))\]/;
/**
 * The APR status httpd writes before the client when the error has one (server/log.c log_apr_status(): "(%d)",
 * "(EAI %d)", "(OS %d)" or "(os 0x%08x)", then apr_strerror()'s text and ": "): `(20023)The given path was above the
 * root path: [client …] AH00127: …`. The system's own words, not the request's; taken only before a client.
 */
const APACHE_STATUS =
  /^\((?:-?\d{1,6}|EAI -?\d{1,6}|OS \d{1,6}|os 0x[0-9a-f]{8})\)[^[\]\n]{0,200}?: (?=\[(?:client|remote) )/;

/**
 * Apache's error log: the time, then `[module:level]` (2.4) or `[level]` (2.2), `[pid …]`, `[client …]`; the message
 * is what follows. 2.4 writes the client with its port (`[client 2001:db8::1:52114]`), 2.2 without.
 */
export function parseApacheError(line: string): Envelope | undefined {
  const stamp = APACHE_STAMP.exec(line);
  if (!stamp) return undefined;
  const env = newEnvelope('apache-error', '', { kind: 'apache', start: 0, end: stamp[0].length });
  env.program = 'apache';
  readApacheFields(env, line, stamp[0].length);
  return env;
}

/**
 * Apache's bracketed fields from `at` (after the time, or at the start of its syslog message, where a whole error-log
 * line forwarded by rsyslog's imfile has its time first), then the message.
 */
export function readApacheFields(env: Envelope, text: string, start: number): void {
  let at = start;
  const stamp = APACHE_STAMP.exec(start === 0 ? text : '');
  if (stamp) at = stamp[0].length;
  let v24 = false;
  const clients: string[] = [];
  for (let n = 0; n < 6; n++) {
    let i = text[at] === ' ' ? at + 1 : at;
    if (text[i] === '(' && clients.length === 0) i += APACHE_STATUS.exec(text.slice(i, i + 320))?.[0].length ?? 0;
    const f = APACHE_FIELD.exec(text.slice(i, i + 96));
    if (!f) break;
    at = i + f[0].length;
    if (f[1]) {
      env.pid = f[2]!;
      v24 = true;
    } else if (f[3]) clients.push(f[4]!);
    else if (f[6]) {
      env.level = f[6];
      if (f[5]) env.module = f[5];
      v24 = true;
    } else env.level = f[7]!;
  }
  // `[2001:db8::1]:52114` (bracketed by some builds), `2001:db8::1:52114` (2.4), `2001:db8::1` (2.2), and
  // ModSecurity's second `[client 192.0.2.1]`: the first that reads as an address.
  for (const client of clients) {
    const bracketed = /^\[([^\]]+)\]/.exec(client);
    const unported = client.replace(/:\d{1,5}$/, '');
    const address = bracketed ? bracketed[1]! : v24 || !addressFamily(client) ? unported : client;
    if (addressFamily(address)) {
      env.client = address;
      break;
    }
  }
  env.message = text.slice(text[at] === ' ' ? at + 1 : at);
}

const CLF_TIME = /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}$/;

/** Web servers whose syslog messages may be access-log lines (`access_log syslog:…` tags them nginx by default). */
// Tags an operator gives a server's syslog output (nginx `tag=nginx_site`, `httpd/site`, `nginx-error`); other
// programs named after a server (nginx-ui, nginx-exporter) are not the server and their text is not its log.
const WEB_PROGRAM =
  /^(?:(nginx|openresty|angie|tengine)|(apache2?|httpd)|(lighttpd))(?:[_./][\w.-]{0,32}|-(?:access|error)(?:[_./-][\w.-]{0,32})?)?$/;

const SERVER_INITIALS = 'noatahl';

/** The web server a syslog tag names, as rules know it (nginx, apache, lighttpd), or undefined. */
export function webServerOf(program: string | undefined): string | undefined {
  // Most lines are from other programs: only names starting as a server's do are matched.
  if (program === undefined || !SERVER_INITIALS.includes(program[0]!)) return undefined;
  const m = WEB_PROGRAM.exec(program);
  if (!m) return undefined;
  return m[1] ? 'nginx' : m[2] ? 'apache' : 'lighttpd';
}

/** An access-log line starting at `start`, or undefined. */
export function parseAccessRecord(line: string, start = 0): { record: AccessRecord; stampStart: number } | undefined {
  const open = line.indexOf('] "', start);
  if (open < 0) return undefined;
  const stampOpen = line.lastIndexOf(' [', open);
  if (stampOpen <= start || !CLF_TIME.test(line.slice(stampOpen + 2, open))) return undefined;
  if (!isMonthAt(line, stampOpen + 5)) return undefined;
  const head = line.slice(start, stampOpen).split(' ');
  if (head.length < 3) return undefined;
  // client ident user, or vhost client ident user; a user name may hold spaces (Apache logs %u unescaped). When the
  // first two fields are both addresses either may be the client's own text: a Host header (nginx-proxy's
  // `$host $remote_addr`), an X-Forwarded-For (`$remote_addr $http_x_forwarded_for`), an identd's answer: the line
  // names no client then.
  const vhost = head.length >= 4 && addressFamily(head[1]!) !== 0;
  const client = !vhost ? head[0]! : addressFamily(head[0]!) !== 0 ? '-' : head[1]!;
  const user = head.slice(vhost ? 3 : 2).join(' ');
  const request = readQuoted(line, open + 2);
  if (!request) return undefined;
  let at = request.end;
  if (line[at] !== ' ') return undefined;
  const status = Number(line.slice(at + 1, at + 4));
  if (!isDigit(line.charCodeAt(at + 1)) || !(status >= 100 && status <= 999) || !/^[ \n]?$/.test(line[at + 4] ?? '')) {
    return undefined;
  }
  at += 4;
  const record: AccessRecord = { client, user, request: request.text, status };
  if (vhost) record.vhost = head[0]!;
  // The method is the first word and the protocol the last; a target may hold spaces (both servers log the raw line).
  const first = request.text.indexOf(' ');
  const method = request.text.slice(0, first);
  if (first > 0 && /^[A-Za-z_-]{1,32}$/.test(method)) {
    const last = request.text.lastIndexOf(' ');
    const protocol = request.text.slice(last + 1);
    record.method = method;
    if (last > first && /^HTTP\/\d(?:\.\d)?$/.test(protocol)) {
      record.target = request.text.slice(first + 1, last);
      record.protocol = protocol;
    } else record.target = request.text.slice(first + 1);
  }
  // The size, then the quoted referer and user agent of the combined format.
  const size = line.indexOf(' ', at + 1);
  if (size > 0 && line[size + 1] === '"') {
    const referer = readQuoted(line, size + 1);
    if (referer) {
      record.referer = referer.text;
      if (line[referer.end] === ' ' && line[referer.end + 1] === '"') {
        const agent = readQuoted(line, referer.end + 1);
        if (agent) {
          record.userAgent = agent.text;
          readExtraFields(line, agent.end, record);
        }
      }
    }
  }
  return { record, stampStart: stampOpen + 2 };
}

const MAX_EXTRA_FIELDS = 4;

/** The quoted fields after the user agent (X-Forwarded-For, a cookie, the host: headers a format logs). */
function readExtraFields(line: string, from: number, record: AccessRecord): void {
  let at = from;
  const extra: string[] = [];
  while (extra.length < MAX_EXTRA_FIELDS && line[at] === ' ' && line[at + 1] === '"') {
    const field = readQuoted(line, at + 1);
    if (!field) break;
    extra.push(field.text);
    at = field.end;
  }
  if (extra.length > 0) record.extra = extra;
}

/** The quoted field whose opening quote is at `at`, unescaped, and the index after its closing quote. */
function readQuoted(line: string, at: number): { text: string; end: number } | undefined {
  let i = at + 1;
  let escaped = false;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 92 /* \ */) {
      escaped = true;
      i++;
    } else if (c === 34 /* " */) break;
  }
  if (i >= line.length) return undefined;
  const raw = line.slice(at + 1, i);
  return { text: escaped ? unescapeLogItem(raw) : raw, end: i + 1 };
}

/** `\xHH` → the byte (as a Latin-1 character), `\"` → `"`, `\\` → `\`, `\t`/`\n`/`\r` → the control. */
export function unescapeLogItem(text: string): string {
  return text.replace(/\\(x[0-9A-Fa-f]{2}|.)/g, (_, e: string) => {
    if (e.length === 3) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (e === 'n') return '\n';
    if (e === 't') return '\t';
    if (e === 'r') return '\r';
    return e;
  });
}
