// A mailbox on 127.0.0.1: an SMTP server (smtp-server) that asks for a login and keeps every message, parsed by
// mailparser. The demo shows it as the on-call person's inbox; the tests read it back, and stop and start it again on
// the same port to play an outage.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export const SANDBOX_SMTP_USER = 'logwarden';
export const SANDBOX_SMTP_PASS = 'mail-secret';

export interface MailSandbox {
  port: number;
  messages: ParsedMail[];
  /** The envelope recipients of each message (whom the server was asked to deliver to). */
  recipients: string[][];
  /** The user names of every login tried (AUTH), right or wrong. */
  logins: string[];
  /** Called after each message arrives; returns the way to stop. */
  onMessage(listener: () => void): () => void;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startMailSandbox(port = 0): Promise<MailSandbox> {
  const messages: ParsedMail[] = [];
  const recipients: string[][] = [];
  const logins: string[] = [];
  const listeners = new Set<() => void>();
  let server: SMTPServer | undefined;
  let boundPort = port;
  const start = async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        logins.push(auth.username ?? '');
        if (auth.username === SANDBOX_SMTP_USER && auth.password === SANDBOX_SMTP_PASS) {
          callback(null, { user: auth.username });
        } else callback(new Error('Invalid username or password'));
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            messages.push(mail);
            recipients.push(session.envelope.rcptTo.map((r) => r.address));
            callback();
            for (const listener of listeners) listener();
          })
          .catch(callback);
      },
    });
    const s = server;
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(boundPort, '127.0.0.1', () => resolve());
    });
    boundPort = (s.server.address() as AddressInfo).port;
  };
  await start();
  return {
    get port() {
      return boundPort;
    },
    messages,
    recipients,
    logins,
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start,
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

/** The SMTP_* environment that reaches this mailbox (on loopback, without TLS: the login may go in the clear). */
export function mailSandboxEnv(port: number, pass = SANDBOX_SMTP_PASS): NodeJS.ProcessEnv {
  return {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(port),
    SMTP_USER: SANDBOX_SMTP_USER,
    SMTP_PASS: pass,
    SMTP_ALLOW_PLAINTEXT_AUTH: 'true',
  };
}
