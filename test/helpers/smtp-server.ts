// A real SMTP server on loopback (smtp-server) that requires a login and keeps every message, parsed by mailparser;
// it can be stopped and started again on the same port, to play an outage.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export const SMTP_USER = 'logwarden';
export const SMTP_PASS = 'mail-secret';

export interface TestSmtpServer {
  port: number;
  messages: ParsedMail[];
  /** The raw envelope recipients of each message (what the server was asked to deliver to). */
  recipients: string[][];
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSmtpServer(port = 0): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const recipients: string[][] = [];
  let server: SMTPServer | undefined;
  let boundPort = port;
  const start = async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASS) callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            messages.push(mail);
            recipients.push(session.envelope.rcptTo.map((r) => r.address));
            callback();
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
    start,
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

/** What `logwarden run` reads from the environment to reach this server. */
export function smtpEnv(port: number, pass = SMTP_PASS): NodeJS.ProcessEnv {
  return { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_USER: SMTP_USER, SMTP_PASS: pass };
}
