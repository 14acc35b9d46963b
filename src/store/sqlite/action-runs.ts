// Response action runs: a click claimed once (two people or a redelivered click start one run), the outcome and its
// undo recorded with their audit rows, and what a crash interrupted made safe on the next start.
import type {
  ActionClaim,
  ActionNote,
  ActionOutcome,
  ActionPlan,
  ActionRun,
  HostOutcome,
  UndoOutcome,
} from '../../core/types.js';
import type { ActionClaimRequest, ActionRunRepository, CommitOptions } from '../ports.js';
import type { SqliteAudit } from './audit.js';
import type { SqliteDatabase } from './database.js';
import { SqliteHostRuns } from './host-runs.js';
import type { OutboxQueue } from './outbox.js';
import { type ActionRunRow, actionRunFromRow, withHosts } from './rows.js';

export class SqliteActionRuns implements ActionRunRepository {
  private readonly statements;
  private readonly database: SqliteDatabase;
  private readonly audit: SqliteAudit;
  private readonly queue: OutboxQueue;
  private readonly hosts: SqliteHostRuns;

  constructor(database: SqliteDatabase, audit: SqliteAudit, queue: OutboxQueue) {
    this.database = database;
    this.audit = audit;
    this.queue = queue;
    this.hosts = new SqliteHostRuns(database, audit);
    const { db } = database;
    this.statements = {
      incidentExists: db.prepare<[number], { id: number }>('SELECT id FROM incidents WHERE id = ?'),
      actionRun: db.prepare<[number, string, number], ActionRunRow>(
        'SELECT * FROM action_runs WHERE incident_id = ? AND action_id = ? AND attempt = ?',
      ),
      actionRunById: db.prepare<[number], ActionRunRow>('SELECT * FROM action_runs WHERE id = ?'),
      latestActionRuns: db.prepare<[number], ActionRunRow>(
        `SELECT * FROM action_runs r WHERE incident_id = ? AND attempt =
           (SELECT max(attempt) FROM action_runs WHERE incident_id = r.incident_id AND action_id = r.action_id)
         ORDER BY id`,
      ),
      insertActionRun: db.prepare(
        `INSERT INTO action_runs (incident_id, action_id, attempt, state, requested_by, requested_at, plan_json)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      approveActionRun: db.prepare(
        `UPDATE action_runs SET state = 'running', approved_by = ?
         WHERE id = ? AND state = 'awaiting-approval' AND requested_by != ?`,
      ),
      finishActionRun: db.prepare(
        `UPDATE action_runs SET state = @state, argv_json = @argv_json, exit_code = @exit_code,
           duration_ms = @duration_ms, output_hash = @output_hash, output = @output, verified = @verified,
           detail = @detail, finished_at = @finished_at, undo_state = @undo_state, undo_at = @undo_at
         WHERE id = @id AND state = 'running'`,
      ),
      claimUndo: db.prepare(
        "UPDATE action_runs SET undo_state = 'running', undo_by = ? WHERE id = ? AND undo_state = 'available'",
      ),
      finishUndo: db.prepare(
        `UPDATE action_runs SET undo_state = ?, undo_at = NULL, undo_exit_code = ?, undo_detail = ?
         WHERE id = ? AND undo_state = 'running'`,
      ),
      dueUndos: db.prepare<[number], ActionRunRow>(
        "SELECT * FROM action_runs WHERE undo_state = 'available' AND undo_at <= ? ORDER BY undo_at",
      ),
      nextUndoAt: db.prepare<[], { at: number | null }>(
        "SELECT min(undo_at) AS at FROM action_runs WHERE undo_state = 'available'",
      ),
      interruptedRuns: db.prepare<[], ActionRunRow>(
        "SELECT * FROM action_runs WHERE state = 'running' OR undo_state = 'running' ORDER BY id",
      ),
      // An interrupted command may have taken effect: its undo (the safe direction) stays on offer, with its ttl.
      interruptRun: db.prepare(
        `UPDATE action_runs SET state = 'interrupted', finished_at = @now, detail = @detail,
           undo_state = CASE WHEN @undo THEN 'available' ELSE undo_state END,
           undo_at = CASE WHEN @undo THEN @undo_at ELSE undo_at END
         WHERE id = @id AND state = 'running'`,
      ),
      interruptUndo: db.prepare(
        "UPDATE action_runs SET undo_state = 'available', undo_detail = ? WHERE id = ? AND undo_state = 'running'",
      ),
    };
  }

  async claim(click: ActionClaimRequest, now: number, options: CommitOptions = {}): Promise<ActionClaim> {
    const { incidentId, actionId, attempt, actor } = click;
    let claim: ActionClaim = { outcome: 'no-incident' };
    this.database.transaction(() => {
      if (!this.statements.incidentExists.get(incidentId)) return;
      const existing = this.statements.actionRun.get(incidentId, actionId, attempt);
      if (!existing) {
        const state = click.approvals > 1 ? 'awaiting-approval' : 'running';
        const id = Number(
          this.statements.insertActionRun.run(
            incidentId,
            actionId,
            attempt,
            state,
            actor,
            now,
            click.plan ? JSON.stringify(click.plan) : null,
          ).lastInsertRowid,
        );
        claim = { outcome: state === 'running' ? 'run' : 'requested', run: this.readById(id) };
      } else if (existing.state === 'awaiting-approval') {
        const approved = this.statements.approveActionRun.run(actor, existing.id, actor).changes === 1;
        claim = { outcome: approved ? 'run' : 'same-person', run: this.readById(existing.id) };
      } else {
        claim = { outcome: 'taken', run: this.joined(existing) };
      }
      const outcome = claim.outcome;
      this.audit.appendNow({
        at: now,
        actor,
        action: `action:${outcome}`,
        incidentId,
        data: { action: actionId, attempt },
      });
      if (outcome === 'requested') this.note(options, claim.run, 'requested', actor, now);
    });
    return claim;
  }

  async finish(runId: number, outcome: ActionOutcome, now: number, options: CommitOptions = {}): Promise<ActionRun> {
    let run: ActionRun | undefined;
    this.database.transaction(() => {
      this.statements.finishActionRun.run({
        id: runId,
        state: outcome.state,
        argv_json: outcome.argv ? JSON.stringify(outcome.argv) : null,
        exit_code: outcome.exitCode ?? null,
        duration_ms: outcome.durationMs ?? null,
        output_hash: outcome.outputHash ?? null,
        output: outcome.output ?? null,
        verified: outcome.verified === undefined ? null : Number(outcome.verified),
        detail: outcome.detail ?? null,
        finished_at: now,
        undo_state: outcome.undo ? 'available' : null,
        undo_at: outcome.undo?.at ?? null,
      });
      run = this.readById(runId);
      const { output: _output, ...recorded } = run;
      this.audit.appendNow({
        at: now,
        actor: run.approvedBy ?? run.requestedBy,
        action: `action:${outcome.state}`,
        incidentId: run.incidentId,
        data: recorded,
      });
      this.note(options, run, 'finished', run.approvedBy ?? run.requestedBy, now);
    });
    return run!;
  }

  async claimUndo(runId: number, actor: string, now: number): Promise<boolean> {
    let claimed = false;
    this.database.transaction(() => {
      claimed = this.statements.claimUndo.run(actor, runId).changes === 1;
      const run = this.statements.actionRunById.get(runId);
      this.audit.appendNow({
        at: now,
        actor,
        action: claimed ? 'action:undo' : 'action:undo-taken',
        ...(run ? { incidentId: run.incident_id } : {}),
        data: { run: runId, action: run?.action_id },
      });
    });
    return claimed;
  }

  async finishUndo(runId: number, result: UndoOutcome, now: number, options: CommitOptions = {}): Promise<ActionRun> {
    let run: ActionRun | undefined;
    this.database.transaction(() => {
      // A failed undo stays available for a person to retry; the ttl does not loop on it.
      const state = result.ok ? 'done' : 'available';
      this.statements.finishUndo.run(state, result.exitCode ?? null, result.detail ?? null, runId);
      run = this.readById(runId);
      this.audit.appendNow({
        at: now,
        actor: run.undoBy ?? 'logwarden',
        action: result.ok ? 'action:undone' : 'action:undo-failed',
        incidentId: run.incidentId,
        data: { run: runId, action: run.actionId, ...result },
      });
      this.note(options, run, result.ok ? 'undone' : 'undo-failed', run.undoBy ?? 'logwarden', now);
    });
    return run!;
  }

  async readDueUndos(now: number): Promise<ActionRun[]> {
    return this.statements.dueUndos.all(now).map((row) => this.joined(row));
  }

  async readNextUndoAt(): Promise<number | undefined> {
    const times = [this.statements.nextUndoAt.get()?.at, this.hosts.nextUndoAt()];
    const due = times.filter((t): t is number => typeof t === 'number');
    return due.length > 0 ? Math.min(...due) : undefined;
  }

  async recover(now: number, options: CommitOptions = {}): Promise<ActionRun[]> {
    const found: ActionRun[] = [];
    this.database.transaction(() => {
      for (const row of this.statements.interruptedRuns.all()) {
        if (row.state === 'running') {
          const plan = row.plan_json === null ? undefined : (JSON.parse(row.plan_json) as ActionPlan);
          this.statements.interruptRun.run({
            id: row.id,
            now,
            detail: 'logwarden stopped while it ran; its outcome is unknown',
            // A fleet run's undo is its hosts' (below), each with its own ttl.
            undo: plan?.undo && !plan.targets ? 1 : 0,
            undo_at: plan?.undo && !plan.targets && plan.ttl !== undefined ? now + plan.ttl : null,
          });
        }
        if (row.undo_state === 'running') this.statements.interruptUndo.run('interrupted by a restart', row.id);
        const run = this.readById(row.id);
        this.audit.appendNow({
          at: now,
          actor: 'logwarden',
          action: 'action:interrupted',
          incidentId: run.incidentId,
          data: { run: run.id, action: run.actionId },
        });
        this.note(options, run, 'interrupted', 'logwarden', now);
        found.push(run);
      }
      // A fleet run's host that was running may have taken effect there: its undo stays on offer, with its ttl.
      for (const row of this.hosts.recover(now, (runId) => this.planOf(runId))) {
        const run = this.readById(row.run_id);
        this.audit.appendNow({
          at: now,
          actor: 'logwarden',
          action: 'action:interrupted',
          incidentId: run.incidentId,
          data: { run: run.id, action: run.actionId, host: row.host },
        });
        if (!found.some((f) => f.id === run.id)) {
          this.note(options, run, 'interrupted', 'logwarden', now);
          found.push(run);
        }
      }
    });
    return found;
  }

  claimHost(runId: number, host: string, retry: boolean, actor: string, now: number): Promise<boolean> {
    return Promise.resolve(this.hosts.claim(runId, host, retry, actor, now));
  }

  finishHost(runId: number, host: string, outcome: HostOutcome, now: number): Promise<void> {
    return Promise.resolve(this.hosts.finish(runId, host, outcome, now));
  }

  claimHostUndo(runId: number, host: string, actor: string, now: number): Promise<boolean> {
    return Promise.resolve(this.hosts.claimUndo(runId, host, actor, now));
  }

  finishHostUndo(runId: number, host: string, result: UndoOutcome, now: number): Promise<void> {
    return Promise.resolve(this.hosts.finishUndo(runId, host, result, now));
  }

  async readDueHostUndos(now: number): Promise<{ runId: number; host: string }[]> {
    return this.hosts.due(now);
  }

  /** A chat note on a fleet run after its hosts moved on (a retry, an undo): a snapshot of the run as it is now. */
  async noteRun(
    runId: number,
    event: ActionNote['event'],
    actor: string,
    now: number,
    options: CommitOptions = {},
  ): Promise<ActionRun> {
    let run: ActionRun | undefined;
    this.database.transaction(() => {
      run = this.readById(runId);
      this.note(options, run, event, actor, now);
    });
    return run!;
  }

  private planOf(runId: number): ActionPlan | undefined {
    const json = this.statements.actionRunById.get(runId)?.plan_json;
    return json ? (JSON.parse(json) as ActionPlan) : undefined;
  }

  async read(runId: number): Promise<ActionRun | undefined> {
    const row = this.statements.actionRunById.get(runId);
    return row ? this.joined(row) : undefined;
  }

  async readFor(incidentId: number, actionId: string, attempt: number): Promise<ActionRun | undefined> {
    const row = this.statements.actionRun.get(incidentId, actionId, attempt);
    return row ? this.joined(row) : undefined;
  }

  /** The latest attempt of each action on an incident, for its message. */
  readLatestOf(incidentId: number): ActionRun[] {
    return this.statements.latestActionRuns.all(incidentId).map((row) => this.joined(row));
  }

  private readById(id: number): ActionRun {
    return this.joined(this.statements.actionRunById.get(id)!);
  }

  private joined(row: ActionRunRow): ActionRun {
    return withHosts(actionRunFromRow(row), this.hosts.of(row.id));
  }

  private note(options: CommitOptions, run: ActionRun, event: ActionNote['event'], actor: string, now: number): void {
    this.queue.notify(options, { event: 'action', note: { kind: 'action', event, actor, run } }, now);
  }
}
