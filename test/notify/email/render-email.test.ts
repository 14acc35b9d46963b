// The escalation mail is built from attacker-written log text: the subject stays one clean header line, the HTML
// stays text, and the facts a responder needs are all there.
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/core/types.js';
import { escapeHtml, renderEscalationEmail, toHeaderLine } from '../../../src/notify/email/render-email.js';
import { HOSTILE, HOSTILE_CAPTURES } from '../../helpers/hostile-text.js';

const AT = Date.UTC(2026, 10, 24, 12);

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 7,
  rule: 'sshd',
  severity: 'critical',
  title: 'SSH brute force from 203.0.113.7',
  key: { ip: '203.0.113.7' },
  fields: { ip: '203.0.113.7', user: 'root', pid: '42' },
  count: 12,
  firstSeen: AT,
  lastSeen: AT + 60_000,
  source: 'auth',
  sample: ['Nov 24 12:00:00 web1 sshd[42]: Failed password for root from 203.0.113.7 port 22 ssh2'],
  status: 'open',
  ...over,
});

const render = (over: Partial<Incident> = {}, permalink?: string) =>
  renderEscalationEmail({
    incident: incident(over),
    decisions: {
      actions: [
        {
          id: 1,
          incidentId: 7,
          actionId: 'block-ip',
          attempt: 1,
          state: 'failed',
          requestedBy: 'U0ALICE',
          requestedAt: AT,
          argv: ['block', '203.0.113.7'],
          exitCode: 3,
        },
      ],
    },
    reason: 'nobody acknowledged it within 15m',
    labelOf: (id) => (id === 'block-ip' ? 'Block IP' : id),
    ...(permalink ? { permalink } : {}),
  });

describe('renderEscalationEmail', () => {
  it('says what happened, what was done, and where to answer', () => {
    const mail = render({}, 'https://acme.slack.com/archives/C1/p1795000000000001');
    expect(mail.subject).toBe('[logwarden] CRITICAL: SSH brute force from 203.0.113.7 (incident #7)');
    expect(mail.text).toContain('logwarden escalates incident #7 to you: nobody acknowledged it within 15m.');
    expect(mail.text).toContain('Count: 12');
    expect(mail.text).toContain('First seen: 2026-11-24T12:00:00Z');
    expect(mail.text).toContain('user: root');
    expect(mail.text).not.toContain('pid:');
    expect(mail.text).toContain('- Block IP: failed (exit 3), requested by Slack user U0ALICE: block 203.0.113.7');
    expect(mail.text).toContain('  Nov 24 12:00:00 web1 sshd[42]: Failed password for root');
    expect(mail.text).toContain('In Slack: https://acme.slack.com/archives/C1/p1795000000000001');
    expect(mail.html).toContain('<a href="https://acme.slack.com/archives/C1/p1795000000000001">');
    expect(render().text).toContain('The incident has no Slack message yet.');
  });

  it.each([...HOSTILE, ...HOSTILE_CAPTURES].map((text, i) => ({ i, text })))(
    'keeps hostile text #$i out of the headers and the markup',
    ({ text }) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not appear.
      const controls = /[\r\n\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: as above, for the body, where \n and \t are fine.
      const bodyControls = /[\r\u0000-\u0008\u000b-\u001f\u007f]/;
      const mail = render({ title: `x ${text}`, fields: { user: text }, sample: [text] });
      expect(mail.subject).not.toMatch(controls);
      expect(mail.subject.length).toBeLessThanOrEqual(200);
      expect(mail.html).not.toMatch(/<(?!\/?(?:html|body|p|h2|h3|table|tr|th|td|ul|li|pre|a)\b|!doctype)/i);
      expect(mail.text).not.toMatch(bodyControls);
    },
  );
});

describe('toHeaderLine and escapeHtml', () => {
  it('folds a line break and a forged header into one harmless line', () => {
    expect(toHeaderLine('hi\r\nBcc: victim@example.com\r\n\r\nbody')).toBe('hi Bcc: victim@example.com body');
    expect(toHeaderLine('a'.repeat(300))).toHaveLength(200);
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;',
    );
  });

  it('drops what hides or reorders text, as Slack messages do (one policy, core/text.ts)', () => {
    const hidden = 'ad\u200bmin \u202eelif\u202c \u00adroot\u{e0041}\u{e0042} \u001b[31mred\u001b[0m \u061c\ufeffok';
    expect(toHeaderLine(hidden)).toBe('admin elif root red ok');
    expect(render({ sample: [hidden] }).text).toContain('admin elif root red ok');
  });
});
