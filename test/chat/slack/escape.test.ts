import { describe, expect, it } from 'vitest';
import { escapeCodeBlock, escapeMrkdwn, escapePlainText } from '../../../src/chat/slack/escape.js';
import { cut, stripControls } from '../../../src/core/text.js';
import type { Incident } from '../../../src/core/types.js';
import { renderIncidentMessage } from '../../../src/notify/slack/render-incident.js';
import { HOSTILE } from '../../helpers/hostile-text.js';

function incidentWith(text: string): Incident {
  return {
    id: 7,
    rule: 'sshd',
    severity: 'high',
    title: `SSH brute force from ${text}`,
    key: { ip: text },
    fields: { ip: text, user: text },
    count: 3,
    firstSeen: Date.parse('2026-11-23T10:00:00Z'),
    lastSeen: Date.parse('2026-11-23T10:05:00Z'),
    source: 'auth',
    sample: [text, `sshd[1]: Failed password for ${text}`],
    status: 'open',
  };
}

describe('escapeMrkdwn', () => {
  it.each(HOSTILE)('leaves nothing Slack would act on in %#', (text) => {
    const out = escapeMrkdwn(text);
    expect(out).not.toMatch(/[<>]/);
    expect(out).not.toMatch(/@(channel|here|everyone)\b/i);
    expect(out).not.toMatch(/[a-z]+:\/\//i);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out.length).toBeLessThanOrEqual(3000 * 5);
  });

  it('escapes the three characters Slack asks for', () => {
    expect(escapeMrkdwn('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
  });
});

describe('escapeCodeBlock', () => {
  it('cannot close the block it is in', () => {
    expect(escapeCodeBlock('a ``` b')).not.toContain('`');
  });
});

describe('stripControls and cut', () => {
  it('removes ANSI sequences and controls, keeps text', () => {
    expect(stripControls('a\u001b[1;31mb\u001b[0m\u0000c\u202Ed\te')).toBe('abcd e');
  });

  it('cuts with an ellipsis and never splits a surrogate pair', () => {
    expect(cut('abcdef', 4)).toBe('abc…');
    expect(cut('ab😀cd', 4)).toBe('ab…');
  });

  it('keeps plain text plain', () => {
    expect(escapePlainText('HIGH · SSH brute force from 203.0.113.7', 150)).toBe(
      'HIGH · SSH brute force from 203.0.113.7',
    );
  });
});

describe('renderIncidentMessage', () => {
  it('renders an incident as header, status, fields, samples and buttons', () => {
    const incident = incidentWith('203.0.113.7');
    expect(renderIncidentMessage(incident)).toMatchSnapshot();
  });

  it('names the host the sample lines come from', () => {
    const incident = { ...incidentWith('203.0.113.7'), sample: ['Nov 23 10:00:00 web1 sshd[1]: Failed password'] };
    expect(JSON.stringify(renderIncidentMessage(incident).blocks)).toContain('*Source*\\n`auth · web1`');
  });

  it('shows who acknowledged and drops the Acknowledge button', () => {
    const message = renderIncidentMessage(incidentWith('203.0.113.7'), {
      acknowledgedBy: { user: 'U123', at: Date.parse('2026-11-23T12:03:00Z') },
    });
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('acknowledged by <@U123> <!date^1795435380^');
    expect(json).not.toContain('incident:acknowledge');
  });

  it.each(HOSTILE)('keeps hostile log text inert and within limits (%#)', (text) => {
    const message = renderIncidentMessage(incidentWith(text));
    // Mentions and links only ever come from us: dates and nothing else.
    const json = JSON.stringify(message);
    const specials = [...json.matchAll(/<([^>]*)>/g)].map((m) => m[1]!);
    expect(specials.every((s) => s.startsWith('!date^'))).toBe(true);
    expect(json).not.toMatch(/@(channel|here|everyone)\b/i);
    expect(json).not.toMatch(/\\u00(0[0-8bcef]|1[0-9a-f])|\\u001b/);
    const header = message.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    for (const block of message.blocks) {
      const b = block as { text?: { text: string }; fields?: { text: string }[] };
      if (b.text && block.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(3000);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
      if (b.text?.text.startsWith('```')) expect(b.text.text.slice(3, -3)).not.toContain('`');
    }
    expect(message.text.length).toBeLessThanOrEqual(3000 * 5);
  });
});

describe('renderIncidentMessage, fields', () => {
  const base = {
    id: 9,
    rule: 'sshd',
    severity: 'high' as const,
    title: 'SSH brute force from 2001:db8:7:1::/64',
    key: { ip: '2001:db8:7:1::/64' },
    fields: { ip: '2001:db8:7:1::9' },
    count: 12,
    firstSeen: 0,
    lastSeen: 1,
    source: 'auth',
    sample: [],
    status: 'open' as const,
  };
  const block = { id: 'block-ip', label: 'Block IP', approvals: 1, fields: ['ip'] };
  const lock = { id: 'lock-user', label: 'Lock user', approvals: 1, fields: ['user'] };

  it('lists the addresses behind a prefix', () => {
    const message = renderIncidentMessage({
      ...base,
      spread: { ip: { values: ['2001:db8:7:1::9', '2001:db8:7:1::a'], more: 10 } },
    });
    expect(JSON.stringify(message.blocks)).toContain('*ip seen*\\n`2001:db8:7:1::9` `2001:db8:7:1::a` and 10 more');
  });

  it('offers only the actions whose fields the incident has', () => {
    const message = renderIncidentMessage(base, {}, [block, lock]);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('action:block-ip');
    expect(text).not.toContain('action:lock-user');
  });
});
