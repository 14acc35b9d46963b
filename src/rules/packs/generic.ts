// The classic line applications write when they refuse someone: "Unauthorized access attempt from 203.0.113.7",
// read from the start of any program's message (or an application log line's, after its time and level).
import { IP, type MessagePackRule, MINUTE } from './pack.js';

export const genericPack: MessagePackRule[] = [
  {
    kind: 'message',
    suffix: '',
    programs: ['*'],
    patterns: [
      {
        re: `Unauthorized access attempt(?: by (?:user )?(?<user>[^ ]{1,256}))?(?: from| by IP|:) \\[?(?<ip>${IP})\\]?(?:[ :,;]|$)`,
        from: 'a convention, not one program: "Unauthorized access attempt [by user U] from IP"',
      },
    ],
    fields: { ip: 'ip', user: 'text' },
    severity: 'medium',
    threshold: { count: 3, within: 10 * MINUTE, by: ['ip'] },
    title: 'Unauthorized access attempts from {ip}',
    event: 'auth.failure',
  },
];
