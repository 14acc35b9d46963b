// The values every part of the configuration is made of: durations, ids, capture names, severities.
// The namespace import lets the bundler leave out what is not used (zod's 40-odd locales).

import * as z from 'zod';
import { addressFamily } from '../core/address-family.js';
import { SEVERITIES } from '../core/types.js';
import { DURATION_PATTERN, parseDuration } from './duration.js';

export const duration = z
  .string()
  .regex(new RegExp(DURATION_PATTERN), {
    message: 'is not a duration. Write a number and a unit, like 45s, 10m or 1h30m',
  })
  .transform((text) => parseDuration(text) as number)
  .meta({ description: 'A duration such as 45s, 10m, 1h30m or 1d.' });

export const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
  message: 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
});

export const captureName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be a capture name: letters, digits and "_"' });

export const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

export const severity = z.enum(SEVERITIES, { message: `must be one of ${SEVERITIES.join(', ')}` });

const UNITS: Record<string, number> = { B: 1, KiB: 1 << 10, MiB: 1 << 20, GiB: 1 << 30 };

export const byteSize = z
  .union([
    z.number().int().min(1),
    z
      .string()
      .regex(/^\d{1,6}(KiB|MiB|GiB|B)$/, { message: 'is not a size. Write a number and a unit, like 512MiB or 2GiB' })
      .transform((text) => Number(/^\d+/.exec(text)![0]) * UNITS[/[A-Za-z]+$/.exec(text)![0]]!),
  ])
  .meta({ description: 'A number of bytes, or a size such as 64KiB, 512MiB or 2GiB.' });

// What every kind of source has.
export const sourceFrom = z
  .enum(['end', 'start'], { message: 'must be end or start' })
  .default('end')
  .meta({ description: 'Where to begin a source seen for the first time at start-up.' });

export const maxLineBytes = z
  .number()
  .int()
  .min(256)
  .max(16 * 1024 * 1024)
  .default(64 * 1024)
  .meta({ description: 'Longer lines are cut to this many bytes and flagged.' });

// What every network source has: a copy of recent lines per sender on disk, so /logs can read remote hosts.
export const spool = z
  .strictObject({
    dir: z.string().min(1).optional().meta({
      description: "Where the copies go (default: spool/<source id> beside the store; none with store ':memory:').",
    }),
    maxBytes: z
      .union([z.literal(0), byteSize])
      .default(16 * 1024 * 1024)
      .meta({ description: 'Bytes kept per sender: its file is rotated to .1 at this size (0: no copy).' }),
    maxTotal: byteSize.default(1 << 30).meta({
      description: 'Bytes kept for all senders together: the least recently heard senders’ files are deleted first.',
    }),
  })
  .prefault({})
  .meta({
    description:
      'A bounded copy of recent lines per sender, which `/logs search`, `tail` and `ip` read as they read files.',
  });

export const sourceTimezone = z
  .string()
  .refine((zone) => isTimeZone(zone), { message: 'is not a time zone. Write an IANA name like Europe/Berlin or UTC' })
  .optional()
  .meta({
    description:
      "The zone of the source's stamps that name none (syslog's `Nov 23 10:15:01`), when it is not this host's: an IANA name like Europe/Berlin.",
  });

/** A zone for hours and weekdays: an IANA name. */
export const zoneName = z
  .string()
  .refine((zone) => isTimeZone(zone), { message: 'is not a time zone. Write an IANA name like Europe/Berlin or UTC' });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `10.0.0.5`, `10.0.0.0/24`, `2001:db8::/48`: the prefix within the family's bits. */
export function isAddressOrRange(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = addressFamily(address);
  if (family === 0 || rest.length > 0 || address.includes('%')) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
}

export const addressOrRange = z.string().refine((v) => isAddressOrRange(v), {
  message: 'must be an address or a CIDR range, like 10.0.0.0/24 or 2001:db8::/48',
});
