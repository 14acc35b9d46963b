// Web server attacks seen in access logs (the combined format nginx and Apache share) and basic-auth failures in
// their error logs.
import { IP, MINUTE, type PackRule } from './pack.js';

const REQUEST_START = `^(?<ip>${IP}) \\S{1,256} \\S{1,256} \\[[^\\]]{1,64}\\] "(?<method>[A-Z]{3,7}) `;
const SCANNED_PATHS = [
  'wp-login\\.php',
  'xmlrpc\\.php',
  'wp-admin/',
  '\\.env',
  '\\.git/',
  '\\.aws/',
  'phpmyadmin',
  'phpMyAdmin',
  'pma/',
  'admin\\.php',
  'vendor/phpunit/',
  'cgi-bin/',
];
const TRAVERSAL = ['\\.\\./', '\\.\\.%2[fF]', '%2[eE]%2[eE]/', '%2[eE]%2[eE]%2[fF]', '\\.\\.\\\\', '%252[eE]%252[eE]'];

const webFields = { ip: 'ip', method: 'word', path: 'text', status: 'int' } as const;

export function webAccessRules(): PackRule[] {
  return [
    {
      suffix: 'scan',
      patterns: [
        `${REQUEST_START}(?<path>/(?:[^ "/]{1,256}/){0,8}(?:${SCANNED_PATHS.join('|')})[^ "]{0,2048}) HTTP/[0-9.]{1,3}" (?<status>\\d{3}) `,
      ],
      fields: { ...webFields },
      severity: 'medium',
      threshold: { count: 3, within: 10 * MINUTE, by: ['ip'] },
      title: 'Web scanner probing from {ip}',
    },
    {
      suffix: 'traversal',
      patterns: [
        `${REQUEST_START}(?<path>[^ "]{0,2048}(?:${TRAVERSAL.join('|')})[^ "]{0,2048}) HTTP/[0-9.]{1,3}" (?<status>\\d{3}) `,
      ],
      fields: { ...webFields },
      severity: 'high',
      threshold: { count: 1, within: 10 * MINUTE, by: ['ip'] },
      title: 'Path traversal attempt from {ip}',
    },
  ];
}

export const nginxPack: PackRule[] = [
  {
    suffix: 'auth',
    patterns: [
      `\\[error\\] \\d{1,10}#\\d{1,10}: \\*\\d{1,20} (?:user "(?<user>[^"]{0,256})": password mismatch|user "(?<user2>[^"]{0,256})" was not found in "[^"]{0,4096}"|no user/password was provided for basic authentication), client: (?<ip>${IP}), `,
    ],
    fields: { ip: 'ip', user: 'text', user2: 'text' },
    severity: 'medium',
    threshold: { count: 5, within: 10 * MINUTE, by: ['ip'] },
    title: 'Basic-auth failures from {ip}',
  },
  ...webAccessRules(),
];

export const apachePack: PackRule[] = [
  {
    suffix: 'auth',
    patterns: [
      `\\[auth_basic:error\\] \\[pid \\d{1,10}(?::tid \\d{1,20})?\\] \\[client (?<ip>${IP}):\\d{1,5}\\] AH0161[78]: user (?<user>.{0,256}?)(?:: authentication failure for "[^"]{0,4096}": Password Mismatch| not found: \\S{0,4096})$`,
    ],
    fields: { ip: 'ip', user: 'text' },
    severity: 'medium',
    threshold: { count: 5, within: 10 * MINUTE, by: ['ip'] },
    title: 'Basic-auth failures from {ip}',
  },
  ...webAccessRules(),
];
