// The hosts of fleet runs: each (run, host) taken once, its outcome, its undo and ttl, each step with its audit row;
// what a restart interrupted made safe. The runs themselves are action-runs.ts's.
import type { ActionPlan, HostOutcome, HostRun, UndoOutcome } from '../../core/types.js';
import type { SqliteAudit } from './audit.js';
import type { SqliteDatabase } from './database.js';
import { type HostRunRow, hostRunFromRow } from './rows.js';

export class SqliteHostRuns {
  private readonly statements;
  private readonly database: SqliteDatabase;
  private readonly audit: SqliteAudit;

  constructor(database: SqliteDatabase, audit: SqliteAudit) {
    this.database = database;
    this.audit = audit;
    const { db } = database;
    this.statements = {
      run: db.prepare<
        [number],
        { incident_id: number; action_id: string; approved_by: string | null; requested_by: string }
      >('SELECT incident_id, action_id, approved_by, requested_by FROM action_runs WHERE id = ?'),
      hostsOf: db.prepare<[number], HostRunRow>('SELECT * FROM action_host_runs WHERE run_id = ? ORDER BY rowid'),
      insertHost: db.prepare(
        "INSERT INTO action_host_runs (run_id, host, state) VALUES (?, ?, 'running') ON CONFLICT DO NOTHING",
      ),
      // Only a host that failed (or was refused) is tried again; one that ran, or may have, never is.
      retryHost: db.prepare(
        `UPDATE action_host_runs SET state = 'running', tries = tries + 1, detail = NULL, exit_code = NULL
         WHERE run_id = ? AND host = ? AND state IN ('failed', 'refused')`,
      ),
      finishHost: db.prepare(
        `UPDATE action_host_runs SET state = @state, argv_json = @argv_json, exit_code = @exit_code,
           duration_ms = @duration_ms, output_hash = @output_hash, output = @output, verified = @verified,
           detail = @detail, finished_at = @finished_at,
           undo_state = COALESCE(@undo_state, undo_state),
           undo_at = CASE WHEN @undo_state IS NULL THEN undo_at ELSE @undo_at END
         WHERE run_id = @run_id AND host = @host AND state = 'running'`,
      ),
      claimHostUndo: db.prepare(
        `UPDATE action_host_runs SET undo_state = 'running', undo_by = ?
         WHERE run_id = ? AND host = ? AND undo_state = 'available'`,
      ),
      finishHostUndo: db.prepare(
        `UPDATE action_host_runs SET undo_state = ?, undo_at = NULL, undo_exit_code = ?, undo_detail = ?
         WHERE run_id = ? AND host = ? AND undo_state = 'running'`,
      ),
      dueHostUndos: db.prepare<[number], { run_id: number; host: string }>(
        "SELECT run_id, host FROM action_host_runs WHERE undo_state = 'available' AND undo_at <= ? ORDER BY undo_at",
      ),
      nextHostUndoAt: db.prepare<[], { at: number | null }>(
        "SELECT min(undo_at) AS at FROM action_host_runs WHERE undo_state = 'available'",
      ),
      interruptedHosts: db.prepare<[], HostRunRow>(
        "SELECT * FROM action_host_runs WHERE state = 'running' OR undo_state = 'running' ORDER BY run_id, rowid",
      ),
      interruptHost: db.prepare(
        `UPDATE action_host_runs SET state = 'interrupted', finished_at = @now, detail = @detail,
           undo_state = CASE WHEN @undo THEN 'available' ELSE undo_state END,
           undo_at = CASE WHEN @undo THEN @undo_at ELSE undo_at END
         WHERE run_id = @run_id AND host = @host AND state = 'running'`,
      ),
      interruptHostUndo: db.prepare(
        `UPDATE action_host_runs SET undo_state = 'available', undo_detail = ?
         WHERE run_id = ? AND host = ? AND undo_state = 'running'`,
      ),
    };
  }

  /** A run's hosts, in the order they were taken. */
  of(runId: number): HostRun[] {
    return this.statements.hostsOf.all(runId).map(hostRunFromRow);
  }

  nextUndoAt(): number | undefined {
    return this.statements.nextHostUndoAt.get()?.at ?? undefined;
  }

  claim(runId: number, host: string, retry: boolean, actor: string, now: number): boolean {
    let claimed = false;
    this.database.transaction(() => {
      claimed = (retry ? this.statements.retryHost : this.statements.insertHost).run(runId, host).changes === 1;
      const run = this.statements.run.get(runId);
      this.audit.appendNow({
        at: now,
        actor,
        action: claimed ? (retry ? 'action:host-retry' : 'action:host-run') : 'action:host-taken',
        ...(run ? { incidentId: run.incident_id } : {}),
        data: { run: runId, action: run?.action_id, host },
      });
    });
    return claimed;
  }

  finish(runId: number, host: string, outcome: HostOutcome, now: number): void {
    this.database.transaction(() => {
      this.statements.finishHost.run({
        run_id: runId,
        host,
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
      const run = this.statements.run.get(runId);
      const { output: _output, ...recorded } = outcome;
      this.audit.appendNow({
        at: now,
        actor: run?.approved_by ?? run?.requested_by ?? 'logwarden',
        action: `action:host-${outcome.state}`,
        ...(run ? { incidentId: run.incident_id } : {}),
        data: { run: runId, action: run?.action_id, host, ...recorded },
      });
    });
  }

  claimUndo(runId: number, host: string, actor: string, now: number): boolean {
    let claimed = false;
    this.database.transaction(() => {
      claimed = this.statements.claimHostUndo.run(actor, runId, host).changes === 1;
      const run = this.statements.run.get(runId);
      this.audit.appendNow({
        at: now,
        actor,
        action: claimed ? 'action:undo' : 'action:undo-taken',
        ...(run ? { incidentId: run.incident_id } : {}),
        data: { run: runId, action: run?.action_id, host },
      });
    });
    return claimed;
  }

  finishUndo(runId: number, host: string, result: UndoOutcome, now: number): void {
    this.database.transaction(() => {
      // A failed undo stays available for a person to retry; the ttl does not loop on it.
      this.statements.finishHostUndo.run(
        result.ok ? 'done' : 'available',
        result.exitCode ?? null,
        result.detail ?? null,
        runId,
        host,
      );
      const run = this.statements.run.get(runId);
      this.audit.appendNow({
        at: now,
        actor: 'logwarden',
        action: result.ok ? 'action:undone' : 'action:undo-failed',
        ...(run ? { incidentId: run.incident_id } : {}),
        data: { run: runId, action: run?.action_id, host, ...result },
      });
    });
  }

  due(now: number): { runId: number; host: string }[] {
    return this.statements.dueHostUndos.all(now).map((r) => ({ runId: r.run_id, host: r.host }));
  }

  /**
   * Inside the caller's transaction: hosts that were running become interrupted (undo kept, with the run's ttl),
   * running undos available again. Returns the rows it changed, to audit and tell.
   */
  recover(now: number, planOf: (runId: number) => ActionPlan | undefined): HostRunRow[] {
    const rows = this.statements.interruptedHosts.all();
    for (const row of rows) {
      const plan = planOf(row.run_id);
      if (row.state === 'running') {
        this.statements.interruptHost.run({
          run_id: row.run_id,
          host: row.host,
          now,
          detail: 'logwarden stopped while it ran; its outcome is unknown',
          undo: plan?.undo ? 1 : 0,
          undo_at: plan?.undo && plan.ttl !== undefined ? now + plan.ttl : null,
        });
      }
      if (row.undo_state === 'running') {
        this.statements.interruptHostUndo.run('interrupted by a restart', row.run_id, row.host);
      }
    }
    return rows;
  }
}
