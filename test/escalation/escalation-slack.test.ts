// Escalation seen from Slack: the Escalate button (for its roles only) mails the primary on call with a link to the
// message, the thread hears of every mail and of a mail server that refuses the login, and /logs oncall answers.

import { afterEach, describe, expect, it } from 'vitest';
import { readSmtpEnv } from '../../src/config/env.js';
import { createSmtpTransport } from '../../src/notify/email/smtp-transport.js';
import { mailSandboxEnv, startMailSandbox } from '../../src/sandbox/mail-sandbox.js';
import { startSlackSetup } from '../helpers/slack-setup.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

// Bolt's clicks run on the real clock, so Alice's week starts at midnight today (UTC) and lasts the whole test.
const today = new Date();
const WEEKDAY = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][today.getUTCDay()];
const ESCALATION = `escalation:
  from: logwarden@example.com
  retries: 2
  policies:
    critical:
      levels: [{ after: 1h, notify: [secondary] }]
  oncall:
    timezone: UTC
    handoff: { weekday: ${WEEKDAY}, time: '00:00' }
    start: '${today.toISOString().slice(0, 10)}'
    rotation:
      - { name: Alice, email: alice@example.com, slack: U0ALICE }
      - { name: Bob, email: bob@example.com }
`;

async function setup(pass?: string, env: NodeJS.ProcessEnv = {}) {
  const smtp = await startMailSandbox();
  cleanup.push(() => smtp.stop());
  const s = await startSlackSetup(tempDir(), cleanup, {
    extra: ESCALATION,
    mail: createSmtpTransport(readSmtpEnv({ ...mailSandboxEnv(smtp.port, pass), ...env })),
  });
  const threads = () =>
    s.slack
      .callsOf('chat.postMessage')
      .filter((c) => c.params.thread_ts)
      .map((c) => String(c.params.text));
  const replies = () => s.slack.callsOf('/respond').map((c) => String(c.params.text));
  return { ...s, smtp, threads, replies };
}

describe('escalation through Slack', () => {
  it('mails the primary on call from the Escalate button, and says so in the thread', async () => {
    const { slack, click, smtp, threads, replies } = await setup();
    const blocks = JSON.stringify(slack.callsOf('chat.postMessage')[0]!.params.blocks);
    expect(blocks).toContain('"action_id":"incident:escalate"');
    await slack.send('interactive', click('U0ALICE', 'incident:escalate'));
    await expect.poll(() => smtp.recipients).toEqual([['alice@example.com']]);
    expect(smtp.messages[0]!.text).toContain('escalated by Slack user U0ALICE');
    expect(smtp.messages[0]!.text).toMatch(/In Slack: https:\/\/test\.slack\.com\/archives\/C0SECURITY\/p\d+/);
    expect(replies()).toEqual(['Escalation mail queued for alice@example.com.']);
    await expect
      .poll(() => threads().join('\n'))
      .toContain(':email: Escalation mailed to `alice@example.com` (escalated by Slack user U0ALICE).');
  });

  it('mails once when the click is delivered twice and another responder presses at the same moment', async () => {
    const { slack, click, smtp, replies, threads } = await setup();
    const first = click('U0ALICE', 'incident:escalate');
    await Promise.all([
      slack.send('interactive', first, 'envelope-1'),
      slack.send('interactive', first, 'envelope-1'),
      slack.send('interactive', click('U0LEAD', 'incident:escalate')),
    ]);
    await expect.poll(() => threads().filter((t) => t.includes('Escalation mailed')).length).toBe(1);
    await expect.poll(() => replies().length).toBe(3);
    expect(replies().filter((r) => r.startsWith('Escalation mail queued'))).toHaveLength(1);
    expect(replies().filter((r) => /was escalated \d+s ago by <@U0(ALICE|LEAD)>; no second mail/.test(r))).toHaveLength(
      2,
    );
    expect(smtp.recipients).toEqual([['alice@example.com']]);
  });

  it('refuses the Escalate button to someone outside its roles', async () => {
    const { slack, click, smtp, replies, audit } = await setup();
    await slack.send('interactive', click('U0WEB', 'incident:escalate'));
    await expect
      .poll(replies)
      .toEqual([
        'You are not allowed to escalate incidents. Ask whoever runs logwarden to add you to one of these roles: responders, leads.',
      ]);
    expect(audit().at(-1)).toMatchObject({ actor: 'U0WEB', action: 'incident:escalate' });
    expect(smtp.messages).toEqual([]);
  });

  it('reports a mail server that refuses the login in the thread', async () => {
    const { slack, click, threads } = await setup('wrong-password');
    await slack.send('interactive', click('U0ALICE', 'incident:escalate'));
    await expect
      .poll(() => threads().join('\n'))
      .toMatch(
        /:x: The escalation mail to `alice@example\.com` \(escalated by Slack user U0ALICE\) could not be sent: `.*Invalid login.*EAUTH.*`\. Check SMTP_HOST/,
      );
  });

  it('never sends the login to a server without STARTTLS, and says why in the thread', async () => {
    const { slack, click, smtp, threads } = await setup(undefined, { SMTP_ALLOW_PLAINTEXT_AUTH: undefined });
    await slack.send('interactive', click('U0ALICE', 'incident:escalate'));
    await expect
      .poll(() => threads().join('\n'))
      .toMatch(/could not be sent: `the mail server offers no STARTTLS, so the login was not sent \(ETLS\)/);
    expect(smtp.logins).toEqual([]);
    expect(smtp.messages).toEqual([]);
  });

  it('reports a mail server that stays down past the last retry in the thread', async () => {
    const { slack, click, smtp, threads, audit } = await setup();
    await smtp.stop();
    await slack.send('interactive', click('U0ALICE', 'incident:escalate'));
    await expect
      .poll(() => threads().join('\n'))
      .toMatch(
        /:x: The escalation mail to `alice@example\.com` .* could not be sent: `.*ECONNREFUSED.*, 3 attempts`\./,
      );
    expect(audit().filter((a) => a.action === 'escalation:mail-failed')).toHaveLength(1);
  });

  it('says who is on call now and next with /logs oncall', async () => {
    const { slack, logs, replies } = await setup();
    await slack.send('slash_commands', logs('U0ALICE', 'oncall'));
    await expect
      .poll(() => replies().join('\n'))
      .toContain('On call now: *Alice* `alice@example.com` <@U0ALICE>, secondary *Bob* `bob@example.com`');
  });
});
