// The generic pack: "Unauthorized access attempt …", at the start of any program's message or an application's line.
import type { PackTable } from './table.js';

export const genericTable: PackTable = {
  pack: 'generic',
  programs: ['myapp', 'api'],
  match: [
    {
      message: 'Unauthorized access attempt from 203.0.113.7',
      from: 'a convention: "Unauthorized access attempt from %s"',
      fields: { ip: '203.0.113.7' },
    },
    {
      message: 'Unauthorized access attempt by user mallory from 198.51.100.7: bad token',
      from: 'a convention: "Unauthorized access attempt by user %s from %s"',
      fields: { ip: '198.51.100.7', user: 'mallory' },
    },
    {
      message: 'Unauthorized access attempt from [2001:db8::42]',
      from: 'a convention, a bracketed IPv6 address',
      fields: { ip: '2001:db8::42' },
    },
    {
      line: '2026-11-23 10:15:01,123 WARN Unauthorized access attempt by user mallory from 198.51.100.7: bad token',
      from: 'an application log (log4j / Python logging): time, level, message',
      fields: { ip: '198.51.100.7', user: 'mallory' },
    },
  ],
  noMatch: [
    { message: 'Authorized access from 10.0.0.5', from: 'a success' },
    { message: 'Unauthorized access attempt from unknown', from: 'no address' },
    { message: 'user typed "Unauthorized access attempt from 127.0.0.53"', from: 'the words inside a message' },
  ],
};
