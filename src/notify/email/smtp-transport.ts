// The SMTP connection escalation mail goes through (nodemailer), in a module of its own: only `run` with escalation
// and the tests load nodemailer.
import { createTransport } from 'nodemailer';
import type { SmtpEnv } from '../../config/env.js';
import type { MailTransport } from './email-delivery.js';

export function createSmtpTransport(env: SmtpEnv): MailTransport {
  return createTransport({
    host: env.host,
    port: env.port,
    secure: env.secure,
    ...(env.user ? { auth: { user: env.user, pass: env.pass ?? '' } } : {}),
    // A login is never sent in the clear: without STARTTLS the mail fails before AUTH.
    requireTLS: env.user !== undefined && !env.allowPlaintextAuth,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}
