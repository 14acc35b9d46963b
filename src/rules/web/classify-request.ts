// Sorts one access-log request into attack categories, once per line for every web rule of a source: the target is
// decoded first, then each category's signatures are read on it (and on the header fields the server logged, for
// the attacks that travel in headers). Pure.
import type { AccessRecord } from '../../envelope/envelope.js';
import {
  AGENT_SQL,
  HEADER_INJECTION,
  NON_HTTP_REQUESTS,
  SCANNER_AGENT_NAMES,
  SCANNER_AGENTS,
} from './agent-signatures.js';
import { type DecodedTarget, decodeTarget, percentDecode } from './decode-request.js';
import { LOGIN_API_PATHS, LOGIN_PATHS } from './login-paths.js';
import {
  FILE_VIEW,
  INJECTION,
  LOG4SHELL,
  LONE_QUOTE,
  PROBE_ALWAYS,
  PROBE_ON_ERROR,
  PROBE_ON_NOT_FOUND,
  PROBE_TARGET,
  PROBE_WHEN_ABSENT,
  SHELLSHOCK,
  type Signature,
  TRAVERSAL,
  type WebCategory,
} from './web-signatures.js';

export interface RequestFindings {
  /** The request with its target decoded, for people to read. */
  request: string;
  /** The decoded path. */
  path: string;
  /** Each category the request falls in, with the signature that put it there. */
  categories: Map<WebCategory, string>;
}

/** A repository's file view names files (`bin/sh` in a root file system overlay): no shell path in its path. */
const INJECTION_IN_FILE_VIEW = INJECTION.filter((s) => s.name !== 'command: shell path');
/** What a WebDAV client's miss is still read for: all but the dotfiles a share asks for. */
const PROBE_ALWAYS_BUT_DOTFILES = PROBE_ALWAYS.filter((s) => s.name !== 'dotfile');
/** What a 401 with no user still counts as: an exposed panel (PROBE_ON_ERROR without the services that ask). */
const PROBE_ON_ERROR_UNLESS_CHALLENGED = PROBE_ON_ERROR.filter(
  (s) => !['webmail', 'infrastructure api', 'cgi-bin'].includes(s.name),
);
/**
 * Query parameters that carry what a person typed into a search box. Markup and file names found only there count as
 * a probe (a few from one address), not as an attack on their own: people search for `<script type="module">` and
 * `/etc/hosts`; a scanner trying a search box sends many. Not SQL, commands or exploits: an autocomplete's `term` or
 * a lookup's `query` may run them, and ThinkPHP's `s` is a route.
 */
const SEARCH_PARAMS = new Set([
  'q',
  's',
  'search',
  'query',
  'term',
  'keyword',
  'keywords',
  'k',
  'searchterm',
  'search_query',
]);
/** The signatures a search box's text may hold in ordinary use (see SEARCH_PARAMS). */
const SEARCHABLE = new Set([
  'xss: tag',
  'xss: call',
  'xss: event handler',
  'xss: javascript:',
  'xss: data uri',
  '/etc/passwd',
  'system file',
  'win.ini',
  'c:/windows',
  'system32',
  'web-inf',
  '/proc/self',
  'NUL byte',
]);
/** WebDAV's answers that only a WebDAV server gives: 207 Multi-Status to PROPFIND/PROPPATCH, 201 to MKCOL. */
const WEBDAV_ANSWERS: Readonly<Record<string, number>> = { PROPFIND: 207, PROPPATCH: 207, MKCOL: 201 };
/** WebDAV's methods that neither read nor write a file's content (listing, properties, locks, folders). */
const WEBDAV_METHODS = new Set(['PROPFIND', 'PROPPATCH', 'MKCOL', 'LOCK', 'UNLOCK']);
/**
 * The methods clients send: HTTP's, WebDAV's and its extensions' (CalDAV, DeltaV, Exchange's), caches' purges,
 * Outlook Anywhere's, HTTP/2's preface (`PRI`: an h2c client or health check at an HTTP/1 port), Icecast's `SOURCE`,
 * and a load balancer's PROXY protocol header sent to a server not told to read it (a misconfiguration, not a scan).
 * Anything else a server refused came from a tool trying it (a VPN scanner's `SSTP_DUPLEX_POST` at a server that is
 * no SSTP endpoint, `TRACK`, a fuzzer's lower case).
 */
const KNOWN_METHODS = new Set(
  (
    'GET HEAD POST PUT DELETE OPTIONS PATCH QUERY PROPFIND PROPPATCH MKCOL COPY MOVE LOCK UNLOCK SEARCH REPORT ' +
    'MKCALENDAR ACL BIND UNBIND REBIND ORDERPATCH MKREDIRECTREF UPDATEREDIRECTREF CHECKOUT CHECKIN UNCHECKOUT MERGE ' +
    'MKACTIVITY MKWORKSPACE VERSION-CONTROL BASELINE-CONTROL UPDATE LABEL SUBSCRIBE UNSUBSCRIBE NOTIFY POLL BMOVE ' +
    'BDELETE BPROPFIND BPROPPATCH BCOPY X-MS-ENUMATTS PURGE BAN REFRESH LINK UNLINK RPC_IN_DATA RPC_OUT_DATA PRI SOURCE PROXY'
  ).split(' '),
);
/** Browsers upper-case these six in fetch() and XHR; any other method goes out as the page wrote it (`patch`). */
const BROWSER_NORMALISED = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS']);

function isClientMethod(method: string): boolean {
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(method) || (KNOWN_METHODS.has(upper) && !BROWSER_NORMALISED.has(upper));
}

/** Header fields are read this far: an attacker sets their length. */
const MAX_FIELD = 8192;
// biome-ignore lint/suspicious/noControlCharactersInRegex: bytes no HTTP request line holds (a TLS hello, shellcode, Redis's CR LF).
const BINARY = /[\x00-\x08\x0a\x0d-\x1f\x7f-\xff]/;
/** Nested lookups undone at most this many times. */
const MAX_LOOKUP_PASSES = 8;

export function classifyRequest(access: AccessRecord): RequestFindings {
  const categories = new Map<WebCategory, string>();
  const target = decodeTarget(access.target ?? '');
  const lowerPath = target.path.toLowerCase().replace(/\\/g, '/');
  const headers = [
    access.userAgent,
    access.referer,
    access.user === '-' ? undefined : access.user,
    ...(access.extra ?? []),
  ]
    .filter((v): v is string => v !== undefined && v !== '-' && v !== '')
    .map((v) => (v.length > MAX_FIELD ? v.slice(0, MAX_FIELD) : v).toLowerCase());
  const method = access.method;
  const status = access.status;

  const userAgent = (access.userAgent ?? '').slice(0, MAX_FIELD);
  const agent = SCANNER_AGENTS.exec(userAgent) ?? SCANNER_AGENT_NAMES.exec(userAgent);
  if (agent) categories.set('scanner', `user agent ${(agent[2] ?? agent[1])!.toLowerCase()}`);
  else if (/w00tw00t/i.test(access.request)) categories.set('scanner', 'w00tw00t');
  else if (method === 'CONNECT' || /^[a-z][a-z0-9+.-]{1,15}:\/\//i.test(access.target ?? '')) {
    categories.set('scanner', 'proxy probe');
  } else if (method === undefined && BINARY.test(access.request)) {
    categories.set('scanner', 'binary request line');
  } else if (NON_HTTP_REQUESTS.test(access.request)) {
    categories.set('scanner', 'another protocol');
  } else if (method !== undefined && status >= 400 && !isClientMethod(method)) {
    categories.set('scanner', `method ${method.slice(0, 32)}`);
  } else if (status === 400 && (access.request === '' || access.request === '-')) {
    // Bytes but no request line, refused: a scanner's. A connection that sends nothing is not logged by nginx
    // (ngx_http_wait_request_handler) and is Apache's 408 (a browser's unused preconnection), never this.
    categories.set('scanner', 'empty request');
  }

  let traversal = firstMatch(TRAVERSAL, target.text);

  const namedUser = access.user !== undefined && access.user !== '-' && access.user !== '';
  // A WebDAV client (a sync tool, a mounted share) listing its owner's files: `.git`, `.htaccess`, an editor's swap
  // file are files there — when the server answered as only a WebDAV server does. Asking for a dotfile it does not
  // have (404) is no probe either; anything else is still read (PHP-FPM runs a script for LOCK too). Not a PUT, COPY
  // or MOVE: the server logs whatever user a client claims, even where it asks for none, and a claimed user must not
  // hide a `.htaccess` written to an open share (a backup tool's writes are for `ignore:` by its address).
  const webdav = method !== undefined && WEBDAV_METHODS.has(method) && namedUser;
  const fileView = FILE_VIEW.test(lowerPath) || (webdav && WEBDAV_ANSWERS[method!] === status);
  const webdavMiss = webdav && status === 404;
  let targetInjection = injectionIn(target.text, fileView);
  // Found only in what was typed into a search box: a probe (below).
  let searched: string | undefined;
  const searchable = SEARCHABLE.has(traversal ?? '') || SEARCHABLE.has(targetInjection ?? '');
  const bare = searchable ? withoutSearchText(access.target ?? '', lowerPath) : undefined;
  if (bare && traversal && SEARCHABLE.has(traversal) && !firstMatch(TRAVERSAL, bare.text)) {
    searched = traversal;
    traversal = undefined;
  }
  if (bare && targetInjection && SEARCHABLE.has(targetInjection) && !injectionIn(bare.text, fileView)) {
    searched ??= targetInjection;
    targetInjection = undefined;
  }
  if (traversal) categories.set('traversal', traversal);
  const injection =
    targetInjection ??
    (headers.some((h) => HEADER_INJECTION.test(h)) || AGENT_SQL.test(userAgent)
      ? 'injection in a header'
      : undefined) ??
    ([target.text, ...headers].some((t) => LOG4SHELL.re.test(undoLookups(t))) ? LOG4SHELL.name : undefined) ??
    ([target.text, ...headers].some((t) => SHELLSHOCK.re.test(t)) ? SHELLSHOCK.name : undefined) ??
    // ThinkPHP 5.0's RCE posts its payload (unlogged) to the captcha route; a real captcha is fetched with GET.
    (method === 'POST' && /(?:^|&)s=\/?captcha(?:&|$)/i.test(target.query) ? 'thinkphp' : undefined);
  if (injection) categories.set('injection', injection);

  // 416 is a download resumed past its end, 499 a client that stopped waiting, 502–504 an application down or slow
  // behind the server: none says the path is missing (a probe during an outage goes uncounted).
  const refused = status >= 400 && status !== 416 && status !== 499 && (status < 502 || status > 504);
  // A 401 that named no user is a service there asking who it is (its owner's first request, an expired session):
  // webmail, infrastructure APIs and CGIs count it only with a user (a refused guess). An admin panel or a Java console
  // answering one is still a probe: it shows the panel is exposed.
  const challenged = status === 401 && !namedUser;
  const probe =
    (fileView ? undefined : firstMatch(webdavMiss ? PROBE_ALWAYS_BUT_DOTFILES : PROBE_ALWAYS, lowerPath)) ??
    firstMatch(PROBE_TARGET, target.text) ??
    (refused && !fileView
      ? firstMatch(challenged ? PROBE_ON_ERROR_UNLESS_CHALLENGED : PROBE_ON_ERROR, lowerPath)
      : undefined) ??
    (refused && !fileView && status !== 413 ? firstMatch(PROBE_ON_NOT_FOUND, lowerPath) : undefined) ??
    ((status === 404 || status === 410) && !fileView ? firstMatch(PROBE_WHEN_ABSENT, lowerPath) : undefined) ??
    // Tomcat's PUT of a JSP (CVE-2017-12615: `PUT /x.jsp/`); no site takes its pages by PUT.
    (method === 'PUT' && /\.jspx?\/?$/.test(lowerPath) ? 'jsp upload' : undefined) ??
    (status >= 500 && LONE_QUOTE.test(target.text) ? 'sql: quote probe' : undefined) ??
    (searched ? `search: ${searched}` : undefined);
  if (probe) categories.set('probe', probe);

  // A login form that succeeds redirects (WordPress answers a failed one with the form again, 200); a login API
  // answers a success with 2xx and a failure with 4xx.
  const loginPath = method === 'POST' ? lowerPath.replace(/\/{2,}/g, '/') : '';
  const lowerQuery = target.query.toLowerCase();
  const login = isLoginForm(loginPath, lowerQuery)
    ? 'form'
    : LOGIN_API_PATHS.test(loginPath) || isRoundcubeLogin(loginPath, lowerQuery)
      ? 'api'
      : undefined;
  const loginOk = login === 'form' ? status >= 300 && status < 400 : status >= 200 && status < 300;
  if (login && !loginOk && (login === 'form' || status >= 400)) categories.set('login', `POST ${loginPath}`);
  // A refused credential: the request named a user (the server logs the one it was sent, let in or not). A 401 with
  // none is a challenge — a browser's first request to a protected page, an app asking whether its visitor is
  // signed in — and is every site's ordinary traffic.
  if (status === 401 && namedUser) categories.set('basic-auth', '401');
  // Successes, for the detectors (a login after failures): a login form answered with its redirect, and a request
  // the server let in as a basic-auth user (its %u / $remote_user).
  if (login && loginOk) categories.set('login-ok', `POST ${loginPath}`);
  if (access.user && access.user !== '-' && status >= 200 && status < 400) categories.set('basic-auth-ok', access.user);

  const shown = target.query ? `${target.path}?${target.query}` : target.path;
  const request = method ? `${method} ${shown}${access.protocol ? ` ${access.protocol}` : ''}` : access.request;
  return { request, path: target.path, categories };
}

/**
 * A POST to a login form, whatever its query says (the application reads the body: a query an attacker adds must not
 * hide a brute force); OpenCart's form is named by its query.
 */
/**
 * Roundcube's login, wherever it is installed (`/`, `/webmail/`): a failure is answered 401 (#7010), so it counts as
 * an API's does; a 200 is its two-factor plugin's next step after a right password.
 */
function isRoundcubeLogin(path: string, query: string): boolean {
  return /\/(?:index\.php)?$/.test(path) && /(?:^|&)_task=login(?:&|$)/.test(query);
}

function isLoginForm(path: string, query: string): boolean {
  if (path === '') return false;
  if (LOGIN_PATHS.test(path)) return true;
  return path.endsWith('/index.php') && /(?:^|&)route=(?:account|common)\/login(?:&|$)/.test(query);
}

/**
 * The target without its search parameters, decoded as targets are; undefined when it has none, or is a GraphQL
 * endpoint (`path`, decoded and lower case: its `query` is code).
 */
function withoutSearchText(raw: string, path: string): DecodedTarget | undefined {
  const q = raw.indexOf('?');
  if (q < 0 || /graphql\/?$/.test(path)) return undefined;
  // `;` separates parameters too for some (Rails before Rack 3, Perl's CGI.pm): splitting there only keeps more text.
  const params = raw.slice(q + 1).split(/[&;]/);
  // The name as the application reads it (`%71=` is `q=`).
  const kept = params.filter((p) => !SEARCH_PARAMS.has(percentDecode(p.split('=', 1)[0]!).toLowerCase()));
  return kept.length === params.length ? undefined : decodeTarget(`${raw.slice(0, q)}?${kept.join('&')}`);
}

/** The injection in a decoded target; in a file view's path, a file's name is no shell path (its query still is). */
function injectionIn(text: string, fileView: boolean): string | undefined {
  if (!fileView) return firstMatch(INJECTION, text);
  const q = text.indexOf('?');
  if (q < 0) return firstMatch(INJECTION_IN_FILE_VIEW, text);
  return firstMatch(INJECTION_IN_FILE_VIEW, text.slice(0, q)) ?? firstMatch(INJECTION, text.slice(q));
}

function firstMatch(signatures: readonly Signature[], text: string): string | undefined {
  if (text === '') return undefined;
  for (const s of signatures) if (s.re.test(text)) return s.name;
  return undefined;
}

// Log4j lookups that spell out other text: ${lower:j}, ${upper:J}, ${::-j}, ${env:NOPE:-j}, ${date:'j'}.
const LOOKUPS = /\$\{(?:(?:lower|upper):([^${}]{0,64})|[^${}]{0,64}:-([^${}]{0,64})|date:'([^'${}]{0,64})')\}/g;

/** The text with Log4j's spelling lookups replaced by what they spell, innermost first. */
export function undoLookups(text: string): string {
  if (!text.includes('${')) return text;
  let current = text;
  for (let i = 0; i < MAX_LOOKUP_PASSES; i++) {
    // Java upper-cases the dotless ı to I: `${upper:ı}` spells the i of jndi (nginx logs its bytes as `\xC4\xB1`,
    // read here as the two characters "Ä±", lower-cased "ä±").
    const next = current.replace(LOOKUPS, (_, a?: string, b?: string, c?: string) =>
      (a ?? b ?? c ?? '').replace(/ı|ä±|Ä±/g, 'i'),
    );
    if (next === current) break;
    current = next;
  }
  return current;
}

/** A climb the server resolved under its root: the file it was after, at the end of the path. */
const RESOLVED_TRAVERSAL = /\/etc\/(?:passwd|shadow|group|hosts)$|\/proc\/self\/|\/(?:win|system|boot)\.ini$/;

/** A script a request asked for: missing, it is what scanners look for (fail2ban's apache-noscript). */
const SCRIPT = /\.(?:php[345]?|phtml|asp|aspx|jsp|cgi|pl|exe|dll|sh|py)$|\/cgi-bin\/|\/php(?:[45]|[.-]cgi)?$/;

/**
 * Whether a path a server could not serve (from its error log) is one scanners look for: also a traversal the server
 * resolved under its root (`/var/www/html/etc/passwd`).
 */
export function isProbePath(path: string): boolean {
  const lower = path.toLowerCase().replace(/\\/g, '/');
  return (
    firstMatch(PROBE_ALWAYS, lower) !== undefined ||
    RESOLVED_TRAVERSAL.test(lower) ||
    firstMatch(PROBE_ON_ERROR, lower) !== undefined ||
    firstMatch(PROBE_WHEN_ABSENT, lower) !== undefined ||
    SCRIPT.test(lower)
  );
}
