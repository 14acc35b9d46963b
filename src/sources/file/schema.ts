// The config entry of a file source.
import * as z from 'zod';
import { id, maxLineBytes, sourceFrom, sourceTimezone } from '../../config/schema-values.js';

export const fileSourceSchema = z.strictObject({
  id,
  type: z.literal('file').default('file'),
  path: z.string().min(1).meta({ description: 'A file path or a glob like /var/log/nginx/*.log.' }),
  from: sourceFrom,
  maxLineBytes,
  timezone: sourceTimezone,
});

export type FileSourceConfig = z.output<typeof fileSourceSchema>;
