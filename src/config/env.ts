// Secrets and endpoints from the environment, read in one place; an empty variable counts as unset.

export interface SlackEnv {
  botToken?: string;
  appToken?: string;
  signingSecret?: string;
  apiUrl: string;
}

export const SLACK_API_URL = 'https://slack.com/api/';

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function readSlackEnv(env: NodeJS.ProcessEnv): SlackEnv {
  const botToken = read(env, 'SLACK_BOT_TOKEN');
  const appToken = read(env, 'SLACK_APP_TOKEN');
  const signingSecret = read(env, 'SLACK_SIGNING_SECRET');
  const apiUrl = read(env, 'SLACK_API_URL') ?? SLACK_API_URL;
  return {
    ...(botToken ? { botToken } : {}),
    ...(appToken ? { appToken } : {}),
    ...(signingSecret ? { signingSecret } : {}),
    apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
  };
}

export interface SmtpEnv {
  host?: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
  /**
   * SMTP_ALLOW_PLAINTEXT_AUTH=true: a login may be sent over a connection without TLS (else, with SMTP_USER set, the
   * connection must be TLS or upgrade with STARTTLS, and an attacker who strips STARTTLS gets no password).
   */
  allowPlaintextAuth: boolean;
  /** SMTP_PORT when it is set but not a port number. */
  badPort?: string;
}

export function readSmtpEnv(env: NodeJS.ProcessEnv): SmtpEnv {
  const host = read(env, 'SMTP_HOST');
  const secure = /^(1|true|yes)$/i.test(read(env, 'SMTP_SECURE') ?? '');
  const portText = read(env, 'SMTP_PORT');
  const port = portText === undefined ? Number.NaN : Number(portText);
  const valid = /^\d+$/.test(portText ?? '') && port > 0 && port < 65_536;
  const user = read(env, 'SMTP_USER');
  const pass = read(env, 'SMTP_PASS');
  return {
    ...(host ? { host } : {}),
    port: valid ? port : secure ? 465 : 587,
    ...(portText !== undefined && !valid ? { badPort: portText } : {}),
    secure,
    allowPlaintextAuth: read(env, 'SMTP_ALLOW_PLAINTEXT_AUTH') === 'true',
    ...(user ? { user } : {}),
    ...(pass ? { pass } : {}),
  };
}
