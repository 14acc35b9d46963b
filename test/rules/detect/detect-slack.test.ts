// success-after-failures through the real pipeline, store and Slack (the loopback workspace, the real Bolt app): the
// login after the failures is one critical message that says how many failures and over how long, offering the
// containment buttons; the failures it counts survive a restart in the store.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { IncidentEvent } from '../../../src/core/types.js';
import { formatSyslogTime } from '../../../src/sandbox/attack-generator.js';
import { runCli } from '../../helpers/run-cli.js';
import { startSlackSetup } from '../../helpers/slack-setup.js';
import { startLogwarden } from '../../helpers/start-logwarden.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const line = (text: string) => `${formatSyslogTime(new Date())} web1 ${text}\n`;
const failed = (pid: number) => line(`sshd[${pid}]: Failed password for root from 203.0.113.7 port 40022 ssh2`);
const accepted = line(
  'sshd[99]: Accepted publickey for alice from 203.0.113.7 port 40100 ssh2: ED25519 SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE',
);

describe('success-after-failures in Slack', () => {
  it('posts the login after the failures as its own critical message, with the containment buttons', async () => {
    const s = await startSlackSetup(tempDir(), cleanup, {
      rules: `rules:
  - { use: sshd, source: auth, threshold: { count: 1 } }
  - { detect: success-after-failures, source: auth, actions: [block-ip, lock-user] }`,
      extra: `actions:
  - { id: block-ip, command: [block, '{ip}'], roles: [responders] }
  - { id: lock-user, preset: lock-user, roles: [responders] }
`,
    });
    // The setup's own failed login (from 203.0.113.7) is the first of five.
    appendFileSync(s.log, [101, 102, 103, 104].map(failed).join(''));
    appendFileSync(s.log, accepted);
    await expect.poll(() => s.slack.callsOf('chat.postMessage').filter((c) => !c.params.thread_ts).length).toBe(2);
    const posted = s.slack.callsOf('chat.postMessage').filter((c) => !c.params.thread_ts)[1]!;
    const text = `${posted.params.text} ${JSON.stringify(posted.params.blocks)}`;
    expect(text).toMatch(/alice logged in from 203\.0\.113\.7 after 5 failures in \d+s/);
    expect(text).toContain('CRITICAL');
    expect(text).toContain('Accepted publickey for alice');
    // Both containment actions are offered, each filled from the login's own typed fields.
    expect(text).toContain('"value":"2:1:r:');
    expect(JSON.stringify(posted.params.blocks).match(/"action_id":"action:(block-ip|lock-user)"/g)).toHaveLength(2);
    const opened = s.events.filter((e) => e.event === 'opened').map((e) => e.incident.rule);
    expect(opened).toEqual(['sshd', 'success-after-failures']);
  });

  it('remembers the failures across a restart: the login after it still speaks', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(log)} }]
rules: [{ use: sshd, source: auth }, { detect: success-after-failures, source: auth }]
tail: { pollInterval: 50ms }
`,
      'restart.yml',
    );
    const events: IncidentEvent[] = [];
    const first = await startLogwarden(loaded, { clock: Date.now, onEvent: (e) => events.push(e) });
    appendFileSync(log, [1, 2, 3, 4, 5].map(failed).join(''));
    await expect.poll(() => events.filter((e) => e.incident.rule === 'sshd').length).toBe(1);
    await first.stop();
    const second = await startLogwarden(loaded, { clock: Date.now, onEvent: (e) => events.push(e) });
    cleanup.push(() => second.stop());
    appendFileSync(log, accepted);
    await expect
      .poll(() => events.filter((e) => e.event === 'opened' && e.incident.rule === 'success-after-failures'))
      .toMatchObject([{ incident: { severity: 'critical', count: 5, fields: { user: 'alice', failures: '5' } } }]);
  });

  it('is described by check, and a misspelt detector is named with the ones there are (exit 2)', async () => {
    const dir = tempDir();
    const config = (detector: string) =>
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }\nsources: [{ id: auth, path: /var/log/auth.log }]\nrules: [{ use: sshd, source: auth }, { detect: ${detector}, source: auth, threshold: { count: 3 } }]\n`;
    writeFileSync(join(dir, 'good.yml'), config('success-after-failures'));
    writeFileSync(join(dir, 'bad.yml'), config('success-after-failure'));
    const good = await runCli(['check', '-c', join(dir, 'good.yml')]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(
      'success-after-failures  critical, auth.success after 3 auth.failure within 10m by ip, 1 pattern on messages of sshd',
    );
    const bad = await runCli(['check', '-c', join(dir, 'bad.yml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'bad.yml:3:40 rules[1].detect: "success-after-failure" must name a detector: success-after-failures, new-login-source, new-login-host, unusual-time, new-sudo-command, spike, distributed-attack, slow-attack, source-quiet, fleet-attack.',
    );
  });
});
