// The store contract: what every adapter of src/store/ports.ts must do, method by method. An adapter's test file
// calls describeStoreContract with a way to open a fresh store (and to reopen the same one, for restarts).
import { describe, expect, it } from 'vitest';
import type { Incident, TrackerChanges } from '../../src/core/types.js';
import { keyHashOf } from '../../src/core/types.js';
import { verifyAuditChain } from '../../src/store/audit-chain.js';
import type { CommitOptions, OutboxDraft, Store, WriteEvent } from '../../src/store/ports.js';

export interface StoreUnderTest {
  /** A new, empty store. */
  open(): Store;
  /** The same store again after close (a restart). */
  reopen(store: Store): Promise<Store>;
  /** The key its audit rows are signed with. */
  auditKey(store: Store): Buffer;
}

const T = 1_700_000_000_000;
const changes = (over: Partial<TrackerChanges> = {}): TrackerChanges => ({
  hits: [],
  cleared: [],
  incidents: [],
  events: [],
  ...over,
});

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 0,
    rule: 'ssh-brute',
    severity: 'high',
    title: 'SSH brute force from 203.0.113.7',
    key: { ip: '203.0.113.7' },
    fields: { ip: '203.0.113.7', user: 'root' },
    count: 5,
    firstSeen: T,
    lastSeen: T + 1000,
    source: 'auth',
    sample: ['line 1'],
    status: 'open',
    ...over,
  };
}

/** Commits a new incident and returns its id. */
async function open(store: Store, over: Partial<Incident> = {}, options = {}): Promise<number> {
  const created = incident(over);
  await store.commit('auth', undefined, changes({ incidents: [created] }), T, options);
  return created.id;
}

/**
 * A notifier's wants, as any might have them ("chat"): one coalescing sync of the incident's message, spaced after
 * matches, at once after a decision or an action; and a note for each decision, action and mail.
 */
function chatJobs(spacing: number): CommitOptions {
  const sync = (incidentId: number, after: number): OutboxDraft => ({
    kind: 'chat.sync',
    incidentId,
    coalesce: { spacing: after },
  });
  const note = (incidentId: number, payload: unknown): OutboxDraft => ({ kind: 'chat.note', incidentId, payload });
  return {
    jobsFor(event: WriteEvent) {
      switch (event.event) {
        case 'incident':
          return [sync(event.incident.id, spacing)];
        case 'decided':
          return [sync(event.incidentId, 0), note(event.incidentId, event.note)];
        case 'action':
          return [sync(event.note.run.incidentId, 0), note(event.note.run.incidentId, event.note)];
        case 'mail':
          return [note(event.incidentId, event.note)];
      }
    },
  };
}
const sync = chatJobs(0);
const mailFor = (incidentId: number, payload: { to: string[]; reason: string }): OutboxDraft => ({
  kind: 'email.send',
  incidentId,
  payload,
});

export function describeStoreContract(name: string, adapter: StoreUnderTest): void {
  const using = (test: (store: Store) => Promise<void>) => async () => {
    const store = adapter.open();
    try {
      await test(store);
    } finally {
      await store.close();
    }
  };

  describe(`store contract: ${name}`, () => {
    describe('commit (the unit of work of the line path) and checkpoints', () => {
      it(
        'writes a file position with the incidents it goes with, and reads it back after a restart',
        using(async (first) => {
          const created = incident();
          await first.commit(
            'auth',
            { kind: 'file', path: '/var/log/auth.log', dev: 8, ino: 42, offset: 1234 },
            changes({ incidents: [created] }),
            T,
          );
          expect(created.id).toBeGreaterThan(0);
          const again = await adapter.reopen(first);
          try {
            expect(await again.checkpoints.readOffset(8, 42)).toEqual({
              dev: 8,
              ino: 42,
              path: '/var/log/auth.log',
              offset: 1234,
            });
            expect(await again.checkpoints.readOffsetsForPath('/var/log/auth.log')).toEqual([
              { dev: 8, ino: 42, path: '/var/log/auth.log', offset: 1234 },
            ]);
            expect((await again.incidents.read(created.id))?.incident).toEqual({ ...created });
          } finally {
            await again.close();
          }
        }),
      );

      it(
        'moves a file position on, and forgets it',
        using(async (store) => {
          const at = (offset: number) => ({ kind: 'file' as const, path: '/l', dev: 1, ino: 2, offset });
          await store.commit('auth', at(10), changes(), T);
          await store.commit('auth', at(20), changes(), T + 1);
          expect((await store.checkpoints.readOffset(1, 2))?.offset).toBe(20);
          expect(await store.checkpoints.readOffset(1, 3)).toBeUndefined();
          await store.checkpoints.forgetOffset(1, 2);
          expect(await store.checkpoints.readOffset(1, 2)).toBeUndefined();
          expect(await store.checkpoints.readOffsetsForPath('/l')).toEqual([]);
        }),
      );

      it(
        'keeps a journal cursor per source',
        using(async (store) => {
          expect(await store.checkpoints.readCursor('journal')).toBeUndefined();
          await store.commit('journal', { kind: 'journal', cursor: 's=1;i=2' }, changes(), T);
          await store.commit('journal', { kind: 'journal', cursor: 's=1;i=3' }, changes(), T);
          expect(await store.checkpoints.readCursor('journal')).toBe('s=1;i=3');
          expect(await store.checkpoints.readCursor('other')).toBeUndefined();
        }),
      );

      it(
        'writes nothing of a unit of work that fails part way',
        using(async (store) => {
          const bad = incident({ severity: undefined as never });
          await expect(
            store.commit(
              'auth',
              { kind: 'file', path: '/l', dev: 1, ino: 2, offset: 99 },
              changes({ incidents: [bad] }),
              T,
            ),
          ).rejects.toThrow();
          expect(await store.checkpoints.readOffset(1, 2)).toBeUndefined();
          expect(await store.incidents.readAll()).toEqual([]);
        }),
      );

      it(
        'keeps threshold counts until cleared, dropped or expired, and reads them back',
        using(async (store) => {
          const hit = (keyHash: string, at: number, expiresAt: number) => ({ rule: 'r', keyHash, at, expiresAt });
          await store.commit(
            'auth',
            undefined,
            changes({ hits: [hit('a', T, T + 100), hit('b', T, T + 50), hit('c', T, T + 100)] }),
            T,
          );
          expect((await store.incidents.readTrackerState(T)).hits.map((h) => h.keyHash).sort()).toEqual([
            'a',
            'b',
            'c',
          ]);
          // Live at a time: expired ones are not read.
          expect((await store.incidents.readTrackerState(T + 60)).hits.map((h) => h.keyHash).sort()).toEqual([
            'a',
            'c',
          ]);
          await store.commit(
            'auth',
            undefined,
            changes({ cleared: [{ rule: 'r', keyHash: 'a' }], dropped: [{ rule: 'r', keyHash: 'c' }] }),
            T,
          );
          expect((await store.incidents.readTrackerState(T)).hits.map((h) => h.keyHash)).toEqual(['b']);
          await store.commitSweep(changes(), T + 60);
          expect((await store.incidents.readTrackerState(T)).hits).toEqual([]);
        }),
      );

      it(
        'keeps what learning detectors learned, each fact written over, and lets go of what they forgot',
        using(async (store) => {
          const fact = (value: string, lastSeen: number, count: number) => ({
            rule: 'nls',
            subject: 'alice',
            value,
            firstSeen: T,
            lastSeen,
            count,
          });
          await store.commit('auth', undefined, changes({ learned: [fact('10.0.0.0/24', T, 1), fact('b', T, 1)] }), T);
          await store.commit(
            'auth',
            undefined,
            changes({
              learned: [fact('10.0.0.0/24', T + 5, 2)],
              forgotten: [{ rule: 'nls', subject: 'alice', value: 'b' }],
            }),
            T + 5,
          );
          expect((await store.incidents.readTrackerState(T + 5)).learned).toEqual([fact('10.0.0.0/24', T + 5, 2)]);
        }),
      );

      it(
        'keeps the actions an incident offers besides its rule’s',
        using(async (store) => {
          const id = await open(store, { offers: ['block-ip'] });
          expect((await store.incidents.read(id))?.incident.offers).toEqual(['block-ip']);
          const plain = await open(store, { key: { ip: '198.51.100.1' } });
          expect((await store.incidents.read(plain))?.incident).not.toHaveProperty('offers');
        }),
      );

      it(
        "tells an address's history: its incidents since a time, newest first, and the actions that succeeded on them",
        using(async (store) => {
          const old = await open(store, { firstSeen: T - 100 * 86_400_000 });
          const first = await open(store, { rule: 'sshd' });
          const second = await open(store, { rule: 'slow-attack', firstSeen: T + 50 });
          await open(store, { key: { ip: '198.51.100.1' }, fields: { ip: '198.51.100.1' } });
          const run = await store.actionRuns.claim(
            { incidentId: first, actionId: 'block-ip', attempt: 1, actor: 'U1', approvals: 1 },
            T + 10,
          );
          await store.actionRuns.finish(run.outcome === 'run' ? run.run.id : 0, { state: 'succeeded' }, T + 20);
          const failed = await store.actionRuns.claim(
            { incidentId: second, actionId: 'lock-user', attempt: 1, actor: 'U1', approvals: 1 },
            T + 60,
          );
          await store.actionRuns.finish(failed.outcome === 'run' ? failed.run.id : 0, { state: 'failed' }, T + 70);
          const history = await store.incidents.historyOf('203.0.113.7', T - 86_400_000);
          expect(history.incidents).toEqual([
            { id: second, rule: 'slow-attack', firstSeen: T + 50 },
            { id: first, rule: 'sshd', firstSeen: T },
          ]);
          expect(history.actions).toEqual([{ action: 'block-ip', at: T + 20 }]);
          expect(history.incidents.map((i) => i.id)).not.toContain(old);
        }),
      );

      it(
        'keeps a weight with a count that stands for several matches',
        using(async (store) => {
          await store.commit(
            'auth',
            undefined,
            changes({ hits: [{ rule: 'r', keyHash: 'k', at: T, expiresAt: T + 9, weight: 4 }] }),
            T,
          );
          expect((await store.incidents.readTrackerState(T)).hits).toEqual([
            { rule: 'r', keyHash: 'k', at: T, expiresAt: T + 9, weight: 4 },
          ]);
        }),
      );
    });

    describe('incidents', () => {
      it(
        'assigns ids, updates in place with a new version, and lists open ones for the tracker',
        using(async (store) => {
          const first = incident();
          const second = incident({ key: { ip: '198.51.100.1' }, severity: 'low' });
          await store.commit('auth', undefined, changes({ incidents: [first, second] }), T);
          expect(second.id).toBeGreaterThan(first.id);
          const v1 = (await store.incidents.read(first.id))!.version;
          first.count = 9;
          first.status = 'closed';
          first.spread = { ip: { values: ['2001:db8::1'], more: 2 } };
          await store.commitSweep(changes({ incidents: [first] }), T + 5);
          const read = (await store.incidents.read(first.id))!;
          expect(read.incident).toEqual(first);
          expect(read.version).toBeGreaterThan(v1);
          expect((await store.incidents.readAll()).map((i) => i.id)).toEqual([first.id, second.id]);
          const state = await store.incidents.readTrackerState(T);
          expect(state.open).toEqual([{ incident: second, lastActivityAt: T }]);
          expect(await store.incidents.read(999_999)).toBeUndefined();
        }),
      );

      it(
        'counts open incidents by severity',
        using(async (store) => {
          await open(store);
          await open(store, { key: { ip: '2' } });
          await open(store, { key: { ip: '3' }, severity: 'critical' });
          await open(store, { key: { ip: '4' }, severity: 'low', status: 'closed' });
          const counts = await store.incidents.countOpenBySeverity();
          expect(counts.sort((a, b) => a.severity.localeCompare(b.severity))).toEqual([
            { severity: 'critical', count: 1 },
            { severity: 'high', count: 2 },
          ]);
        }),
      );

      it(
        'applies a decision once, audits every click, and queues the thread note and sync',
        using(async (store) => {
          const id = await open(store);
          expect(await store.incidents.decide('acknowledge', id, 'U1', T + 1, sync)).toBe(true);
          expect(await store.incidents.decide('acknowledge', id, 'U2', T + 2, sync)).toBe(false);
          expect((await store.incidents.read(id))!.decisions.acknowledgedBy).toEqual({ user: 'U1', at: T + 1 });
          expect(await store.incidents.decide('resolve', id, 'U2', T + 3, sync)).toBe(true);
          expect(await store.incidents.decide('snooze', id, 'U3', T + 4, { ...sync, silenceUntil: T + 100 })).toBe(
            false,
          );
          const read = (await store.incidents.read(id))!;
          expect(read.incident.status).toBe('resolved');
          expect(read.decisions).toMatchObject({ resolvedBy: { user: 'U2', at: T + 3 }, resolution: 'resolved' });
          const actions = (await store.audit.readAll()).map((r) => [r.action, r.actor]);
          expect(actions.slice(1)).toEqual([
            ['incident:acknowledge', 'U1'],
            ['incident:acknowledge', 'U2'],
            ['incident:resolve', 'U2'],
            ['incident:snooze', 'U3'],
          ]);
          const jobs = await store.outbox.readDue(T + 10, 'chat');
          expect(jobs.filter((j) => j.kind === 'chat.note').map((j) => j.payload)).toEqual([
            { decision: 'acknowledge', actor: 'U1', until: null },
            { decision: 'resolve', actor: 'U2', until: null },
          ]);
        }),
      );

      it(
        'queues nothing for chat when no chat is configured',
        using(async (store) => {
          const id = await open(store);
          await store.incidents.decide('acknowledge', id, 'U1', T + 1);
          expect(await store.outbox.readDue(T + 10, 'chat')).toEqual([]);
        }),
      );

      it(
        'silences a snoozed incident until its time, a false positive until lifted; the tracker reads both',
        using(async (store) => {
          const snoozed = await open(store);
          const wrong = await open(store, { key: { ip: '198.51.100.9' } });
          await store.incidents.decide('snooze', snoozed, 'U1', T + 1, { silenceUntil: T + 100 });
          await store.incidents.decide('false-positive', wrong, 'U1', T + 1);
          expect((await store.incidents.read(snoozed))!.decisions).toMatchObject({
            resolution: 'snoozed',
            silencedUntil: T + 100,
          });
          expect((await store.incidents.read(wrong))!.decisions.resolution).toBe('false-positive');
          const keyHash = (ip: string) => keyHashOf([ip]);
          expect((await store.incidents.readTrackerState(T + 50)).silences).toEqual([
            { rule: 'ssh-brute', keyHash: keyHash('203.0.113.7'), until: T + 100 },
            { rule: 'ssh-brute', keyHash: keyHash('198.51.100.9'), until: null },
          ]);
          expect((await store.incidents.readTrackerState(T + 200)).silences).toEqual([
            { rule: 'ssh-brute', keyHash: keyHash('198.51.100.9'), until: null },
          ]);
        }),
      );
    });

    describe('silences', () => {
      it(
        'lists those in force and lifts one once, audited',
        using(async (store) => {
          const id = await open(store);
          await store.incidents.decide('false-positive', id, 'U1', T + 1);
          const [silence] = await store.silences.readActive(T + 2);
          expect(silence).toMatchObject({
            rule: 'ssh-brute',
            key: { ip: '203.0.113.7' },
            until: null,
            reason: 'false-positive',
            createdBy: 'U1',
            createdAt: T + 1,
          });
          expect(await store.silences.lift(silence!.id, 'U2', T + 3)).toEqual({
            rule: 'ssh-brute',
            keyHash: keyHashOf(['203.0.113.7']),
            until: T + 3,
            incidentId: id,
          });
          expect(await store.silences.lift(silence!.id, 'U2', T + 4)).toBeUndefined();
          expect(await store.silences.readActive(T + 5)).toEqual([]);
          expect(
            (await store.audit.readAll()).filter((r) => r.action === 'silence:lift').map((r) => JSON.parse(r.dataJson)),
          ).toEqual([
            { silence: silence!.id, changed: true },
            { silence: silence!.id, changed: false },
          ]);
        }),
      );
    });

    describe('outbox', () => {
      it(
        'queues one coalescing job per kind and incident, spaced after the last one done, and hands jobs out by channel',
        using(async (store) => {
          const id = await open(store, {}, chatJobs(1000));
          // A second write before the first sync went: still one pending sync.
          await store.commitSweep(changes({ incidents: [{ ...incident(), id, count: 6 }] }), T + 1, chatJobs(1000));
          expect(await store.outbox.readDue(T, 'chat')).toMatchObject([
            { kind: 'chat.sync', incidentId: id, attempts: 0 },
          ]);
          expect(await store.outbox.readDue(T, 'email')).toEqual([]);
          expect(await store.outbox.readNextAt('chat')).toBe(T);
          expect(await store.outbox.readNextAt('email')).toBeUndefined();
          const [job] = await store.outbox.readDue(T, 'chat');
          await store.outbox.complete(job!.id, T + 10);
          await store.commitSweep(changes({ incidents: [{ ...incident(), id, count: 7 }] }), T + 20, chatJobs(1000));
          expect(await store.outbox.readNextAt('chat')).toBe(T + 1010);
          expect(await store.outbox.readDue(T + 1009, 'chat')).toEqual([]);
          expect(await store.outbox.readDue(T + 1010, 'chat')).toHaveLength(1);
        }),
      );

      it(
        'retries, defers a whole channel, fails for good, and reports depth and age',
        using(async (store) => {
          const id = await open(store, {}, sync);
          await store.escalations.queueManual(
            id,
            mailFor(id, { to: ['oncall@example.com'], reason: 'escalated by U1' }),
            'U1',
            T,
            0,
          );
          expect((await store.outbox.readStats()).sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
            { channel: 'chat', depth: 1, oldestAt: T },
            { channel: 'email', depth: 1, oldestAt: T },
          ]);
          const [job] = await store.outbox.readDue(T, 'chat');
          await store.outbox.retry(job!.id, T + 500, 'ratelimited');
          expect(await store.outbox.readDue(T + 499, 'chat')).toEqual([]);
          expect(await store.outbox.readDue(T + 500, 'chat')).toMatchObject([{ id: job!.id, attempts: 1 }]);
          await store.outbox.defer(T + 2000, 'chat');
          expect(await store.outbox.readNextAt('chat')).toBe(T + 2000);
          expect(await store.outbox.readNextAt('email')).toBe(T);
          // The oldest job's age counts from when it first became due, not from its retry.
          expect((await store.outbox.readStats()).find((s) => s.channel === 'chat')).toEqual({
            channel: 'chat',
            depth: 1,
            oldestAt: T,
          });
          await store.outbox.fail(job!.id, 'gave up');
          expect(await store.outbox.readDue(T + 5000, 'chat')).toEqual([]);
          expect((await store.outbox.readStats()).find((s) => s.channel === 'chat')).toBeUndefined();
        }),
      );
    });

    describe('audit', () => {
      it(
        'chains keyed rows, names the chat message of an incident, and anchors after each commit',
        using(async (store) => {
          const anchors: { line: string; rows: number }[] = [];
          store.audit.onAnchor = (line, anchor) => anchors.push({ line, rows: anchor.rows });
          const id = await open(store);
          await store.messages.write(
            'slack',
            id,
            {
              at: { channel: 'C1', ts: '1700000000.000100' },
              link: 'https://acme.slack.com/archives/C1/p1700000000000100',
              version: 1,
              notedCount: 0,
              notedAt: T,
            },
            T,
          );
          await store.messages.write('pager', id, { at: { ticket: 'P-7' }, version: 1, notedCount: 0, notedAt: T }, T);
          await store.audit.append({ at: T, actor: 'U1', action: 'note', incidentId: id, data: { a: 1 } });
          await store.audit.append({ at: T + 1, actor: 'U2', action: 'other', data: {} });
          const rows = await store.audit.readAll();
          expect(rows.map((r) => r.action).slice(1)).toEqual(['note', 'other']);
          expect(JSON.parse(rows[1]!.dataJson)).toEqual({
            a: 1,
            slack: {
              channel: 'C1',
              ts: '1700000000.000100',
              permalink: 'https://acme.slack.com/archives/C1/p1700000000000100',
            },
            pager: { ticket: 'P-7' },
          });
          const anchor = await store.audit.anchor();
          expect(anchor).toEqual({ rows: 3, last: rows[2]!.id, head: rows[2]!.hash });
          expect(verifyAuditChain(rows, adapter.auditKey(store), anchor)).toMatchObject({ ok: true });
          expect(anchors.map((a) => a.rows)).toEqual([2, 3]);
          expect(anchors[1]!.line).toBe(await store.audit.renderAnchor());
        }),
      );

      it(
        'anchors once for a write and the audit row it goes with',
        using(async (store) => {
          const id = await open(store);
          const anchors: number[] = [];
          store.audit.onAnchor = (_line, anchor) => anchors.push(anchor.rows);
          await store.incidents.decide('acknowledge', id, 'U1', T);
          expect(anchors).toEqual([2]);
        }),
      );
    });

    describe('action runs', () => {
      const click = (incidentId: number, actor = 'U1', approvals = 1) => ({
        incidentId,
        actionId: 'block-ip',
        attempt: 1,
        actor,
        approvals,
        plan: { argv: ['nft', 'add', '203.0.113.7'], values: { ip: '203.0.113.7' }, undo: ['nft', 'delete'], ttl: 600 },
      });

      it(
        'claims a click once: a repeat finds it taken, an unknown incident none',
        using(async (store) => {
          const id = await open(store);
          const first = await store.actionRuns.claim(click(id), T, sync);
          expect(first).toMatchObject({
            outcome: 'run',
            run: { incidentId: id, actionId: 'block-ip', state: 'running' },
          });
          expect(await store.actionRuns.claim(click(id, 'U2'), T + 1)).toMatchObject({ outcome: 'taken' });
          expect(await store.actionRuns.claim(click(999_999), T)).toEqual({ outcome: 'no-incident' });
          expect(await store.actionRuns.read(first.outcome === 'run' ? first.run.id : 0)).toMatchObject({
            requestedBy: 'U1',
            plan: click(id).plan,
          });
          expect((await store.actionRuns.readFor(id, 'block-ip', 1))?.state).toBe('running');
          expect(await store.actionRuns.readFor(id, 'block-ip', 2)).toBeUndefined();
          expect((await store.audit.readAll()).map((r) => r.action).filter((a) => a.startsWith('action:'))).toEqual([
            'action:run',
            'action:taken',
          ]);
        }),
      );

      it(
        'needs a second person when two approvals are asked',
        using(async (store) => {
          const id = await open(store);
          expect(await store.actionRuns.claim(click(id, 'U1', 2), T, sync)).toMatchObject({
            outcome: 'requested',
            run: { state: 'awaiting-approval' },
          });
          expect(await store.actionRuns.claim(click(id, 'U1', 2), T + 1)).toMatchObject({ outcome: 'same-person' });
          expect(await store.actionRuns.claim(click(id, 'U2', 2), T + 2)).toMatchObject({
            outcome: 'run',
            run: { state: 'running', approvedBy: 'U2' },
          });
          const notes = (await store.outbox.readDue(T + 5, 'chat')).filter((j) => j.kind === 'chat.note');
          expect(notes.map((j) => j.payload)).toMatchObject([{ kind: 'action', event: 'requested', actor: 'U1' }]);
        }),
      );

      it(
        'records how a run ended, offers its undo when due, and takes the undo once',
        using(async (store) => {
          const id = await open(store);
          const claim = await store.actionRuns.claim(click(id), T);
          const runId = claim.outcome === 'run' ? claim.run.id : 0;
          const finished = await store.actionRuns.finish(
            runId,
            {
              state: 'succeeded',
              argv: ['nft', 'add'],
              exitCode: 0,
              durationMs: 12,
              outputHash: 'h',
              output: 'ok',
              undo: { at: T + 600 },
            },
            T + 1,
            sync,
          );
          expect(finished).toMatchObject({
            state: 'succeeded',
            exitCode: 0,
            undoState: 'available',
            undoAt: T + 600,
            finishedAt: T + 1,
          });
          expect((await store.incidents.read(id))!.decisions.actions).toMatchObject([
            { id: runId, state: 'succeeded' },
          ]);
          expect(await store.actionRuns.readNextUndoAt()).toBe(T + 600);
          expect(await store.actionRuns.readDueUndos(T + 599)).toEqual([]);
          expect((await store.actionRuns.readDueUndos(T + 600)).map((r) => r.id)).toEqual([runId]);
          expect(await store.actionRuns.claimUndo(runId, 'U2', T + 2)).toBe(true);
          expect(await store.actionRuns.claimUndo(runId, 'U3', T + 2)).toBe(false);
          const failed = await store.actionRuns.finishUndo(
            runId,
            { ok: false, exitCode: 1, detail: 'no such rule' },
            T + 3,
            sync,
          );
          // A failed undo stays available for a person to retry, but not by the ttl again.
          expect(failed).toMatchObject({ undoState: 'available', undoExitCode: 1, undoDetail: 'no such rule' });
          expect(await store.actionRuns.readNextUndoAt()).toBeUndefined();
          expect(await store.actionRuns.claimUndo(runId, 'U2', T + 4)).toBe(true);
          expect(await store.actionRuns.finishUndo(runId, { ok: true, exitCode: 0 }, T + 5)).toMatchObject({
            undoState: 'done',
          });
          const events = (await store.outbox.readDue(T + 10, 'chat'))
            .filter((j) => j.kind === 'chat.note')
            .map((j) => (j.payload as { event: string }).event);
          expect(events).toEqual(['finished', 'undo-failed']);
        }),
      );

      it(
        'after a crash, marks a running command interrupted (its undo on offer) and frees a running undo',
        using(async (store) => {
          const id = await open(store);
          const a = await store.actionRuns.claim(click(id), T);
          const b = await store.actionRuns.claim({ ...click(id), actionId: 'lock-user', plan: undefined as never }, T);
          const bId = b.outcome === 'run' ? b.run.id : 0;
          await store.actionRuns.finish(bId, { state: 'succeeded', undo: {} }, T);
          await store.actionRuns.claimUndo(bId, 'U1', T);
          const recovered = await store.actionRuns.recover(T + 10, sync);
          expect(recovered.map((r) => r.id)).toEqual([a.outcome === 'run' ? a.run.id : 0, bId]);
          expect(recovered[0]).toMatchObject({ state: 'interrupted', undoState: 'available', undoAt: T + 610 });
          expect(recovered[1]).toMatchObject({
            state: 'succeeded',
            undoState: 'available',
            undoDetail: 'interrupted by a restart',
          });
          expect(await store.actionRuns.recover(T + 20)).toEqual([]);
        }),
      );
    });

    describe('escalations', () => {
      it(
        'starts with a new incident of an escalated severity, steps once, and queues its mails',
        using(async (store) => {
          const id = await open(store, {}, { escalate: { high: 60_000 } });
          await open(store, { key: { ip: '2' }, severity: 'low' }, { escalate: { high: 60_000 } });
          expect(await store.escalations.readDue(T + 59_999)).toEqual([]);
          const [row] = await store.escalations.readDue(T + 60_000);
          expect(row).toEqual({ incidentId: id, severity: 'high', startedAt: T, step: 0, nextAt: T + 60_000 });
          const mails = [mailFor(id, { to: ['a@example.com'], reason: 'level 1' })];
          expect(
            await store.escalations.advance({ incidentId: id, step: 0, nextAt: T + 120_000, mails }, T + 60_000),
          ).toBe(true);
          expect(
            await store.escalations.advance({ incidentId: id, step: 0, nextAt: T + 120_000, mails }, T + 60_000),
          ).toBe(false);
          expect(await store.outbox.readDue(T + 60_000, 'email')).toMatchObject([
            { kind: 'email.send', incidentId: id, payload: mails[0]!.payload },
          ]);
          expect(await store.escalations.readDue(T + 120_000)).toMatchObject([{ incidentId: id, step: 1 }]);
          expect(
            await store.escalations.advance({ incidentId: id, step: 1, nextAt: null, mails: [] }, T + 120_000),
          ).toBe(true);
          expect(await store.escalations.readDue(T + 10_000_000)).toEqual([]);
          // The audit row says whom each step mailed, and why.
          const step = (await store.audit.readAll()).find((r) => r.action === 'escalation:step')!;
          expect(JSON.parse(step.dataJson)).toMatchObject({
            step: 0,
            mails: [{ to: ['a@example.com'], reason: 'level 1' }],
          });
        }),
      );

      it(
        'stops when asked, or when a person decides, audited once',
        using(async (store) => {
          const a = await open(store, {}, { escalate: { high: 1 } });
          const b = await open(store, { key: { ip: '2' } }, { escalate: { high: 1 } });
          await store.escalations.stop(a, 'closed', T + 1);
          await store.escalations.stop(a, 'closed', T + 2);
          await store.incidents.decide('acknowledge', b, 'U1', T + 1);
          expect(await store.escalations.readDue(T + 10)).toEqual([]);
          expect((await store.audit.readAll()).filter((r) => r.action === 'escalation:stopped')).toHaveLength(1);
        }),
      );

      it(
        'queues a manual escalation once within its quiet time, and records how each mail ended',
        using(async (store) => {
          const id = await open(store);
          const mail = mailFor(id, { to: ['oncall@example.com'], reason: 'escalated by U1' });
          expect(await store.escalations.queueManual(id, mail, 'U1', T, 60_000)).toBeUndefined();
          expect(await store.escalations.queueManual(id, mail, 'U2', T + 1, 60_000)).toEqual({ actor: 'U1', at: T });
          expect(await store.escalations.queueManual(id, mail, 'U2', T + 60_000, 60_000)).toBeUndefined();
          const jobs = await store.outbox.readDue(T + 60_000, 'email');
          expect(jobs).toHaveLength(2);
          await store.escalations.finishMail(jobs[0]!, {}, T + 60_001, sync);
          await store.escalations.finishMail(jobs[1]!, { error: 'mailbox unavailable' }, T + 60_002, sync);
          expect(await store.outbox.readDue(T + 70_000, 'email')).toEqual([]);
          expect((await store.outbox.readDue(T + 70_000, 'chat')).map((j) => j.payload)).toEqual([
            { kind: 'mail', to: ['oncall@example.com'], reason: 'escalated by U1' },
            { kind: 'mail', to: ['oncall@example.com'], reason: 'escalated by U1', error: 'mailbox unavailable' },
          ]);
          expect((await store.audit.readAll()).map((r) => r.action).filter((a) => a.startsWith('escalation:'))).toEqual(
            ['escalation:queued', 'escalation:queued', 'escalation:mail-sent', 'escalation:mail-failed'],
          );
        }),
      );
    });

    describe('messages', () => {
      it(
        "keeps each notifier's message about an incident, apart from the others'",
        using(async (store) => {
          const id = await open(store);
          expect(await store.messages.read('chat', id)).toBeUndefined();
          const ref = { at: { channel: 'C1', ts: '1.2' }, version: 1, notedCount: 5, notedAt: T };
          await store.messages.write('chat', id, ref, T);
          const linked = { ...ref, link: 'https://chat.example/C1/1.2', version: 2, notedCount: 7, notedAt: T + 5 };
          await store.messages.write('chat', id, linked, T + 5);
          expect(await store.messages.read('chat', id)).toEqual(linked);
          expect(await store.messages.read('pager', id)).toBeUndefined();
          await store.messages.write('pager', id, { ...ref, at: { ticket: 'P-1' } }, T);
          expect(await store.messages.read('pager', id)).toEqual({ ...ref, at: { ticket: 'P-1' } });
          expect(await store.messages.read('chat', id)).toEqual(linked);
        }),
      );
    });

    describe('health', () => {
      it(
        'takes a write when asked if it can',
        using(async (store) => {
          await expect(store.checkWritable(T)).resolves.toBeUndefined();
        }),
      );
    });
  });
}
