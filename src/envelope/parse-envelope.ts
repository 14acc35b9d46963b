// Splits a log line into its envelope (time, host, program, pid) and its message, once, whatever wrote it. Pure.
import { AUDIT_PROGRAMS, parseAuditRecord, readAuditMessage } from './audit.js';
import { type Envelope, newEnvelope } from './envelope.js';
import {
  isDigit,
  isoStampEnd,
  parseIsoSyslog,
  parseJournalFull,
  parseJournalMonotonic,
  parseJournalUnix,
  parseRfc3164,
  parseRfc5424,
  priEnd,
  syslogStampEnd,
} from './syslog.js';
import {
  parseAccessRecord,
  parseApacheError,
  parseLighttpdError,
  parseNginxError,
  readApacheFields,
  readNginxSyslogError,
  webServerOf,
} from './web-server-logs.js';

export function parseEnvelope(line: string): Envelope {
  const c = line.charCodeAt(0);
  const audit = c === 116 /* t */ || c === 110 /* n */ ? parseAuditRecord(line) : undefined;
  return audit ?? parseSyslogFamily(line) ?? parseWebServerLog(line) ?? parseApplicationLog(line);
}

const LEVEL =
  /^(?:\[[^\]]{1,64}\] {1,4}){0,2}\[?(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|CRIT|CRITICAL|ALERT|EMERG|FATAL|SEVERE)\]?:? {1,4}(?:-{1,2} {1,4})?/i;

// An application's own log line: `2026-11-23 10:15:01,123 WARN message` (log4j, Python logging, …). No program is
// known; the message starts after the time and the level.
function parseApplicationLog(line: string): Envelope {
  let end = isoStampEnd(line, 0, true);
  if (end < 0 || line[end] !== ' ') return newEnvelope('none', line);
  // `2026-11-23 10:15:01,25 UTC …`: the zone is part of the time (without it the time is local).
  if (/^ (?:UTC|GMT)(?= |$)/.test(line.slice(end, end + 5))) end += 4;
  const level = LEVEL.exec(line.slice(end + 1, end + 160));
  const at = end + 1 + (level ? level[0].length : 0);
  return newEnvelope('none', line.slice(at), { kind: 'iso', start: 0, end });
}

function parseSyslogFamily(line: string): Envelope | undefined {
  const pri = priEnd(line);
  const c = line.charCodeAt(pri);
  let env: Envelope | undefined;
  if (isDigit(c)) {
    if (pri > 0 && line[pri + 1] === ' ') env = parseRfc5424(line, pri);
    else if (pri > 0 && isDigit(line.charCodeAt(pri + 1)) && line[pri + 2] === ' ') env = parseRfc5424(line, pri);
    else if (line[pri + 4] === '-') env = parseIsoSyslog(line, pri);
    else if (line[pri + 10] === '.') env = parseJournalUnix(line, pri);
  } else if (c >= 65 && c <= 90) {
    env = syslogStampEnd(line, pri) > 0 ? parseRfc3164(line, pri) : parseJournalFull(line, pri);
  }
  if (!env) return undefined;
  if (env.program !== undefined && AUDIT_PROGRAMS.has(env.program)) readAuditMessage(env);
  const server = webServerOf(env.program);
  if (server) readWebServerMessage(env, server);
  return env;
}

// A web server logging through syslog (tagged nginx, apache2, httpd/site…) is named as its own logs are, and its
// access-log lines and error lines keep their own shape inside the message.
function readWebServerMessage(env: Envelope, server: string): void {
  env.program = server;
  const access = parseAccessRecord(env.message);
  if (access) {
    env.access = access.record;
    return;
  }
  if (server === 'nginx') readNginxSyslogError(env);
  // Apache's ErrorLog syslog: sends its message without the time: `[auth_basic:error] [pid 1] [client …] AH01617: …`.
  else if (server === 'apache' && env.message.startsWith('[')) readApacheFields(env, env.message, 0);
}

function parseWebServerLog(line: string): Envelope | undefined {
  const c = line.charCodeAt(0);
  if (c === 91 /* [ */) return parseApacheError(line) ?? parseJournalMonotonic(line);
  if (isDigit(c) && line[4] === '/') {
    const nginx = parseNginxError(line);
    if (nginx) return nginx;
  }
  if (isDigit(c) && line[4] === '-' && (line[19] === ':' || line[19] === '.')) {
    const lighttpd = parseLighttpdError(line);
    if (lighttpd) return lighttpd;
  }
  const access = parseAccessRecord(line);
  if (!access) return undefined;
  const env = newEnvelope('access', line, { kind: 'clf', start: access.stampStart, end: access.stampStart + 26 });
  env.program = 'access';
  env.access = access.record;
  return env;
}
