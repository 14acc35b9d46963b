// The config entry of a syslog source: where it listens (UDP, TCP, TCP with TLS), who may send, and its limits.
import * as z from 'zod';
import { addressOrRange, id, maxLineBytes, sourceTimezone, spool } from '../../config/schema-values.js';

/** `udp://0.0.0.0:514`, `tcp://[::]:601`, `tls://127.0.0.1:6514`, `relp://0.0.0.0:2514`, `relp+tls://[::]:2515`. */
export const LISTEN =
  /^(udp|tcp|tls|relp|relp\+tls):\/\/(\[[0-9A-Fa-f:.]+\]|[0-9]{1,3}(?:\.[0-9]{1,3}){3}|localhost):([0-9]{1,5})$/;

export interface ListenAddress {
  transport: 'udp' | 'tcp' | 'tls' | 'relp' | 'relp+tls';
  host: string;
  port: number;
}

export function parseListen(text: string): ListenAddress {
  const [, transport, host, port] = LISTEN.exec(text)!;
  return {
    transport: transport as ListenAddress['transport'],
    host: host!.replace(/^\[|\]$/g, ''),
    port: Number(port),
  };
}

const listen = z
  .string()
  .regex(LISTEN, {
    message:
      'must be udp://, tcp://, tls://, relp:// or relp+tls:// with an address and a port, like tcp://0.0.0.0:601 or tls://[::]:6514',
  })
  .refine((v) => !LISTEN.test(v) || parseListen(v).port <= 65535, { message: 'has a port above 65535' });

export const syslogSourceSchema = z
  .strictObject({
    id,
    type: z.literal('syslog'),
    listen: z
      .union([listen, z.array(listen).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .meta({
        description:
          'Where to listen: udp://, tcp:// (RFC 6587 framing), tls:// (RFC 5425), relp:// (rsyslog’s omrelp: acknowledged, nothing lost over a restart) or relp+tls:// (omrelp with tls="on"), with address and port.',
      }),
    allow: z.array(addressOrRange).min(1).default(['127.0.0.0/8', '::1']).meta({
      description:
        'Sender addresses and networks that may send (others are refused, counted and logged once a minute). Default: this host only.',
    }),
    tls: z
      .strictObject({
        cert: z.string().min(1).meta({ description: 'The server certificate (PEM).' }),
        key: z.string().min(1).meta({ description: 'Its private key (PEM).' }),
        ca: z
          .string()
          .min(1)
          .optional()
          .meta({ description: 'CA certificates (PEM) that sign the senders’ certificates.' }),
        clientCerts: z
          .boolean()
          .default(false)
          .meta({ description: 'Require a client certificate signed by `ca` (mutual TLS).' }),
      })
      .optional()
      .meta({ description: 'For tls:// and relp+tls:// listeners.' }),
    maxConnections: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(1000)
      .meta({ description: 'TCP and TLS connections at once.' }),
    idFrom: z.enum(['msgid'], { message: 'must be msgid' }).optional().meta({
      description:
        "msgid: an RFC 5424 message's MSGID is its event id (rsyslog's %uuid%, README): a message a sender sends again after logwarden was killed is dropped, even after the restart.",
    }),
    spool,
    maxLineBytes,
    timezone: sourceTimezone,
  })
  .superRefine((s, ctx) => {
    const secured = s.listen.find((l) => l.startsWith('tls://') || l.startsWith('relp+tls://'));
    if (secured && !s.tls) {
      ctx.addIssue({
        code: 'custom',
        path: ['tls'],
        message: `is needed for a ${secured.split('//')[0]}// listener: give tls: { cert, key }`,
      });
    }
    if (s.tls?.clientCerts && !s.tls.ca) {
      ctx.addIssue({ code: 'custom', path: ['tls', 'ca'], message: 'is needed to check client certificates' });
    }
  });

export type SyslogSourceConfig = z.output<typeof syslogSourceSchema>;
