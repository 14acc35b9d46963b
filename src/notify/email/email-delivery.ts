// Sends escalation mail from the durable outbox through SMTP (nodemailer): the body is rendered when it is sent, so
// it tells the latest; a refused mail is retried with backoff, and when the last retry fails — or the server says
// the credentials are wrong — the incident's thread is told. Every mail, sent or failed, is an audit row.

import { doublingBackoff } from '../../core/backoff.js';
import type { Logger } from '../../core/logger.js';
import type { Timers } from '../../core/timers.js';
import type { Clock, EmailJob } from '../../core/types.js';
import type { Metrics } from '../../metrics/metrics.js';
import { createOutboxWorker, type JobOutcome, type OutboxWorker } from '../../store/outbox-worker.js';
import type { CommitOptions, OutboxJob, Store } from '../../store/ports.js';
import { renderEscalationEmail } from './render-email.js';

/** What sending needs of nodemailer: a Transporter, or a stand-in. */
export interface MailTransport {
  sendMail(mail: {
    from: string;
    to: string[];
    subject: string;
    text: string;
    html: string;
    messageId: string;
    headers: Record<string, string>;
  }): Promise<unknown>;
  close?(): void;
}

export interface EmailDeliveryOptions {
  from: string;
  /** Retries of a refused mail before it is given up and the thread told. */
  retries: number;
  backoff?: (attempt: number) => number;
}

export interface EmailDeliveryDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  timers?: Timers;
  transport: MailTransport;
  /** The incident's Slack message, for the mail's link. */
  permalinkOf?(incidentId: number): Promise<string | undefined>;
  labelOf(actionId: string): string;
  /** What the notifiers want queued with a mail's outcome (its thread note, when a chat platform is set). */
  commitOptions(): CommitOptions;
  onNote(): void;
}

// A mail server: 5 s, doubling, at most 10 min.
const defaultBackoff = doublingBackoff(5000, 600_000);

// 535: authentication failed; 5xx answers to a message are permanent; EAUTH: nodemailer's own auth failure.
function isPermanent(error: { code?: string; responseCode?: number }): boolean {
  return error.code === 'EAUTH' || (error.responseCode !== undefined && error.responseCode >= 500);
}

export function createEmailDelivery(deps: EmailDeliveryDeps, options: EmailDeliveryOptions): OutboxWorker {
  const { store, clock, logger, transport } = deps;
  const backoff = options.backoff ?? defaultBackoff;
  const host = options.from.match(/@([A-Za-z0-9.-]+)/)?.[1] ?? 'logwarden.invalid';

  const send = async (job: OutboxJob): Promise<JobOutcome> => {
    const found = await store.incidents.read(job.incidentId);
    const email = job.payload as EmailJob | undefined;
    if (!email || !found) return { failed: 'the mail or its incident is gone' };
    const permalink = await deps.permalinkOf?.(job.incidentId);
    const mail = renderEscalationEmail({
      incident: found.incident,
      decisions: found.decisions,
      reason: email.reason,
      ...(permalink ? { permalink } : {}),
      labelOf: deps.labelOf,
    });
    try {
      await transport.sendMail({
        from: options.from,
        to: email.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // The same id on every retry: a mail that did arrive before a failure reads as the same message.
        messageId: `<logwarden.${job.id}.${job.incidentId}@${host}>`,
        headers: { 'X-Logwarden-Incident': String(job.incidentId) },
      });
      return { done: true };
    } catch (error) {
      const e = error as { code?: string; responseCode?: number; message?: string };
      if (e.code === 'ETLS' && /STARTTLS/i.test(e.message ?? '')) {
        return {
          failed:
            'the mail server offers no STARTTLS, so the login was not sent (ETLS). Use a server that does, SMTP_SECURE=true for port 465, or SMTP_ALLOW_PLAINTEXT_AUTH=true only where no one can listen on the way',
        };
      }
      const reason = `${e.message ?? String(error)}${e.code ? ` (${e.code})` : ''}`;
      if (isPermanent(e)) return { failed: reason };
      if (job.attempts >= options.retries) return { failed: `${reason}, ${job.attempts + 1} attempts` };
      return { retryAt: clock() + backoff(job.attempts + 1), error: reason };
    }
  };

  return createOutboxWorker({
    store,
    clock,
    logger,
    channel: 'email',
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
    peer: 'The mail server',
    handle: send,
    async complete(job) {
      await store.escalations.finishMail(job, {}, clock(), deps.commitOptions());
      deps.onNote();
    },
    async fail(job, error) {
      await store.escalations.finishMail(job, { error }, clock(), deps.commitOptions());
      logger.error(
        { incident: job.incidentId, to: (job.payload as EmailJob | undefined)?.to, error },
        `The escalation mail for incident ${job.incidentId} could not be sent: ${error}. Check SMTP_HOST, SMTP_PORT, SMTP_USER and SMTP_PASS.`,
      );
      deps.onNote();
    },
  });
}
