// The config entry of a journald source.
import * as z from 'zod';
import { id, maxLineBytes, oneOrMany, sourceFrom, sourceTimezone } from '../../config/schema-values.js';

export const journaldSourceSchema = z.strictObject({
  id,
  type: z.literal('journald'),
  unit: oneOrMany(z.string().min(1)).optional().meta({ description: 'systemd units to follow, e.g. ssh.service.' }),
  matches: z
    .array(z.string().regex(/^[A-Z0-9_]+=.*$/, { message: 'must be a journal match like SYSLOG_IDENTIFIER=sshd' }))
    .default([])
    .meta({ description: 'journalctl match expressions, e.g. SYSLOG_IDENTIFIER=sshd.' }),
  from: sourceFrom,
  journalctl: z.string().min(1).default('journalctl').meta({ description: 'The journalctl executable.' }),
  maxLineBytes,
  timezone: sourceTimezone,
});

export type JournaldSourceConfig = z.output<typeof journaldSourceSchema>;
