// Response actions without Slack, on an injected clock: ttl undo that survives a restart, a crash while a command
// ran, dry runs, and the hostile-capture corpus reaching real executables' argv — never, unless it passes its type.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { addIncident as addIncidentTo } from '../helpers/add-incident.js';
import { createFakeCommands } from '../helpers/fake-commands.js';
import { HOSTILE_CAPTURES } from '../helpers/hostile-text.js';
import { type RunningLogwarden, startLogwarden } from '../helpers/start-logwarden.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const HOUR = 3_600_000;

function setup(options: { dryRun?: boolean } = {}) {
  const dir = tempDir();
  const fakes = createFakeCommands(dir, ['block', 'unblock', 'echo-user']);
  const loaded = parseConfig(
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(join(dir, 'auth.log'))} }]
rules:
  - id: ssh-fail
    source: auth
    pattern: 'Failed password for (?<user>\\S+) from (?<ip>\\S+) port'
    fields: { user: user, ip: ip }
    actions: [block-ip, who]
  - { id: other, source: auth, pattern: 'other (?<ip>\\S+)', fields: { ip: ip } }
actions:
  - { id: block-ip, command: [block, '{ip}'], undo: [unblock, '{ip}'], ttl: 24h }
  - { id: who, command: [echo-user, --, '{user}'] }
commands: { env: [PATH] }
`,
    'responder.yml',
  );
  let now = Date.UTC(2026, 10, 24, 12);
  const clock = () => now;
  const open: RunningLogwarden[] = [];
  const start = async () => {
    const running = await startLogwarden(loaded, {
      clock,
      env: fakes.env,
      ...(options.dryRun ? { dryRun: true } : {}),
    });
    open.push(running);
    return running;
  };
  const addIncident = (store: SqliteStore, fields: Record<string, string>, rule = 'ssh-fail') =>
    addIncidentTo(store, rule, fields, now);
  return {
    fakes,
    start,
    addIncident,
    advance: (ms: number) => {
      now += ms;
    },
    stopAll: async () => {
      for (const r of open.splice(0)) await r.stop();
    },
  };
}

describe('response actions on an injected clock', () => {
  it('undoes when the ttl passes, once, even across a restart in the middle of it', async () => {
    const t = setup();
    const first = await t.start();
    const id = await t.addIncident(first.store, { ip: '203.0.113.7', user: 'root' });
    expect(await first.app.respond({ incidentId: id, actionId: 'block-ip', attempt: 1, actor: 'U0ALICE' })).toBe(
      undefined,
    );
    expect(await first.store.actionRuns.readFor(id, 'block-ip', 1)).toMatchObject({
      state: 'succeeded',
      exitCode: 0,
      undoState: 'available',
      undoAt: Date.UTC(2026, 10, 25, 12),
    });
    t.advance(23 * HOUR);
    await first.app.undoDue();
    expect(t.fakes.calls().map((c) => c.name)).toEqual(['block']);
    await t.stopAll();

    t.advance(2 * HOUR);
    const second = await t.start();
    await second.app.undoDue();
    await second.app.undoDue();
    expect(t.fakes.calls().map((c) => [c.name, c.args])).toEqual([
      ['block', ['203.0.113.7']],
      ['unblock', ['203.0.113.7']],
    ]);
    expect(await second.store.actionRuns.readFor(id, 'block-ip', 1)).toMatchObject({
      undoState: 'done',
      undoBy: 'logwarden',
    });
    await t.stopAll();
  });

  it('marks a run a crash interrupted, and never runs it again by itself', async () => {
    const t = setup();
    const first = await t.start();
    const id = await t.addIncident(first.store, { ip: '203.0.113.7', user: 'root' });
    // The claim is committed, then the process dies before the command's result is recorded.
    await first.store.actionRuns.claim(
      { incidentId: id, actionId: 'block-ip', attempt: 1, actor: 'U0ALICE', approvals: 1 },
      0,
    );
    await t.stopAll();
    const second = await t.start();
    expect(await second.store.actionRuns.readFor(id, 'block-ip', 1)).toMatchObject({ state: 'interrupted' });
    expect(await second.app.respond({ incidentId: id, actionId: 'block-ip', attempt: 1, actor: 'U0ALICE' })).toMatch(
      /was already run for this incident \(attempt 1\)\. Use Run again/,
    );
    expect(t.fakes.calls()).toEqual([]);
    expect((await second.store.audit.readAll()).map((r) => r.action)).toContain('action:interrupted');
    await t.stopAll();
  });

  it('records what a dry run would run, and runs nothing', async () => {
    const t = setup({ dryRun: true });
    const { app, store } = await t.start();
    const id = await t.addIncident(store, { ip: '203.0.113.7', user: 'root' });
    await app.respond({ incidentId: id, actionId: 'block-ip', attempt: 1, actor: 'U0ALICE' });
    expect(await store.actionRuns.readFor(id, 'block-ip', 1)).toMatchObject({
      state: 'dry-run',
      argv: ['block', '203.0.113.7'],
    });
    expect(t.fakes.calls()).toEqual([]);
    await t.stopAll();
  });

  it('refuses an action its incident’s rule does not offer', async () => {
    const t = setup();
    const { app, store } = await t.start();
    const id = await t.addIncident(store, { ip: '203.0.113.7' }, 'other');
    expect(await app.respond({ incidentId: id, actionId: 'block-ip', attempt: 1, actor: 'U0ALICE' })).toBe(
      'The action block-ip is not offered for this incident. Nothing was done.',
    );
    expect(t.fakes.calls()).toEqual([]);
    await t.stopAll();
  });

  it(`never starts a command with a hostile capture (${HOSTILE_CAPTURES.length} of them); a valid one arrives as one argv element`, async () => {
    const t = setup();
    const { app, store } = await t.start();
    for (const value of HOSTILE_CAPTURES) {
      const id = await t.addIncident(store, { ip: value, user: value });
      const ip = await app.respond({ incidentId: id, actionId: 'block-ip', attempt: 1, actor: 'U0ALICE' });
      expect(ip).toMatch(
        /^block-ip: ip is not an IPv4 or IPv6 address \(without a zone id\), so the command was not run\.$/,
      );
      const user = await app.respond({ incidentId: id, actionId: 'who', attempt: 1, actor: 'U0ALICE' });
      if (user !== undefined) expect(user).toMatch(/^who: user is not a local login name/);
    }
    // Values the user type lets through are plain login names, each one whole argv element after "--".
    for (const call of t.fakes.calls()) {
      expect(call.name).toBe('echo-user');
      expect(call.args).toHaveLength(2);
      expect(call.args[1]).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/);
    }
    expect(t.fakes.calls().some((c) => c.name === 'block')).toBe(false);
    const ok = await t.addIncident(store, { ip: '2001:db8::7', user: 'mallory' });
    await app.respond({ incidentId: ok, actionId: 'block-ip', attempt: 1, actor: 'U0ALICE' });
    expect(t.fakes.calls().at(-1)).toMatchObject({ name: 'block', args: ['2001:db8::7'] });
    await t.stopAll();
  }, 120_000);
});
