// What attacks look like in an access log, by category, each signature with a name the incident shows. They are read
// on the decoded target (see decode-request.ts: lower case, decoded twice, `\` as `/`) or on the header fields the
// server logged. Every pattern is linear: bounded repeats, no nested quantifiers, so 8 KiB of hostile target costs
// microseconds. Pure.

export const WEB_CATEGORIES = [
  'basic-auth',
  'login',
  'probe',
  'traversal',
  'injection',
  'scanner',
  'waf',
  'flood',
  'login-ok',
  'basic-auth-ok',
] as const;
export type WebCategory = (typeof WEB_CATEGORIES)[number];

export interface Signature {
  name: string;
  re: RegExp;
}

const sig = (name: string, re: RegExp): Signature => ({ name, re });

/** Path traversal, local and remote file inclusion, stream wrappers, SSRF to cloud metadata. On the decoded target. */
export const TRAVERSAL: readonly Signature[] = [
  // In the path a single `..` is enough (browsers resolve them before sending); in the query a value holds a relative
  // path now and then (`src=../uploads/a.jpg`), a climb out takes two.
  sig('../', /^[^?]*\/\.{2,3}(?:[/;?\0]|$)|[/=;:?&,"'(]\.{2,3}[/;]\.{2,3}(?:[/;?\0]|$)/),
  sig('..;/', /\.\.;|^[^?]*\/\.;\//),
  sig('....//', /\.{4}\/{1,2}/),
  sig('/etc/passwd', /(?:^|[/=:])etc\/(?:passwd|shadow|group|sudoers|crontab|master\.passwd)\b/),
  // Files a search may name too ("how to edit /etc/hosts"): only as a parameter's whole value.
  sig(
    'system file',
    /=\/(?:etc\/(?:hosts|issue|hostname)|proc\/(?:version|cpuinfo|meminfo)|var\/log\/[\w./-]{1,64}\.log)(?:&|$)/,
  ),
  // WordPress's config, climbed to or named whole (plugin downloaders: `img=../wp-config.php`).
  sig('wp-config', /\.\.\/(?:[^&]{0,64}\/)?wp-config\.php|=\/[^&\s=]{0,128}\/wp-config\.php/),
  // A value that is only a climb (`lang=../`, `platform=..`): Cisco ASA's and others' traversals.
  sig('../', /=\.\.\/?(?:&|$)/),
  sig('/proc/self', /\/proc\/(?:self|\d{1,7})\/(?:environ|cmdline|fd|maps|status|mem|root)/),
  sig('win.ini', /\b(?:win|system|boot)\.ini\b/),
  sig('c:/windows', /\b[a-z]:\/(?:windows|winnt|inetpub|boot\.ini)\b/),
  sig('system32', /\/windows\/system32\//),
  sig('web-inf', /\bweb-inf\/(?:web|classes|lib)/),
  sig('wrapper://', /\b(?:php|file|expect|phar|zip|glob|data|gopher|dict|jar|zlib|compress\.zlib|ldap|tftp):\/\//),
  sig('php://', /\bphp:\/\/(?:input|filter|stdin|fd|memory)/),
  // The URL stops at the next "=": searches started at each "=http://" never overlap, so "=http://=http://…" is linear.
  // A file's URL cut by "?" (`=http://x/shell.txt?`), not a return address that ends in one (`=https://x/search?`);
  // any path cut so on a bare public IPv4 host (`=http://192.0.2.9/x?`), where no site sends its visitors back (an
  // intranet's return address may be a private one); any URL cut by two (`=http://x/media/component/??`): no address
  // a site sends its visitors back to ends so.
  sig(
    'remote include',
    /=\s*(?:https?|ftp):\/\/(?:(?:[^\s&=]{1,2048}\.[a-z0-9]{1,5}|(?!10\.|127\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.)\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\/[^\s&=?]{0,2048})(?:\?{1,8}|\0)|[^\s&=?]{1,2048}\?{2,8})(?:&|$)/,
  ),
  sig(
    'cloud metadata',
    /\b169\.254\.169\.254\b|\bmetadata\.google\.internal\b|\[(?:fd00:ec2::254|::ffff:a9fe:a9fe)\]|\b100\.100\.100\.200\b|:\/\/(?:2852039166|0xa9fea9fe)\b/,
  ),
  // Exchange ProxyShell's SSRF through autodiscover.
  sig('exchange ssrf', /autodiscover\.json\?@|\/mapi\/nspi\/?\?.{0,64}autodiscover/),
  sig('NUL byte', /\0/),
];

/** SQL, script, command and template injection, expression-language exploits. On the decoded target. */
export const INJECTION: readonly Signature[] = [
  sig(
    'sql: union select',
    /\bunion(?:[\s(+\xa0]|\/\*[^*]{0,64}\*\/){1,8}(?:(?:all|distinct)(?:[\s(+\xa0]|\/\*[^*]{0,64}\*\/){0,8})?\(?\s*select\b/,
  ),
  sig('sql: comment keyword', /\/\*!\d{0,5}\s*(?:union|select|and|or|concat)\b/),
  sig(
    'sql: function',
    /\b(?:(?<![a-z0-9_]\.)sleep\s*(?:\/\*[^*]{0,64}\*\/\s*)?\(\s*\d{1,3}\s*\)|ascii\s*\(\s*substr(?:ing)?\s*\(|cast\s*\(\s*\(?\s*chr\s*\(|benchmark\s*\(|pg_sleep\s*\(|extractvalue\s*\(|updatexml\s*\(|load_file\s*\(|group_concat\s*\(|concat(?:_ws)?\s*\(\s*0x|char\s*\(\s*\d{1,3}\s*[,)]|dbms_pipe\.|utl_inaddr\.|xp_cmdshell)/,
  ),
  sig('sql: schema', /\b(?:information_schema|mysql\.user|pg_catalog|pg_shadow|sysobjects|syscolumns|all_tables)\b/),
  sig('sql: waitfor delay', /\bwaitfor\s+delay\b/),
  sig('sql: into outfile', /\binto\s+(?:out|dump)file\b/),
  sig('sql: @@version', /@@version\b/),
  // The left side a number, or a quoted literal compared with another: `' or 1=1`, `") or "a"="a`; not JQL's
  // `"x" AND status = y` nor its quoted field names (`AND "Story Points" = 5`, `AND "Epic Link" = WEB-42`).
  sig(
    'sql: tautology',
    /['"`)]\s*(?:or|and|\|\||&&)\s+(?:['"`(]\s*)?(?:\d{1,10}\s*(?:=|<>|!=)|['"`][^'"`]{0,32}['"`]\s*(?:=|<>|!=)\s*['"`])/,
  ),
  sig('sql: subquery', /\|\|\s*\(\s*select\b|\(\s*select\s+(?:database|version|user|current_user)\s*\(/),
  // Bare, right after the value it is appended to (`id=1 and 1=1`, `/item/5 or 2=2`, a UUID): not prose ("if x = 1 and
  // 1 = 1").
  sig('sql: tautology', /(?:^|[?&=(/])[^\s&=?/]{0,64}\)?\s+(?:or|and)\s+(\d{1,10})\s*=\s*\1\b/),
  // A single-quoted value compared with anything (`admin' or '1'=1--`, `'or'a'='a`); JQL quotes its field names with `"`.
  sig('sql: tautology', /'\s*(?:or|and)\s*'[^']{0,32}'\s*(?:=|<>|!=)/),
  // A comment after a quote ends a query (`'--`, `'#`); a colour in JSON (`"#ff6384"`) does not.
  // Not a colour or a hashtag inside a JSON string (`"#ff6384"`, `"#sale"`).
  sig('sql: quote comment', /['"]\s*(?:\)\s*)?(?:--|#(?![0-9a-f]{3,8}\b|[\w-]{1,32}["'])|\/\*|;\s*--)/),
  // Equal operands (`' or a=a-- -`).
  sig('sql: tautology', /['"`)]\s*(?:or|and)\s+(\w{1,32})\s*=\s*\1\b/),
  sig(
    'sql: blind probe',
    /-1\s*=\s*0[+\s]0[+\s]0[+\s]1\b|\(\s*select\s+(?:\(\s*)?case\s+when\b|\brlike\s+(?:\(\s*)?select\b|['"]\s*(?:and|or)\s+\(\s*select\b/,
  ),
  // Operators on credentials only (`filter[price][$gte]=10` is an API's own query); the prototype as a key only.
  sig(
    'nosql / prototype pollution',
    /(?:user(?:name)?|login|email|pass(?:word)?|passwd|token)\]?\[\$(?:ne|gt|gte|lt|lte|regex|where|in|nin|exists)\]|\$where\]?=|(?:^|[?&[])__proto__(?:\]|\[|\.[\w$]{1,64}=)|constructor(?:\]\[|\[)prototype\]|constructor\.prototype\.[\w$]{1,64}=/,
  ),
  sig(
    'sql: stacked query',
    /;\s*(?:drop|insert|delete|update|select|shutdown|exec|execute|declare|truncate|alter|create)\s+[\w@*]/,
  ),
  sig('sql: order by probe', /\border\s+by\s+\d{1,3}\s*(?:--|#|\/\*)/),
  sig(
    'xss: tag',
    // A tag as a browser reads one: "<" right before its name ("price < input cost" is text).
    /<(?:\/\s*)?(?:script|iframe|svg|img|body|object|embed|math|details|video|audio|marquee|input|form|meta|link|style|base|applet|frame|frameset|isindex|xss)\b/,
  ),
  // Not "JavaScript: The Good Parts" in a search.
  sig('xss: javascript:', /\b(?:java|vb|live)script\s*:(?!\s)|\bjava\s*script\s*&(?:colon|#0*58|#x0*3a);/),
  sig(
    'xss: event handler',
    /[\s"'/;<]on(?:error|load|mouse[a-z]{2,8}|focus(?:in|out)?|auxclick|before(?:toggle|input)|scrollend|contentvisibilityautostatechange|pointerrawupdate|blur|click|dblclick|key[a-z]{2,5}|toggle|begin|end|animation[a-z]{3,10}|transition[a-z]{2,6}|pointer[a-z]{2,6}|submit|change|input|resize|scroll|wheel|drag[a-z]{0,5}|drop|copy|paste|cut|play|pause|touch[a-z]{2,5}|hashchange|message|pageshow|unload|beforeunload|start|finish)\s*=/,
  ),
  sig(
    'xss: call',
    /\b(?:alert|prompt|confirm)\s*(?:\(\s*(?:\d|['"`/]|document\b|window\b|this\b)|`)|\bdocument\s*\.\s*(?:cookie|domain|write)\b|\bfromcharcode\s*\(/,
  ),
  sig('xss: data uri', /\bdata:\s*text\/html/),
  sig(
    'command',
    // `nc` and `cat` with what they act on: a list "NY|NC|SC" or "tom;cat food" is text.
    /(?:[;|`]|&&|\$\()\s*(?:(?:wget|curl|tftp|ftpget|busybox|chmod|uname|whoami|nslookup|powershell)\b|(?:nc|ncat|netcat|telnet)\s+[-\w]|(?:bash|sh|zsh|dash)(?=$|[\s;&<>`)-])|cat\s+(?:[-/~.]|[\w.-]{1,64}\.\w{1,5}\b)|(?:ping|perl|python[23]?|php|rm|cmd(?:\.exe)?)\s|ls\s+-[a-z]{1,4}\b)/,
  ),
  // `id` is also a common parameter name (`a|id` in a list of columns): only after `;`, a backtick or `$(`.
  sig('command', /(?:[;`]|\$\()\s*id\b(?!=)/),
  sig('command: $IFS', /\$\{ifs\}|\$ifs\$\d/),
  // A webshell's parameter running a first command (`shell.php?cmd=id`), and routers' command endpoints.
  sig(
    'command',
    /[?&](?:cmd|command|exec)=(?:id|whoami|uname(?: -a)?|pwd|ls(?: -la?)?)(?:&|$)|[?&]c=(?:whoami|uname(?: -a)?)(?:&|$)/,
  ),
  sig('command', /todo=syscmd|nas_sharing\.cgi\?.{0,128}\bsystem=|\/cgi-bin\/admin\.cgi\?command=syscommand/),
  sig('command: shell path', /\/bin\/(?:ba|da|z|k)?sh\b|\bcmd(?:\.exe)?\s*\/c\b/),
  sig('command: download', /\b(?:wget|curl)\s+(?:-[\w-]{1,16}\s+){0,4}(?:https?|ftp):\/\//),
  // After a command separator: "chmod 777 permission denied" is a search.
  sig('command: chmod', /(?:[;|`]|&&|\$\()\s*(?:chmod\s+(?:[0-7]{3,4}|\+x)|cd\s+\/(?:tmp|var\/tmp|dev\/shm))\b/),
  sig('spring4shell', /\bclass\.(?:module\.)?classloader\b/),
  sig('ognl', /[%$]\{\s*(?:\(\s*)?#|#_memberaccess|@java\.lang\.runtime@|\(#context\[|xwork2?\.dispatcher|\bognl\./),
  // Expression languages reaching Java (Confluence, VMware Workspace ONE, Spring, FreeMarker, GeoServer).
  sig(
    'java expression',
    /java\.lang\.(?:runtime|processbuilder)['"]?\s*[).@]|\.getclass\(\)\s*\.|freemarker\.template\.utility\.execute|\bt\(\s*java\.|bootstrapstatusprovider\.applicationconfig|\/descriptorbyname\/org\.jenkinsci\.plugins\.scriptsecurity|"[^"]{1,128}"\.execute\(\)/,
  ),
  sig(
    'drupal render array',
    /\[#(?:post_render|markup|lazy_builder|pre_render|access_callback)\]|element_parents=[^&]{0,64}#value/,
  ),
  // PHP's pearcmd reached by a traversal or register_argc_argv, and php-cgi's `?-s` source disclosure.
  sig('php-cgi / pearcmd', /\bpearcmd\b|[\s+]config-create[\s+]|^[^?]*\?-s$/),
  sig('thinkphp', /invokefunction|think\/(?:app|request)\/|function=call_user_func_array/),
  sig(
    'php code',
    // Words of English too (system, assert, eval) only with the call's parenthesis right after them; a call with an
    // argument (a snippet in a search box names `eval()`, Python's `os.system(`), but phpinfo(), which takes none.
    /<\?php|\b(?:passthru|shell_exec|proc_open|base64_decode)\s*\((?!\s*\))|\bphpinfo\s*\(|(?<![a-z0-9_]\.)\b(?:system|popen|assert|eval)\((?!\s*\))|allow_url_include|auto_prepend_file|\bdie\s*\(\s*@?md5\s*\(/,
  ),
  sig(
    'template injection',
    // Arithmetic in any engine's delimiters (`{{7*7}}`, `${(111+111)}`, `*{7*7}`, `<%= 7*7 %>`), a polyglot.
    /(?:\{\{|[$#*@]\{|<%=)\s*(?:\(\s*)?['"]?\d{1,6}['"]?\s*[+*]\s*['"]?\d{1,6}['"]?(?:\s*\))?\s*(?:\}\}?|%>)|\$\{\{<%\[%|[.'"[]__(?:class|globals)__|=__(?:class|globals)__(?:&|$)/,
  ),
  // A header written into the response (`%0d%0aSet-Cookie:`), not a newline pasted into a search.
  // (A newline in a query value is text typed into a form; in the path, or before a header's name, a response split.
  // "嘊嘍" are the UTF-8 sequences some servers cut to their last byte, CR LF.)
  sig(
    'crlf',
    /^[^?]*[\r\n]|[\r\n\u560a\u560d][ \t]{0,8}(?:set-cookie|cookie|location|cache-control|content-[\w-]{1,32}|refresh|link|host|access-control-[\w-]{1,32}|x-[\w-]{1,48})[ \t]{0,8}:|\r?\n\r?\n[ \t]{0,8}</,
  ),
];

/** Expression lookups that hide `${jndi:` (`${${lower:j}ndi:`, `${${::-j}ndi:`, `${env:X:-j}`) are undone first. */
export const LOG4SHELL: Signature = sig('log4shell', /\$\{\s*jndi\s*:/);

/** Shellshock in any field the server logged. */
export const SHELLSHOCK: Signature = sig('shellshock', /\(\)\s*\{[^}]{0,64}\}\s*[;>]/);

/**
 * A repository's or a synced folder's own files, viewed through the application that keeps them (GitLab, Gitea/Forgejo,
 * Nextcloud's WebDAV): a `.gitignore` or `.env.example` there is a file in someone's project, not a probe of the site.
 */
export const FILE_VIEW =
  /\/-\/(?:blob|raw|tree|blame|edit|commits|archive)\/|\/(?:src|raw|blame|commits)\/(?:branch|commit|tag)\/|^(?:\/[\w.-]{1,64})?\/api\/v4\/projects\/(?:[^/]{1,256}\/){1,8}repository\/(?:files|tree|archive)|^(?:\/[\w.-]{1,64})?\/api\/v1\/repos\/[^/]{1,256}\/[^/]{1,256}\/(?:contents|raw|media)\/|\/remote\.php\/(?:web)?dav\/|^(?:\/[\w.-]{1,64})?\/public\.php\/(?:web)?dav\/|\/releases\/download\/|^(?:\/[\w.-]{1,64})?\/[^/]{1,256}\/[^/]{1,256}\/_(?:edit|new|delete)\/|^\/-\/ide\/project\/(?:[^/]{1,256}\/){2,8}(?:edit|tree|blob)\//;

/** Files that are never served on purpose: asked for at all, they are a probe; served, a leak. On the decoded path. */
export const PROBE_ALWAYS: readonly Signature[] = [
  sig(
    'dotfile',
    /\/\.(?:env|git|svn|hg|bzr|cvs|htpasswd|htaccess|ssh|aws|azure|docker|dockercfg|dockerenv|kube|npmrc|pypirc|bash_history|zsh_history|mysql_history|psql_history|gitignore|ds_store|idea|vscode|s3cfg|netrc|pgpass|git-credentials|gitconfig|travis\.yml|boto|gitlab-ci\.yml|github|circleci|my\.cnf)(?:$|[/._~-])|\/terraform\.tfstate(?:\.backup)?$|\/[\w-]{1,32}\.env$/,
  ),
  // (A public key, `id_ed25519.pub`, is published on purpose.)
  sig('private key', /\/id_(?:rsa|dsa|ecdsa|ed25519)$|\/(?:server|private|privkey|priv)\.(?:key|pem)$|\/key\.pem$/),
  sig(
    'secrets',
    /\/credentials\.(?:json|ya?ml|xml)$|\/app\/etc\/(?:local\.xml|env\.php)$|\/wp-content\/debug\.log$|\/storage\/logs\/laravel[\w-]{0,16}\.log$/,
  ),
  // Not the templates projects ship beside them (`config.php.dist`, `database.yml.example`).
  sig(
    'config backup',
    /\/(?:wp-config|configuration|config|settings|localsettings|database)\.(?:php|inc|yml|yaml|json|py|rb)(?:\.(?!(?:sample|example|dist|template|default|tmpl)$)[a-z0-9]{1,8}|~|_[a-z0-9]{1,8}|-[a-z0-9]{1,8})$/,
  ),
  sig(
    'webshell',
    /\/(?:c99|r57|wso|b374k|alfa|alfa-rex|indoxploit|priv8|sh3ll|webshell|symlink|xleet|lock360|marijuana|xmrlpc)\.php\d?$|\/(?:alfa_data|alfacgiapi)\//,
  ),
  // PHPUnit's code-execution helper: served, the exploit ran.
  sig('phpunit', /\/phpunit\/.{0,256}eval-stdin\.php$/),
  // WordPress's config under a backup name, an editor's swap file of any file.
  sig(
    'config backup',
    /\/wp-config\.(?:bak|old|orig|save|txt|backup)$|\/wp-config[ _-](?:copy|backup|bak|old|orig|save)[\w. -]{0,16}$|\/\.[\w.-]{1,64}\.sw[op]$/,
  ),
];

const ADMIN_PATH = String.raw`^(?![^?]{0,256}?\/api\/)[\s\S]{0,8192}?(?<!\/wp-admin)\/(?:admin(?:istrator)?|manager|cpanel|webadmin|siteadmin|admincp|panel)`;
const ADMIN_LOGIN_DOOR = new RegExp(
  String.raw`${ADMIN_PATH}(?:\/?$|\.php|\.asp|\.aspx|\.jsp|\/(?:(?:log|sign)-?in|index|default)\b|\/(?:auth|account)(?:\/?$|\/(?:(?:log|sign)-?in|index)\b)|\/[^/]{1,64}\.(?:php|asp|aspx|jsp|cgi|html?)$)`,
);
// Not the panel's own scripts, stylesheets and images gone from a cache (an old bundle's chunks).
const ADMIN_LOGIN_ANY = new RegExp(
  String.raw`${ADMIN_PATH}(?:$|\/(?![^?]{0,512}\.(?:js|css|map|png|jpe?g|gif|svg|webp|ico|woff2?|ttf)$)|\.php|\.asp|\.aspx|\.jsp)`,
);

/** Admin panels, scanned applications, backups and webshells: a probe when they are not there (4xx/5xx). */
export const PROBE_ON_ERROR: readonly Signature[] = [
  sig(
    'admin panel',
    /\/(?:(?:typo3\/|xampp\/|admin\/)?_?(?:php-?my-?admin[\w.-]{0,32}|pma(?:my|pper|db|admin)?(?:[\d._-][\w.-]{0,30})?|myadmin[\w.-]{0,32})|mysqladmin|sqladmin|dbadmin|adminer[\w.-]{0,16}|phpliteadmin[\w.-]{0,16}|sqlite\/main\.php)(?:$|[/?])/,
  ),
  // `mail` only as a whole segment (not /mailing-list, /mailchimp; but the old mail_this_entry CGI fail2ban's
  // apache-botsearch samples hold), and not Thunderbird's autoconfig lookup.
  sig(
    'webmail',
    /\/(?:(?:roundcube|horde|(?:v-?)?webmail|squirrelmail|rainloop)[\w.-]{0,32}|(?<!\/apps\/)(?:ext)?mails?|mail_this_entry)(?:$|[/?])(?![^?]{0,512}config-v1\.1\.xml)/,
  ),
  sig('server-status', /\/server-(?:status|info)\b/),
  sig('laravel ignition', /\/_ignition\/|\/telescope\/requests|\/_profiler\b|\/debug\/default\/view/),
  sig(
    'spring actuator',
    /\/actuator(?:$|\/)|(?<!\/jobs\/\d{1,20})\/(?:env|heapdump|trace|mappings|functionrouter)$|\/jolokia(?:$|\/)|\/h2-console/,
  ),
  // Not a core's select, which answers a searcher's unbalanced query with 400 (the Velocity exploit is in its query).
  sig('solr admin', /\/solr\/(?:admin|#|[\w-]{1,64}\/(?:config|dataimport))/),
  sig(
    'java consoles',
    // Not the pages of a Jenkins that is there (its jobs, views, queue), nor GeoServer's tile service refusing a tile
    // outside its grid (400).
    /\/(?:manager\/(?:html|text\/|status|jmxproxy)|host-manager|jmx-console|web-console|invoker\/|console\/login|axis2\/|jenkins\/(?!job\/|view\/|static\/|ajax|blue\/|user\/|adjuncts\/)|script$|hudson(?:$|\/)|nacos\/|druid\/(?!v2\/)|geoserver\/(?!gwc\/service\/)|wls-wsat\/|_async\/)|^\/cli$/,
  ),
  sig(
    'router exploit',
    /\/(?:hnap1|boaform|boafrm\/|goform|cgi-bin\/(?:luci|login\.cgi|mainfunction\.cgi)|setup\.cgi|gponform|tmunblock\.cgi|hndunblock\.cgi|apply\.cgi|diag\.html|currentsetting\.htm|boarddataww\.php|sdk\/weblanguage|getcfg\.php|hedwig\.cgi|soap\.cgi|command\.php|picsdesc\.xml|wanipcn\.xml|ud\/act|ctrlt\/deviceupgrade_1|web_shell_cmd\.gch|dvr\/cmd|editblackandwhitelist|cmd,\/)|^\/shell$/,
  ),
  // Container, cluster and service APIs (Docker, Kubernetes, etcd, registries, YARN, Elasticsearch, Consul, Go's
  // pprof, vCenter's SDK) asked of a web server that is none of them.
  sig(
    'infrastructure api',
    /\/(?:v1\.\d{2}\/)?containers\/(?:json|create)(?:$|[/?])|^\/api\/v1\/(?:pods|nodes|secrets|namespaces(?:\/[\w-]{1,64}\/(?:secrets|pods))?)$|\/runningpods\/|^\/v2\/(?:keys\/|_catalog)|\/ws\/v1\/cluster\/|^\/_cat\/|\/debug\/pprof\/|^\/v1\/agent\/|^\/sdk$/,
  ),
  // Paths of applications with known exploits (Confluence, vCenter, Telerik, Jira, Liferay, MOVEit, OFBiz, vBulletin,
  // CrushFTP, SAP, Zimbra, GitLab, ThinkPHP, Drupal).
  sig(
    'application exploit',
    /\/(?:pages\/doenterpagevariables\.action|pages\/createpage-entervariables\.action|template\/aui\/text-inline\.vm|setup\/setupadministrator\.action)$|\/(?:ui\/vropspluginui\/|analytics\/telemetry\/ph\/|telerik\.web\.ui\.webresource\.axd|secure\/contactadministrators!default\.jspa|api\/jsonws\/invoke|setupwizard\.aspx|moveitisapi\/|webtools\/control\/|ajax\/render\/widget_|developmentserver\/metadatauploader|service\/extension\/backup\/mboximport|webinterface\/function\/|(?:tp|thinkphp)\/public\/)|^\/uploads\/user$|\/sites\/default\/settings\.php$/,
  ),
  sig('cgi-bin', /\/cgi-bin\//),
  sig('phpunit', /\/phpunit\/|eval-stdin\.php/),
  // The panel's door: its own page, its login, a script beside it (`/admin/`, `/admin/login`, `/admin/config.php`).
  // Deeper pages answering 403 are the staff of a site that has one (Django's `/admin/autocomplete/`, Drupal's
  // `/admin/content`); they count only when missing (PROBE_WHEN_ABSENT). Not an application's own API (`/api/…`,
  // Ghost's `/ghost/api/admin/…`) answering an expired session.
  sig('admin login', ADMIN_LOGIN_DOOR),
  sig(
    'installer',
    /\/(?:setup|install|installer|upgrade|config|configuration|phpinfo|php_info|info|test|i)\.php$|^\/install\/|\/(?:php_?info|pinfo)$/,
  ),
  sig(
    'secrets',
    /\/(?:config\.(?:json|ya?ml)|credentials|secrets?\.(?:json|ya?ml)|settings\.py|database\.yml|sftp-config\.json|\.?ftpconfig|docker-compose\.ya?ml|dockerrun\.aws\.json|appsettings\.json|web\.config)$/,
  ),
  sig(
    'exchange/vpn',
    /\/(?:owa\/auth|ecp\/|api\/sonicos\/|remote\/(?:login|info$)|global-protect\/|dana-na\/|dana-cached\/|dana-ws\/|\+cscoe\+\/|\+cscot\+\/|sslvpn|ssl-vpn\/|ws\/cli\/open|api\/v2\/cmdb\/|mifs\/|api\/v1\/configuration\/users\/|logon\/logonpoint\/|gwtest\/formssso|tmui\/|mgmt\/(?:tm|shared)\/|webui\/logoutconfirm|webui_wsma_http|mapi\/nspi|aspnet_client\/.{1,64}\.aspx$)|^\/vpns?\//,
  ),
  // Not a compressed sitemap (`sitemap.xml.gz`) or log; an archive only at the site's root or named as a backup (a
  // release download gone from /downloads/ is not a probe).
  sig(
    'backup',
    /\.(?:bak|backup|old|orig|save|swp|swo|sql|sqlite3?|db|sql\.gz)$|~$|^\/[^/]{1,128}\.(?:tar|tgz|tar\.gz|zip|rar|7z|bz2|war)$|(?:backup|bak|dump|wwwroot|htdocs|public_html)[^/]{0,64}\.(?:tar|tgz|tar\.gz|zip|rar|7z|bz2)$/,
  ),
  sig('elmah/trace', /\/(?:elmah|trace)\.axd\b/),
];

/**
 * WordPress's paths, a probe where WordPress is not (404, 410): on a WordPress site its own admin answers 400, 403 and
 * 413 in ordinary use (an expired nonce, an upload too large).
 */
export const PROBE_WHEN_ABSENT: readonly Signature[] = [
  sig('admin login', ADMIN_LOGIN_ANY),
  // Where the application is, these are its own pages, answering its users' wrong passwords (Hikvision's userCheck,
  // an NVR's ONVIF calls, SSRS's and OWA's Windows-auth challenges), outages and too-large uploads: only a path that is
  // not there at all is someone looking for it. Struts' showcase, SQL Server's report server (and its named instances),
  // ColdFusion's CKEditor, UEditor, Seeyon, IPTV middleware, Red Lion's HMI, Cacti's Weathermap, Metabase's setup
  // token, CouchDB's database list, WebLogic's test page, Confluence's login; Struts' upload action, Flink's jar upload,
  // CrushFTP's web interface, JeecgBoot's report, e-cology's BeanShell servlet.
  sig(
    'application exploit',
    /^\/(?:upload\.action$|(?:flink\/)?jars\/upload$|webinterface\/function\/|jeecg-boot\/jmreport\/|weaver\/bsh\.servlet|menu\/(?:ss|neo|stc|stapp|guiw)$|struts2-showcase\/|reportserver(?:_[\w$]{1,32})?(?:$|\/)|cf_scripts\/scripts\/ajax\/ckeditor\/|seeyon\/|stalker_portal\/|portal\/redlion$|plugins\/weathermap\/editor\.php$|api\/session\/properties$|_all_dbs$|ws_utc\/|login\.action$)|\/ueditor\/[^/]{1,32}\/controller\.(?:ashx|jsp|php)$/,
  ),
  // D-Link cameras' credential leak (CVE-2020-25078).
  sig('router exploit', /\/(?:isapi\/security\/usercheck|onvif\/device_service|device\.rsp|config\/getuser)$/),
  // FortiOS's SSL-VPN pages (CVE-2024-21762 and kin), Check Point's (CVE-2024-24919), PAN-OS's management login.
  sig(
    'exchange/vpn',
    /^\/(?:owa\/?$|remote\/(?:hostcheck_validate|fgt_lang|logincheck|info)$|clients\/mycrl\/?$|php\/login\.php$)/,
  ),
  sig(
    'wordpress',
    // Not WordPress's own admin-ajax.php answering 400, nor a theme's missing stylesheet or image.
    // Nor a script, stylesheet or image of WordPress's own gone from a cache (its admin's css/, js/, images/), nor the
    // editor asking who it is (`users/me`). A script under uploads is a dropped webshell looked for.
    /\/(?:wp-admin(?!\/admin-ajax\.php|\/(?:css|js|images)\/[^?]{0,256}\.(?:css|js|map|png|gif|svg|webp)$)|(?:wp-includes|wp-content\/plugins)(?![^?]{0,512}\.(?:css|js|map|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|eot|json|xsl)$)|wp-content\/uploads\/[^?]{0,256}\.(?:php\d?|phtml)$|wp-(?:login|signup|activate)\.php|xmlrpc\.php|wp-config\.php|wp-json\/wp\/v2\/users(?!\/me\b))/,
  ),
];

/** Names real sites also use (`upload.php` answering 413): a webshell hunt only when they are not there at all (404). */
export const PROBE_ON_NOT_FOUND: readonly Signature[] = [
  sig(
    'webshell',
    /\/(?:shell|cmd|up|upl|upload|uploader|filemanager|mini|x|xx|ws|wp-shell|0|1|404|indoxploit|radio|fm|simple|bypass|gecko|chosen|mar|wp_filemanager)\.(?:php\d?|jsp|aspx?)$/,
  ),
];

/** Exploits that name no file, read on the decoded target with its query: a probe whatever the answer. */
export const PROBE_TARGET: readonly Signature[] = [
  // A number with quotes or a bracket after it ending a value (`id=1'"`, `/item/5')`, `id=-1\'`): what a tester tries
  // to see whether the query breaks (not `55"`, a size in inches, nor `8'`, feet, nor a link copied with its closing
  // quote: a lone quote counts only when the server broke on it, LONE_QUOTE); and sqlmap's heuristic check, a run of
  // quotes, brackets, commas and dots (`id=1)'.",(,.`).
  sig(
    'sql: quote probe',
    /(?:^|[=/])-?\d{1,20}(?:\.\d{1,10})?(?:\\['"]|'['")]|"['")])['")]{0,3}(?=[&/?#;\s]|$)|(?=[(),.[\]]{0,16}['"])(?=[,.'"[\]]{0,16}[()[\]])[(),.'"[\]]{8,16}(?=&|$)/,
  ),
  // Hikvision's authentication bypass (its fixed `admin:11` token), GPON's, TBK DVRs' command injection (its fixed
  // command name, CVE-2024-3721), Cisco IOS XE's, and debuggers.
  sig(
    'router exploit',
    /[?&]auth=ywrtaw46mtek(?:&|$)|^\/(?:gponform\/diag_form|diag\.html)\?(?:images|style)\/|\/device\.rsp\?[^#]{0,256}?cmd=___s_o_s_t_r_e_a_max___|^\/+level\/\d{1,2}\/exec(?:\/|$)|^\/+exec\/show\//,
  ),
  // TeamCity's authentication bypass (CVE-2024-27198: a `;<anything>.jsp` path parameter, in the path or in a `jsp=`
  // parameter under any path), Citrix ADC's menu pages with their exploits' parameters (CVE-2020-8193's `sid=nsroot`,
  // the `nsbrand=` XSS) and its report's session bypass.
  sig(
    'application exploit',
    /^\/[^?]{0,256};\w{0,16}\.jsp(?:$|\?)|[?&]jsp=[^&#]{0,512};\w{0,16}\.jsp(?:&|$)|^\/menu\/(?:guiw|ss|neo|stc|stapp)\?[^#]{0,256}(?:nsbrand|sid)=|^\/pcidss\/report\?[^#]{0,256}sid=loginchallengeresponse/,
  ),
  // Not Outlook's own autodiscover lookup (`?Email=alice@example.com&Protocol=…`): ProxyShell's names a backend path
  // after the `?` (`?@x/mapi/nspi/`, `/powershell`).
  sig(
    'exchange/vpn',
    /webui_wsma_http|logoutconfirm\.html\?logon_hash=|\/autodiscover\/autodiscover\.json\?(?:@|[^#]{0,512}?\/(?:mapi|powershell|owa|ecp)\b)/,
  ),
  // Solr's Velocity template injection (CVE-2019-17558), XML parser XXE (CVE-2017-12629), SQL handler and shards SSRF
  // (CVE-2017-3164) on a core's select, anywhere in its query.
  sig(
    'solr admin',
    /\/solr\/[\w-]{1,64}\/select\?[\s\S]*?(?:[?&]wt=velocity\b|\{!xmlparser\b|[?&]qt=\/(?:sql|stream)\b|[?&]shards=)/,
  ),
  // Jenkins' script check with its script in the query (CVE-2018-1000861 and its descendants), under any prefix; the
  // pipeline editor posts it in the body.
  sig('java consoles', /descriptorbyname\/[\w.$]{1,256}\/checkscript(?:compile)?\?/),
  sig(
    'application exploit',
    /routestring=ajax\/render\/|\/(?:api\/index\.php|index\.php\/api)\/v1\/(?:config\/application|users)\?(?:[^#]{0,512}&)?public=(?:true|1)(?:&|$)|^\/app\?service=page\/setupcompleted|xdebug_session_start=|\{working_dir\}/,
  ),
];

/** A number and one quote ending a value (`id=1'`): a probe only when the server broke on it (5xx). */
export const LONE_QUOTE = /(?:^|[=/])-?\d{1,20}(?:\.\d{1,10})?'(?=[&/?#;\s]|$)/;
