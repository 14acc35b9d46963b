// What clients say about themselves: the tools that name themselves in the User-Agent, other protocols' greetings on
// the request line, and attacks carried in the User-Agent or Referer. Read on the fields as logged. Pure.

/** Tools that announce themselves in the User-Agent. */
export const SCANNER_AGENTS = new RegExp(
  `\\b(${[
    'nikto',
    'sqlmap',
    'zmeu',
    'masscan',
    'zgrab',
    'nuclei',
    'nmap',
    'dirbuster',
    'gobuster',
    'dirb',
    'wfuzz',
    'ffuf',
    'fuzz faster u fool',
    'feroxbuster',
    'wpscan',
    'joomscan',
    'acunetix',
    'netsparker',
    'nessus',
    'openvas',
    'w3af',
    'arachni',
    'havij',
    'fimap',
    'morfeus',
    'jorgee',
    'l9explore',
    'l9tcpid',
    'commix',
    'skipfish',
    'whatweb',
    'hydra',
    // Medusa's HTTP module sends this; a "Medusa/1.0" agent is pymedusa, a media downloader.
    'teh forest lobster',
    'xray',
    'goby',
    'zmap',
    'paros',
    'webinspect',
    'appscan',
    'dotdotpwn',
    'sqlninja',
    'bbqsql',
    'brutus',
    'pangolin',
    'muieblackcat',
    'webshag',
    'grendel-scan',
    '(?<!python-)httpx',
    'interactsh',
    'struts-pwn',
    'l9scan',
    'libredtail',
    // Address harvesters and comment spammers (fail2ban's apache-badbots names them too).
    'emailcollector',
    'emailsiphon',
    'emailwolf',
    'emailspider',
    'webemailextrac',
    'extractorpro',
    'atomic_email_hunter',
    'contactbot',
    'cherrypicker',
    'trackback/1\\.02',
  ].join('|')})\\b`,
  'i',
);

/**
 * Bots that name themselves with a whole, fixed User-Agent (Mirai's loaders and their kin), or sign a browser's with
 * "Hello World" after its last product (no browser ends so). The name is the last group that matched.
 */
export const SCANNER_AGENT_NAMES = /^(hello,? world|custom-asynchttpclient)$|\)(?:\s\S{1,64}){1,4}\s(hello,? world)$/i;

/**
 * What a port-80 listener is sent by clients of other protocols (SSH, Nmap's probe, JDWP, and any request line that
 * names a protocol of its own: RTSP, SIP's OPTIONS scans; not Icecast's `SOURCE /mount ICE/1.0`).
 */
export const NON_HTTP_REQUESTS =
  /^ssh-\d\.\d-|^mglndd_|^jdwp-handshake$|^\S+ \S+ (?!http\/|ice\/)[a-z]{2,12}\/\d{1,2}\.\d{1,2}$/i;

/** Attacks that travel in the User-Agent or Referer (a browser sends neither): code, markup, SQL and commands. */
export const HEADER_INJECTION = /<\?(?:php|=)|<script\b|`\s*(?:wget|curl)\s/;
/** SQL in the User-Agent (a Referer may be a search page whose query names sleep()). */
export const AGENT_SQL = /\bsleep\s*\(\s*\d{1,3}\s*\)|'\s*(?:and|or)\s+\d{1,10}\s*=\s*\d{1,10}/i;
