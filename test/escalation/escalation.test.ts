// Escalation by email without Slack, on an injected clock, through a real SMTP server on loopback: levels in time,
// a restart in the middle that neither loses nor doubles a step, acknowledging stops it, an outage of the mail
// server delays a mail but loses nothing, and log text cannot add a header.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSmtpEnv } from '../../src/config/env.js';
import { parseConfig } from '../../src/config/load.js';
import { emailNotifierOf } from '../../src/notify/email/kind.js';
import { createSmtpTransport } from '../../src/notify/email/smtp-transport.js';
import type { Notifier } from '../../src/notify/notifier.js';
import { type MailSandbox, mailSandboxEnv, startMailSandbox } from '../../src/sandbox/mail-sandbox.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { silentLogger } from '../helpers/fixtures.js';
import { startLogwarden } from '../helpers/start-logwarden.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
const MINUTE = 60_000;

async function setup(options: { smtp?: MailSandbox; pass?: string } = {}) {
  const dir = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const smtp = options.smtp ?? (await startMailSandbox());
  cleanup.push(() => smtp.stop());
  const loaded = parseConfig(
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: app, path: ${JSON.stringify(log)} }]
rules:
  - id: breach
    source: app
    pattern: 'breach (?<note>[\\s\\S]*)$'
    severity: critical
    title: 'Breach: {note}'
escalation:
  from: 'logwarden <logwarden@example.com>'
  policies:
    critical:
      levels:
        - { after: 0s, notify: [primary] }
        - { after: 15m, notify: [secondary, security@example.com] }
      repeat: 1
      repeatAfter: 15m
  oncall:
    timezone: Europe/Berlin
    start: '2026-11-23'
    rotation:
      - { name: Alice, email: alice@example.com, slack: U0ALICE }
      - { name: Bob, email: bob@example.com }
`,
    'escalation.yml',
  );
  // Real time flows (retries are due after real milliseconds); advance() jumps ahead.
  const realStart = Date.now();
  let offset = Date.UTC(2026, 10, 24, 12) - realStart;
  const clock = () => Date.now() + offset;
  const transport = createSmtpTransport(readSmtpEnv(mailSandboxEnv(smtp.port, options.pass)));
  const start = async () => {
    const running = await startLogwarden(loaded, {
      clock,
      notifiersOf: async (store) => {
        const notifiers: Notifier[] = [];
        const escalation = loaded.config.escalation!;
        const made = { store, clock, logger: silentLogger, actions: loaded.actions, escalation, made: [] };
        notifiers.push(await emailNotifierOf({ ...made, all: () => notifiers }, transport, () => 50));
        return notifiers;
      },
    });
    cleanup.push(() => running.stop());
    return running;
  };
  const sentTo = () => smtp.recipients.map((r) => r.join(','));
  return {
    smtp,
    start,
    sentTo,
    write: (text: string) => appendFileSync(log, `${text}\n`),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

const pendingMail = async (store: SqliteStore) => await store.outbox.readDue(Number.MAX_SAFE_INTEGER, 'email');

describe('escalation by email', () => {
  it('mails each level at its time, survives a restart mid-way without repeating a step, and stops on acknowledge', async () => {
    const t = await setup();
    const first = await t.start();
    t.write('breach of the vault');
    await first.app.syncNow();
    await expect.poll(t.sentTo).toEqual(['alice@example.com']);
    const mail = t.smtp.messages[0]!;
    expect(mail.subject).toBe('[logwarden] CRITICAL: Breach: of the vault (incident #1)');
    expect(mail.from?.value).toEqual([{ name: 'logwarden', address: 'logwarden@example.com' }]);
    expect(mail.text).toContain('logwarden escalates incident #1 to you: level 1 of the critical policy');
    expect(mail.text).toContain('  breach of the vault');
    expect(mail.text).toContain('Nobody has acknowledged it yet.');
    expect(mail.html).toContain('<pre>breach of the vault</pre>');
    // The server has the mail a moment before the outbox records it sent: wait for that, so what follows sees only
    // what the next steps queue.
    await expect.poll(async () => await pendingMail(first.store)).toEqual([]);

    t.advance(14 * MINUTE);
    await first.app.sweep();
    expect(await pendingMail(first.store)).toEqual([]);
    await first.stop();

    t.advance(2 * MINUTE);
    const second = await t.start();
    await second.app.sweep();
    await second.app.sweep();
    await expect.poll(t.sentTo).toEqual(['alice@example.com', 'bob@example.com,security@example.com']);
    expect(t.smtp.messages[1]!.text).toContain('level 2 of the critical policy: unacknowledged for 16m');
    await expect.poll(async () => await pendingMail(second.store)).toEqual([]);

    expect(await second.app.decide('acknowledge', 1, 'U0ALICE')).toBe(true);
    t.advance(20 * MINUTE);
    await second.app.sweep();
    expect(await pendingMail(second.store)).toEqual([]);
    expect((await second.store.audit.readAll()).map((r) => r.action)).toEqual(
      expect.arrayContaining(['escalation:step', 'escalation:mail-sent', 'incident:acknowledge']),
    );
    expect(t.sentTo()).toHaveLength(2);
  });

  it('repeats the levels while nobody acknowledges, then stops', async () => {
    const t = await setup();
    const { app } = await t.start();
    t.write('breach again');
    await app.syncNow();
    for (const minutes of [15, 15, 15, 15, 60]) {
      t.advance(minutes * MINUTE);
      await app.sweep();
    }
    await expect.poll(() => t.sentTo().length).toBe(4);
    expect(t.smtp.messages.map((m) => /level \d(, repeat \d,)?/.exec(m.text ?? '')?.[0])).toEqual([
      'level 1',
      'level 2',
      'level 1, repeat 1,',
      'level 2, repeat 1,',
    ]);
  });

  it('keeps a mail through an outage of the mail server and delivers it once when it is back', async () => {
    const smtp = await startMailSandbox();
    await smtp.stop();
    const t = await setup({ smtp });
    const { app, store } = await t.start();
    t.write('breach while mail is down');
    await app.syncNow();
    await expect.poll(async () => (await pendingMail(store))[0]?.attempts ?? 0).toBeGreaterThan(1);
    await smtp.start();
    await expect.poll(t.sentTo).toEqual(['alice@example.com']);
    await expect.poll(async () => await pendingMail(store)).toEqual([]);
    expect(t.sentTo()).toEqual(['alice@example.com']);
  });

  it('gives up at once when the server refuses the login, and records why', async () => {
    const t = await setup({ pass: 'wrong' });
    const { app, store } = await t.start();
    t.write('breach with a bad password');
    await app.syncNow();
    await expect
      .poll(async () => (await store.audit.readAll()).find((r) => r.action === 'escalation:mail-failed')?.dataJson)
      .toMatch(/EAUTH/);
    expect(await pendingMail(store)).toEqual([]);
    expect(t.sentTo()).toEqual([]);
  });

  it('keeps log text out of the headers', async () => {
    const t = await setup();
    const { app } = await t.start();
    t.write('breach x\rBcc: mallory@evil.example\rSubject: pwned\r\u2028X-Injected: 1');
    await app.syncNow();
    await expect.poll(t.sentTo).toEqual(['alice@example.com']);
    const mail = t.smtp.messages[0]!;
    expect(mail.subject).toBe(
      // The line's CR and U+2028 are read as spaces (a pattern's `.` stops at them), each one.
      '[logwarden] CRITICAL: Breach: x Bcc: mallory@evil.example Subject: pwned  X-Injected: 1 (incident #1)',
    );
    expect(mail.bcc).toBeUndefined();
    expect(mail.headers.has('x-injected')).toBe(false);
    expect(t.smtp.recipients).toEqual([['alice@example.com']]);
  });
});
