// Returning attackers through the real pipeline, store and Slack: an address that had an incident before comes back
// under another rule, and its message says so, one severity higher, its timed block offered for twice as long; an
// address on the operator's blocklist is marked, and the blocklist is read again when it changes.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/actions/confirmed-values.js';
import { formatSyslogTime } from '../../src/sandbox/attack-generator.js';
import { createFakeCommands } from '../helpers/fake-commands.js';
import { startSlackSetup } from '../helpers/slack-setup.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const line = (text: string) => `${formatSyslogTime(new Date())} web1 ${text}\n`;

describe('returning attackers in Slack', () => {
  it('marks an address seen before or blocklisted: severity, history, a longer block; a changed blocklist is read again', async () => {
    const dir = tempDir();
    const blocklist = join(dir, 'bad.netset');
    writeFileSync(blocklist, '# known bad\n198.51.100.0/24\n');
    const s = await startSlackSetup(dir, cleanup, {
      rules: `rules:
  - { use: sshd, source: auth, threshold: { count: 1 }, actions: [block-ip] }
  - id: preauth-close
    source: auth
    program: sshd
    pattern: 'Connection closed by (?<ip>[0-9.]+) port \\d+ \\[preauth\\]$'
    fields: { ip: ip }
    threshold: { count: 1, by: [ip] }
    title: 'closed before auth by {ip}'
    severity: low
    actions: [block-ip]`,
      extra: `incidents: { blocklists: [${JSON.stringify(blocklist)}] }
actions:
  - { id: block-ip, command: [block, '{ip}'], undo: [unblock, '{ip}'], ttl: 1h, roles: [responders] }
`,
    });
    const tops = () => s.slack.callsOf('chat.postMessage').filter((c) => !c.params.thread_ts);
    const textOf = (c: { params: Record<string, unknown> }) => `${c.params.text} ${JSON.stringify(c.params.blocks)}`;
    // The setup's incident was about 203.0.113.7 (sshd); it comes back under another rule.
    appendFileSync(s.log, line('sshd[77]: Connection closed by 203.0.113.7 port 40022 [preauth]'));
    await expect.poll(() => tops().length).toBe(2);
    const back = textOf(tops()[1]!);
    expect(back).toContain('closed before auth by 203.0.113.7 (returning: 1 earlier)');
    // low → medium
    expect(back).toContain('MEDIUM');
    expect(back).toMatch(/1 earlier incident in 90d \(sshd\), the last \d+m ago/);
    expect(back).toContain('It is undone by itself after 2h (1 earlier incidents: longer each time).');
    // A new address on the blocklist: high → critical, with where it is listed.
    appendFileSync(s.log, line('sshd[78]: Failed password for root from 198.51.100.9 port 40100 ssh2'));
    await expect.poll(() => tops().length).toBe(3);
    expect(textOf(tops()[2]!)).toContain('(returning: blocklisted)');
    expect(textOf(tops()[2]!)).toContain(`listed in ${blocklist}`);
    expect(textOf(tops()[2]!)).toContain('CRITICAL');
    // The list changes (update-ipsets replaces it): 192.0.2.0/24 is bad now.
    writeFileSync(blocklist, '192.0.2.0/24\n');
    await expect
      .poll(async () => {
        appendFileSync(s.log, line(`sshd[79]: Failed password for root from 192.0.2.${tops().length} port 40100 ssh2`));
        await new Promise<void>((r) => setImmediate(r));
        return tops().some(
          (c) => textOf(c).includes('from 192.0.2.') && textOf(c).includes('(returning: blocklisted)'),
        );
      })
      .toBe(true);
  });

  it('offers on an address that comes back under another rule the action that ran on it before, and runs it', async () => {
    const dir = tempDir();
    const fakes = createFakeCommands(dir, ['block', 'unblock']);
    const s = await startSlackSetup(dir, cleanup, {
      env: fakes.env,
      rules: `rules:
  - { use: sshd, source: auth, threshold: { count: 1 }, actions: [block-ip] }
  - id: preauth-close
    source: auth
    program: sshd
    pattern: 'Connection closed by (?<ip>[0-9.]+) port \\d+ \\[preauth\\]$'
    fields: { ip: ip }
    threshold: { count: 1, by: [ip] }`,
      extra: `actions:
  - { id: block-ip, label: Block IP, command: [block, '{ip}'], undo: [unblock, '{ip}'], roles: [responders] }
commands: { env: [PATH] }
`,
    });
    const value = (incident: number) => `${incident}:1:r:${fingerprintOf({ ip: '203.0.113.7' })}`;
    // The setup's incident (#1, sshd) about 203.0.113.7: blocked.
    await s.slack.send('interactive', s.click('U0ALICE', 'action:block-ip', value(1)));
    await expect.poll(() => fakes.calls().map((c) => [c.name, ...c.args])).toEqual([['block', '203.0.113.7']]);
    await expect.poll(async () => (await s.store.incidents.read(1))?.decisions.actions?.[0]?.state).toBe('succeeded');
    // It comes back under a rule that offers nothing: its message offers the block that ran on it.
    appendFileSync(s.log, line('sshd[77]: Connection closed by 203.0.113.7 port 40022 [preauth]'));
    const tops = () => s.slack.callsOf('chat.postMessage').filter((c) => !c.params.thread_ts);
    await expect.poll(() => tops().length).toBe(2);
    const back = JSON.stringify(tops()[1]!.params.blocks);
    expect(back).toContain('"action_id":"action:block-ip"');
    expect(back).toContain('block-ip ran, the last');
    await s.slack.send('interactive', s.click('U0ALICE', 'action:block-ip', value(2)));
    await expect
      .poll(() => fakes.calls().map((c) => [c.name, ...c.args]))
      .toEqual([
        ['block', '203.0.113.7'],
        ['block', '203.0.113.7'],
      ]);
    // Another address, never acted on, under that rule is offered nothing.
    appendFileSync(s.log, line('sshd[78]: Connection closed by 198.51.100.4 port 40022 [preauth]'));
    await expect.poll(() => tops().length).toBe(3);
    expect(JSON.stringify(tops()[2]!.params.blocks)).not.toContain('action:block-ip');
  });
});
