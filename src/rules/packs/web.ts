// Web servers: one access-log classifier (see ../web/) whose categories are rules of their own, each with its
// threshold and the server's error-log lines of the same kind, plus each server's basic-auth failures. In error logs
// the address is the client the server wrote (Apache's `[client …]` before the message; nginx's `, client: ` after
// it, taken only when every occurrence on the line agrees — or, for basic auth, the first after a user name, which
// cannot hold the `:` that text needs), never one inside the request or a user name.
import type { WebCategory } from '../web/web-signatures.js';
import { IP, type MessagePackRule, type MessagePattern, MINUTE, type PackRule, type WebPackRule } from './pack.js';

/** The envelope names web servers' syslog tags (apache2, httpd/site, openresty…) as their own logs are named. */
const APACHE = ['apache'];
const NGINX = ['nginx'];
type Server = 'nginx' | 'apache';

// The server writes the client's address outside the message (Apache before it, nginx in its context after it).
const onClient = (re: string, from: string, extra: Partial<MessagePattern> = {}): MessagePattern => ({
  re,
  from,
  ipFromClient: true,
  ...extra,
});

/**
 * nginx's log handler writes ` while <action>` (its own words) and `, client: X, server: ` right after the message:
 * where the message is nginx's fixed text, the first client after it is the real one, whatever a path, referrer or
 * request later on the line says.
 */
const atNginxClient = (re: string, from: string, extra: Partial<MessagePattern> = {}): MessagePattern => ({
  re: `${re}(?: while [a-z ]{1,64})?, client: (?<ip>${IP}), server: `,
  from: `${from}, then ngx_http_log_error(): " while %s", ", client: %V, server: %V"`,
  ...extra,
});

/** Each category's lines in a server's error log, beside the access-log classifier. */
const ERRORS: Record<Server, Partial<Record<WebCategory, MessagePattern[]>>> = {
  apache: {
    probe: [
      onClient(
        '(?:AH00128: )?File does not exist: (?<path>.{1,4096}?)(?:, referer: .{0,4096})?$',
        'httpd server/core.c / modules/http: "AH00128: File does not exist: %s" (info in 2.4, error in 2.2), when the path is a known probe',
        { check: 'probe-path', detail: 'file does not exist' },
      ),
      onClient(
        '(?:AH0(?:1264|2811): )?(?:stderr from \\S{1,4096}: )?script not found or unable to stat(?:: (?<path>\\S{1,4096}))?',
        'httpd modules/generators/mod_cgi(d).c: "AH01264: script not found or unable to stat: %s" (2.4.60+: "stderr from %s: …")',
        { detail: 'script not found' },
      ),
      onClient(
        "script '(?<path>[^']{1,4096})' not found or unable to stat",
        'httpd 2.2 modules/generators/mod_cgi.c: "script \'%s\' not found or unable to stat"',
        { detail: 'script not found' },
      ),
      onClient(
        "(?:AH01071: )?Got error 'Primary script unknown",
        'httpd modules/proxy/mod_proxy_fcgi.c: "AH01071: Got error \'%s\'" with PHP-FPM\'s "Primary script unknown"',
        { detail: 'primary script unknown' },
      ),
    ],
    traversal: [
      onClient(
        '(?:AH10244: )?invalid URI path \\(',
        'httpd server/request.c ap_process_request_internal(): "AH10244: invalid URI path (%s)" (2.4.49+: a path that climbs above the root, refused with 400)',
        { detail: 'invalid URI path' },
      ),
      onClient(
        '(?:AH00127: )?Cannot map [A-Z]{1,16} (?=[^ ]{0,8192}?(?:\\.\\.|%2[Ee]))',
        'httpd server/core.c core_translate(): "AH00127: Cannot map %s to file" with r->the_request, after "(20023)The given path was above the root path: " (a request line climbing with .. or %2e)',
        { detail: 'cannot map' },
      ),
    ],
    injection: [
      onClient(
        '(?:AH01215: )?(?:stderr from \\S{1,4096}: )?/bin/(?:ba|da)?sh: (?:warning: HTTP_[^:]{1,256}: ignoring function definition attempt|error importing function definition for `HTTP_)',
        'httpd modules/generators/mod_cgi.c: "AH01215: %s" relaying bash\'s "warning: HTTP_X: ignoring function definition attempt" (Shellshock)',
        { detail: 'shellshock' },
      ),
    ],
    scanner: [
      onClient(
        '(?:AH001(?:2[3456]|3[56]): )?Invalid (?:method|URI) in request',
        'httpd server/protocol.c read_request_line(): "AH00126: Invalid URI in request %s", "Invalid method in request %s"',
        { detail: 'malformed request' },
      ),
      onClient(
        '(?:AH0056[56]: )?request failed: (?:URI too long|erroneous characters after protocol string|invalid characters in URI)',
        'httpd server/protocol.c: "AH00565: request failed: URI too long (longer than %d)", "AH00566: request failed: invalid characters in URI"',
        { detail: 'malformed request' },
      ),
      onClient(
        '(?:AH00561: )?Request header exceeds LimitRequestFieldSize',
        'httpd server/protocol.c: "AH00561: Request header exceeds LimitRequestFieldSize%s%.*s"',
        { detail: 'oversized header' },
      ),
    ],
    waf: [
      onClient(
        'ModSecurity: .{0,4096}?Access denied with (?:code [45]\\d\\d|connection close)',
        'ModSecurity apache2/apache2_util.c: "ModSecurity: %s%s [uri \\"%s\\"]%s" with "Access denied with code %d (phase %d)"',
        { detail: 'ModSecurity' },
      ),
    ],
  },
  nginx: {
    probe: [
      // The path is the decoded URI, which may hold `" failed (2: …), client: X, server: ` itself (%22): the client only
      // when every one on the line agrees.
      onClient(
        '(?:open\\(\\) |stat\\(\\) )?"(?<path>[^"]{1,4096})" (?:failed|is not found) \\(2: No such file or directory\\)',
        'nginx src/http/modules/ngx_http_static_module.c / ngx_http_index_module.c: "%s \\"%s\\" failed" / "\\"%s\\" is not found" with "(2: No such file or directory)", when the path is a known probe',
        { check: 'probe-path', detail: 'file not found' },
      ),
      // A deny rule's refusal (`location ~ /\\. { deny all; }`): the request line follows the client; its path is read.
      onClient(
        'access forbidden by rule(?: while [a-z ]{1,64})?, client: [^,]{1,64}, server: [^,]{0,256}, request: "[A-Za-z]{1,16} (?<path>[^ "?]{1,4096})',
        'nginx src/http/modules/ngx_http_access_module.c: "access forbidden by rule", then ", client: %V, server: %V, request: \\"%V\\"", when the path is a known probe',
        { check: 'probe-path', detail: 'access forbidden' },
      ),
      atNginxClient(
        'FastCGI sent in stderr: "Primary script unknown"',
        'nginx src/http/modules/ngx_http_fastcgi_module.c: "FastCGI sent in stderr: \\"%*s\\"" with PHP-FPM\'s "Primary script unknown"',
        { detail: 'primary script unknown' },
      ),
    ],
    flood: [
      atNginxClient(
        'limiting (?:requests, excess: [\\d.]{1,32} by zone "[^"]{0,256}"|connections by zone "[^"]{0,256}")',
        'nginx src/http/modules/ngx_http_limit_req_module.c: "limiting requests, excess: %ui.%03ui by zone \\"%V\\""; ngx_http_limit_conn_module.c: "limiting connections by zone \\"%V\\""',
        { detail: 'limit_req' },
      ),
    ],
    scanner: [
      atNginxClient(
        'client sent (?:invalid (?:method|request|host header|request line)|too long URI|plain HTTP request to HTTPS port)',
        'nginx src/http/ngx_http_request.c: "client sent invalid method", "client sent invalid request", "client sent too long URI" … (info level)',
        { detail: 'malformed request' },
      ),
      onClient(
        'client sent (?:invalid header line|too long header line): ',
        'nginx src/http/ngx_http_request.c: "client sent invalid header line: \\"%*s\\\\x%02xd...\\"", "client sent too long header line: \\"%*s...\\"" (the header\'s own text follows: the client only when every ", client: " on the line agrees)',
        { detail: 'malformed request' },
      ),
      atNginxClient(
        'SSL_do_handshake\\(\\) failed \\(SSL: error:\\S{1,128}(?: \\S{1,64}){1,3} too (?:long|short)\\)',
        'nginx src/event/ngx_event_openssl.c ngx_ssl_handshake(): "SSL_do_handshake() failed" with OpenSSL\'s "… too long/short" (crit)',
        { detail: 'bad TLS handshake' },
      ),
    ],
    waf: [
      {
        re: '\\[client (?<ip>[0-9A-Fa-f:.]{2,45})\\] ModSecurity: .{0,4096}?Access denied with (?:code [45]\\d\\d|connection close)',
        from: 'libmodsecurity src/rule_message.cc RuleMessage::log(): "[client " + client + "] " then "ModSecurity: Access denied with code %d (phase %d). " (the client before any request text)',
        detail: 'ModSecurity',
      },
      onClient(
        'ModSecurity: .{0,4096}?Access denied with (?:code [45]\\d\\d|connection close)',
        'ModSecurity-nginx: "ModSecurity: Access denied with code %d (phase %d)" (matched request text follows: the client only when every ", client: " on the line agrees)',
        { detail: 'ModSecurity' },
      ),
    ],
  },
};

const web = (
  category: WebCategory,
  suffix: string,
  severity: PackRule['severity'],
  count: number,
  title: string,
  server?: Server,
): WebPackRule => {
  const patterns = server ? ERRORS[server][category] : undefined;
  return {
    kind: 'web',
    suffix,
    category,
    severity,
    threshold: { count, within: 10 * MINUTE, by: ['ip'] },
    title,
    // Failed logins are failures to authenticate; the other categories are attacks on the application.
    event: category === 'login' || category === 'basic-auth' ? 'auth.failure' : 'web.attack',
    ...(patterns ? { errors: { programs: server === 'apache' ? APACHE : NGINX, patterns } } : {}),
  };
};

/** The access-log classifier's categories, each a rule of its own, with the server's error-log lines of each. */
export const webRules = (server?: Server): WebPackRule[] => [
  web('traversal', 'traversal', 'high', 1, 'Path traversal or file inclusion from {ip}: {detail}', server),
  web('injection', 'injection', 'high', 1, 'Injection attempt from {ip}: {detail}', server),
  web('probe', 'probe', 'medium', 3, 'Probing for sensitive files from {ip}', server),
  web('scanner', 'scanner', 'medium', 3, 'Web scanner at work from {ip}: {detail}', server),
  web('login', 'login', 'medium', 10, 'Login brute force from {ip}', server),
  web('basic-auth', 'auth-401', 'medium', 10, 'Authentication failures (401) from {ip}', server),
  web('waf', 'waf', 'high', 3, 'Requests blocked by the firewall from {ip}', server),
  web('flood', 'flood', 'medium', 10, 'Request flood from {ip} (rate limited)', server),
  // Successes open nothing: success-after-failures weighs them against the failures before.
  { ...web('login-ok', 'login-ok', 'info', 1, 'Login from {ip}'), event: 'auth.success', quiet: true },
  // Apache's %u is the user its auth modules let in; nginx's $remote_user is whatever a request's Authorization header
  // names, let in or not, so a client could claim a success there: only the apache pack reads one.
  ...(server === 'apache'
    ? [
        {
          ...web('basic-auth-ok', 'auth-ok', 'info', 1, '{user} authenticated from {ip}'),
          event: 'auth.success' as const,
          quiet: true as const,
        },
      ]
    : []),
];

const nginxAuth: MessagePackRule = {
  kind: 'message',
  suffix: 'auth',
  programs: ['nginx'],
  patterns: [
    {
      re: `user "(?<user>[^:]{0,256}?)"(?:: password mismatch| was not found in "[^"]{0,4096}"), client: (?<ip>${IP}), server: `,
      from: 'nginx src/http/modules/ngx_http_auth_basic_module.c: "user \\"%V\\": password mismatch", "user \\"%V\\" was not found in \\"%s\\"" (0.7.38+), then ngx_http_log_error_handler(): ", client: %V, server: %V"',
    },
  ],
  fields: { ip: 'ip', user: 'text' },
  severity: 'medium',
  threshold: { count: 5, within: 10 * MINUTE, by: ['ip'] },
  title: 'Basic-auth failures from {ip}',
  event: 'auth.failure',
};

// Apache writes the message after the client's address, so every pattern takes the address from there.
const apache = (re: string, from: string) => ({ re, from, ipFromClient: true as const });

const apacheAuth: MessagePackRule = {
  kind: 'message',
  suffix: 'auth',
  programs: APACHE,
  patterns: [
    apache(
      '(?:AH01617: )?user (?<user>.{0,256}?): authentication failure for ".{0,8192}": Password Mismatch',
      'httpd modules/aaa/mod_auth_basic.c authenticate_basic_user(): "AH01617: user %s: authentication failure for \\"%s\\": Password Mismatch" (2.4.0+; 2.2 without the code)',
    ),
    apache(
      '(?:AH01618: )?user (?<user>.{0,256}?) not found(?:: |$)',
      'httpd modules/aaa/mod_auth_basic.c: "AH01618: user %s not found: %s" (2.4.0+; 2.2 without the code)',
    ),
    apache(
      '(?:AH0161[4]: |AH01781: |Digest: )?client used wrong authentication scheme',
      'httpd mod_auth_basic.c "AH01614: client used wrong authentication scheme: %s"; mod_auth_digest.c "AH01781: client used wrong authentication scheme `%s\': %s"',
    ),
    apache(
      "(?:AH0179[01]: |Digest: )user `(?<user>.{0,256}?)' in realm `.{0,256}?' (?:not found|denied by provider): ",
      'httpd modules/aaa/mod_auth_digest.c: "AH01790: user `%s\' in realm `%s\' not found: %s", "AH01791: … denied by provider: %s" (2.2: "Digest: …")',
    ),
    apache(
      '(?:AH0179[24]: |Digest: )user (?<user>.{0,256}?): password mismatch: ',
      'httpd modules/aaa/mod_auth_digest.c: "AH01792/AH01794: user %s: password mismatch: %s" (2.2: "Digest: …")',
    ),
    apache(
      '(?:AH01788: |Digest: )realm mismatch - got `',
      'httpd modules/aaa/mod_auth_digest.c: "AH01788: realm mismatch - got `%s\' but expected `%s\'"',
    ),
    apache(
      '(?:AH01695: |\\[\\d{1,10}\\] )?auth_ldap authenticate: user (?<user>.{0,256}?) authentication fail(?:ed|ure); URI ',
      'httpd modules/aaa/mod_authnz_ldap.c: "AH01695: auth_ldap authenticate: user %s authentication failed; URI %s [%s][%s]" (2.4, info); 2.2: "[%d] auth_ldap authenticate: user %s authentication failed; …"',
    ),
    apache(
      '(?:AH01631: )?user (?<user>.{0,256}?): authorization failure for "',
      'httpd modules/aaa/mod_authz_core.c: "AH01631: user %s: authorization failure for \\"%s\\": " (2.4)',
    ),
    apache(
      '(?:AH0\\d{4}: )?Authorization of user (?<user>.{0,256}?) to access .{0,8192}? failed\\b',
      'httpd modules/aaa/mod_authz_owner.c, mod_authz_groupfile.c, mod_authz_dbm.c: "AH01637: Authorization of user %s to access %s failed, reason: …" (2.2 without the code)',
    ),
    apache(
      '(?:AH0(?:1777|1793|1789): |Digest: )?(?:invalid nonce .{0,256}? received - (?:length is not|user attempted time travel|invalid timestamp)|invalid qop `|unknown algorithm `)',
      'httpd modules/aaa/mod_auth_digest.c: "AH01777: invalid nonce %s received - user attempted time travel", "invalid qop `%s\' received: %s", "unknown algorithm `%s\' received: %s"',
    ),
    apache(
      '(?:AH0203[123]: )?(?:Hostname \\S{1,256} provided via SNI(?:, but no hostname provided| and hostname \\S{1,256} provided)|No hostname was provided via SNI for a name based virtual host)',
      'httpd modules/ssl/ssl_engine_kernel.c: "AH02031: Hostname %s provided via SNI, but no hostname provided in HTTP request", AH02032, AH02033',
    ),
    apache(
      '(?:AH01630: |AH01797: )?client denied by server configuration: ',
      'httpd mod_authz_core.c "AH01630: client denied by server configuration: %s%s", mod_access_compat.c AH01797; 2.2 mod_authz_host.c',
    ),
  ],
  fields: { ip: 'ip', user: 'text' },
  severity: 'medium',
  threshold: { count: 5, within: 10 * MINUTE, by: ['ip'] },
  title: 'Basic-auth failures from {ip}',
  event: 'auth.failure',
};

// lighttpd's log.c puts `(source.c.line) ` before every message (one lighttpd build wrote it without the `(`); the
// address is the last thing on the line, after the path and user a client chose.
const LIGHTTPD_SOURCE = '\\(?(?:http_auth|mod_auth|mod_authn_gssapi)\\.c\\.\\d{1,6}\\) ';
const LIGHTTPD_IP = `,? IP: (?<ip>${IP})\\s{0,4}$`;

const lighttpdAuth: MessagePackRule = {
  kind: 'message',
  suffix: 'auth',
  programs: ['lighttpd'],
  patterns: [
    {
      re: `${LIGHTTPD_SOURCE}password doesn't match for .{0,8192}? username: ?(?<user>.{0,256}?)${LIGHTTPD_IP}`,
      from: 'lighttpd1.4 src/mod_auth.c mod_auth_check_basic(): "password doesn\'t match for %s username: %s IP: %s" (1.4.56+; mod_authn_gssapi.c the same); 1.4.x before: log_error_write("sbsBsB", "password doesn\'t match for", uri, "username:", user, ", IP:", addr) (http_auth.c until 1.4.41)',
    },
    {
      re: `${LIGHTTPD_SOURCE}digest: auth failed for {1,2}(?<user>.{0,256}?) ?: wrong password${LIGHTTPD_IP}`,
      from: 'lighttpd1.4 src/mod_auth.c mod_auth_check_digest(): "digest: auth failed for %.*s: wrong password, IP: %s"; before 1.4.56 "digest: auth failed for ", user, ": wrong password, IP:" (spaces around the user)',
    },
    {
      re: `${LIGHTTPD_SOURCE}digest: auth failed: uri mismatch \\(.{0,16384}\\)${LIGHTTPD_IP}`,
      from: 'lighttpd1.4 src/mod_auth.c: "digest: auth failed: uri mismatch (%s != %s), IP: %s" (1.4.56+; the same words through log_error_write before, in http_auth.c until 1.4.41)',
    },
    {
      re: `${LIGHTTPD_SOURCE}get_password failed${LIGHTTPD_IP}`,
      from: 'lighttpd1.4 src/http_auth.c (until 1.4.41): log_error_write("ss", "get_password failed, IP:", addr) — a user the backend does not know',
    },
  ],
  fields: { ip: 'ip', user: 'text' },
  severity: 'medium',
  threshold: { count: 5, within: 10 * MINUTE, by: ['ip'] },
  title: 'Basic-auth failures from {ip}',
  event: 'auth.failure',
};

export const nginxPack: PackRule[] = [nginxAuth, ...webRules('nginx')];
/** lighttpd's access log is the combined format (with the virtual host second); its error log adds auth failures. */
export const lighttpdPack: PackRule[] = [lighttpdAuth, ...webRules()];
export const apachePack: PackRule[] = [apacheAuth, ...webRules('apache')];
export const webPack: PackRule[] = webRules();
