// The email notifier: escalation mail from the outbox, through SMTP (SMTP_* in the environment). It is on whenever
// escalation: is set; its code (nodemailer) loads only then.
import type { ActionCatalog } from '../../actions/action-catalog.js';
import type { EscalationConfig } from '../../config/schema.js';
import type { Logger } from '../../core/logger.js';
import type { Timers } from '../../core/timers.js';
import type { Clock } from '../../core/types.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { Store } from '../../store/ports.js';
import { defineNotifierKind, type Notifier, wakeAll, wantsOf } from '../notifier.js';
import type { MailTransport } from './email-delivery.js';

export const emailNotifierKind = defineNotifierKind({
  name: 'email',
  async create(ctx) {
    const escalation = ctx.config.escalation;
    if (!escalation) return undefined;
    return emailNotifierOf(
      { ...ctx, logger: ctx.logger.child({ component: 'email' }), escalation },
      await connectMail(ctx.env),
    );
  },
});

// SMTP from the environment; escalation without a server to send through is a configuration error.
async function connectMail(env: NodeJS.ProcessEnv): Promise<MailTransport> {
  const [{ readSmtpEnv }, { createSmtpTransport }, { SmtpUnconfiguredError }] = await Promise.all([
    import('../../config/env.js'),
    import('./smtp-transport.js'),
    import('../../core/errors.js'),
  ]);
  const smtp = readSmtpEnv(env);
  if (!smtp.host) throw new SmtpUnconfiguredError();
  if (smtp.badPort !== undefined) throw new SmtpUnconfiguredError(smtp.badPort);
  return createSmtpTransport(smtp);
}

/** The email notifier over a transport; the notifiers made before it give the mail its link (the Slack message). */
export async function emailNotifierOf(
  ctx: {
    store: Store;
    clock: Clock;
    timers?: Timers;
    logger: Logger;
    metrics?: Metrics;
    actions: ActionCatalog;
    escalation: EscalationConfig;
    made: readonly Notifier[];
    all(): readonly Notifier[];
  },
  transport: MailTransport,
  /** Delay before the nth retry of a refused mail (tests shorten it). */
  backoff?: (attempt: number) => number,
): Promise<Notifier> {
  const { createEmailDelivery } = await import('./email-delivery.js');
  const link = ctx.made.find((n) => n.linkOf);
  const delivery = createEmailDelivery(
    {
      store: ctx.store,
      clock: ctx.clock,
      ...(ctx.timers ? { timers: ctx.timers } : {}),
      logger: ctx.logger,
      ...(ctx.metrics ? { metrics: ctx.metrics } : {}),
      transport,
      ...(link ? { permalinkOf: (id: number) => link.linkOf!(id) } : {}),
      labelOf: (id) => ctx.actions.get(id)?.label ?? id,
      // Notes about each mail go to the thread, as the other notifiers want them queued.
      commitOptions: () => wantsOf(ctx.all()),
      onNote: () => wakeAll(ctx.all()),
    },
    { from: ctx.escalation.from, retries: ctx.escalation.retries, ...(backoff ? { backoff } : {}) },
  );
  return {
    name: 'email',
    channel: 'email',
    wake: () => delivery.wake(),
    start: () => delivery.start(),
    stop: () => delivery.stop(),
  };
}
