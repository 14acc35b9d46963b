// The classic line applications write when they refuse someone: "Unauthorized access attempt from 203.0.113.7".
import { IP, MINUTE, type PackRule } from './pack.js';

export const genericPack: PackRule[] = [
  {
    suffix: '',
    patterns: [
      `Unauthorized access attempt(?: by (?:user )?(?<user>[^ ]{1,256}))?(?: from| by IP|:) \\[?(?<ip>${IP})\\]?(?:[ :,;]|$)`,
    ],
    fields: { ip: 'ip', user: 'text' },
    severity: 'medium',
    threshold: { count: 3, within: 10 * MINUTE, by: ['ip'] },
    title: 'Unauthorized access attempts from {ip}',
  },
];
