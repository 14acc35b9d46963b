// The audit chain's head, kept outside the store: in the log at every change, and posted to a chat channel now and
// then (`audit.anchorChannel`), so deleting the last rows of the audit log shows.
import type { Logger } from '../core/logger.js';
import type { Timer, Timers } from '../core/timers.js';
import type { ChatConnection } from '../notify/notifier.js';
import type { Store } from '../store/ports.js';

export interface AuditAnchor {
  /** Posts the head now, then every `interval` when it changed. */
  start(): Promise<void>;
  /** Posts the head as it is at the end (before the chat platform stops). */
  stop(): Promise<void>;
}

export function createAuditAnchor(deps: {
  store: Store;
  chat: ChatConnection | undefined;
  channel: string | undefined;
  interval: number;
  timers: Timers;
  logger: Logger;
}): AuditAnchor {
  const { store, chat, channel, logger } = deps;
  let anchor: { line: string; posted: boolean } | undefined;
  let timer: Timer | undefined;
  store.audit.onAnchor = (line, head) => {
    logger.info({ rows: head.rows, last: head.last, anchor: line }, 'audit anchor');
    anchor = { line, posted: false };
  };
  const post = async () => {
    if (!channel || !chat || !anchor || anchor.posted) return;
    const current = anchor;
    try {
      await chat.postText(channel, current.line);
      current.posted = true;
    } catch (error) {
      logger.warn(
        { channel, err: (error as Error).message },
        'cannot post the audit anchor to Slack; it is tried again at the next interval, and it is in this log meanwhile',
      );
    }
  };
  return {
    async start() {
      if (!channel || !chat) return;
      anchor ??= { line: await store.audit.renderAnchor(), posted: false };
      void post();
      timer = deps.timers.every(deps.interval, () => void post());
    },
    async stop() {
      timer?.cancel();
      await post();
    },
  };
}
