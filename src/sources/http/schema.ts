// The config entry of an HTTP source: where it listens, the senders and the variables holding their tokens, and how
// a posted event holds its line.
import * as z from 'zod';
import { addressOrRange, byteSize, id, maxLineBytes, sourceTimezone, spool } from '../../config/schema-values.js';

/** `http://127.0.0.1:8687`, `https://[::]:8687`. */
export const HTTP_LISTEN = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[0-9]{1,3}(?:\.[0-9]{1,3}){3}|localhost):([0-9]{1,5})$/;

export function parseHttpListen(text: string): { tls: boolean; host: string; port: number } {
  const [, scheme, host, port] = HTTP_LISTEN.exec(text)!;
  return { tls: scheme === 'https', host: host!.replace(/^\[|\]$/g, ''), port: Number(port) };
}

export const httpSourceSchema = z
  .strictObject({
    id,
    type: z.literal('http'),
    listen: z
      .string()
      .regex(HTTP_LISTEN, {
        message: 'must be http:// or https:// with an address and a port, like http://127.0.0.1:8687',
      })
      .refine((v) => !HTTP_LISTEN.test(v) || parseHttpListen(v).port <= 65535, { message: 'has a port above 65535' })
      .meta({ description: 'Where to listen, e.g. http://127.0.0.1:8687 (https:// needs tls:).' }),
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9._~/-]{0,200}$/, { message: 'must be a path like /ingest' })
      .default('/ingest')
      .meta({ description: 'The path senders POST to.' }),
    senders: z
      .array(
        z.strictObject({
          name: id.meta({ description: 'The sender, as lines and logs name it.' }),
          tokenEnv: z
            .string()
            .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, { message: 'must be an environment variable name like VECTOR_TOKEN' })
            .meta({ description: 'The environment variable holding its bearer token.' }),
        }),
      )
      .min(1)
      .meta({ description: 'Who may post, each with a bearer token of its own (from the environment).' }),
    allow: z
      .array(addressOrRange)
      .min(1)
      .default(['127.0.0.0/8', '::1'])
      .meta({ description: 'Sender addresses and networks that may connect. Default: this host only.' }),
    tls: z
      .strictObject({
        cert: z.string().min(1).meta({ description: 'The server certificate (PEM).' }),
        key: z.string().min(1).meta({ description: 'Its private key (PEM).' }),
      })
      .optional()
      .meta({ description: 'For an https:// listener.' }),
    field: z.string().min(1).default('message').meta({
      description: 'The field of a posted JSON object that holds the log line (Vector and Fluent Bit: message, log).',
    }),
    idField: z.string().min(1).optional().meta({
      description: 'A field holding an event id: an event posted again (a retry) with an id already taken is dropped.',
    }),
    maxBodyBytes: byteSize
      .default(10 << 20)
      .meta({ description: 'The largest request body, after gzip (413 beyond).' }),
    spool,
    maxLineBytes,
    timezone: sourceTimezone,
  })
  .superRefine((s, ctx) => {
    if (HTTP_LISTEN.test(s.listen) && parseHttpListen(s.listen).tls && !s.tls) {
      ctx.addIssue({
        code: 'custom',
        path: ['tls'],
        message: 'is needed for an https:// listener: give tls: { cert, key }',
      });
    }
  });

export type HttpSourceConfig = z.output<typeof httpSourceSchema>;
