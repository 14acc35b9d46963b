// Rows as SQLite holds them, and the domain objects they are read into.
import type {
  ActionPlan,
  ActionRun,
  ActionRunState,
  HostRun,
  Incident,
  Severity,
  UndoState,
} from '../../core/types.js';

export interface IncidentRow {
  id: number;
  rule: string;
  key_json: string;
  severity: string;
  title: string;
  fields_json: string;
  count: number;
  first_seen: number;
  last_seen: number;
  last_activity_at: number;
  source: string;
  sample_json: string;
  status: string;
  spread_json?: string | null;
  offers_json?: string | null;
  acknowledged_by?: string | null;
  acknowledged_at?: number | null;
  resolved_by?: string | null;
  resolved_at?: number | null;
  resolution?: string | null;
}

export interface ActionRunRow {
  id: number;
  incident_id: number;
  action_id: string;
  attempt: number;
  state: ActionRunState;
  requested_by: string;
  requested_at: number;
  approved_by: string | null;
  argv_json: string | null;
  exit_code: number | null;
  duration_ms: number | null;
  output_hash: string | null;
  output: string | null;
  verified: number | null;
  detail: string | null;
  finished_at: number | null;
  undo_state: UndoState | null;
  undo_at: number | null;
  undo_by: string | null;
  undo_exit_code: number | null;
  undo_detail: string | null;
  plan_json: string | null;
}

export function incidentFromRow(row: IncidentRow): Incident {
  return {
    id: row.id,
    rule: row.rule,
    severity: row.severity as Severity,
    title: row.title,
    key: JSON.parse(row.key_json),
    fields: JSON.parse(row.fields_json),
    count: row.count,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    source: row.source,
    sample: JSON.parse(row.sample_json),
    status: row.status as Incident['status'],
    ...(row.spread_json ? { spread: JSON.parse(row.spread_json) } : {}),
    ...(row.offers_json ? { offers: JSON.parse(row.offers_json) } : {}),
  };
}

export interface HostRunRow {
  run_id: number;
  host: string;
  state: HostRun['state'];
  tries: number;
  argv_json: string | null;
  exit_code: number | null;
  duration_ms: number | null;
  output_hash: string | null;
  output: string | null;
  verified: number | null;
  detail: string | null;
  finished_at: number | null;
  undo_state: UndoState | null;
  undo_at: number | null;
  undo_by: string | null;
  undo_exit_code: number | null;
  undo_detail: string | null;
}

/** The columns a run and a fleet run's host share: how it ended and its undo. */
type OutcomeColumns = Omit<HostRunRow, 'run_id' | 'host' | 'state' | 'tries'>;

/** How a run (or one host of it) ended and its undo, without the columns it has none of. */
function outcomeOf(row: OutcomeColumns) {
  const optional = {
    argv: row.argv_json === null ? null : (JSON.parse(row.argv_json) as string[]),
    exitCode: row.exit_code,
    durationMs: row.duration_ms,
    outputHash: row.output_hash,
    output: row.output,
    verified: row.verified === null ? null : row.verified === 1,
    detail: row.detail,
    finishedAt: row.finished_at,
    undoState: row.undo_state,
    undoAt: row.undo_at,
    undoBy: row.undo_by,
    undoExitCode: row.undo_exit_code,
    undoDetail: row.undo_detail,
  };
  return Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null));
}

export function hostRunFromRow(row: HostRunRow): HostRun {
  return { host: row.host, state: row.state, tries: row.tries, ...outcomeOf(row) };
}

/**
 * A fleet run's state and undo state are its hosts' together: running while one runs (a retry), succeeded once every
 * host has; its undo available while one host's is (the earliest ttl first).
 */
export function withHosts(run: ActionRun, hosts: readonly HostRun[]): ActionRun {
  if (hosts.length === 0) return run;
  const { undoState: _u, undoAt: _a, ...rest } = run;
  const joined: ActionRun = { ...rest, hosts: [...hosts] };
  if (run.state === 'succeeded' || run.state === 'failed' || run.state === 'running' || run.state === 'interrupted') {
    const targets = run.plan?.targets?.length ?? hosts.length;
    joined.state = hosts.some((h) => h.state === 'running')
      ? 'running'
      : hosts.length >= targets && hosts.every((h) => h.state === 'succeeded' || h.state === 'dry-run')
        ? 'succeeded'
        : hosts.some((h) => h.state === 'interrupted')
          ? 'interrupted'
          : run.state === 'running'
            ? 'running'
            : 'failed';
  }
  const undo = (state: UndoState) => hosts.filter((h) => h.undoState === state);
  const undoState = (['running', 'available', 'done'] as const).find((state) => undo(state).length > 0);
  if (undoState) joined.undoState = undoState;
  const due = undo('available').flatMap((h) => (h.undoAt === undefined ? [] : [h.undoAt]));
  if (undoState === 'available' && due.length > 0) joined.undoAt = Math.min(...due);
  return joined;
}

export function actionRunFromRow(row: ActionRunRow): ActionRun {
  return {
    id: row.id,
    incidentId: row.incident_id,
    actionId: row.action_id,
    attempt: row.attempt,
    state: row.state,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    ...(row.approved_by === null ? {} : { approvedBy: row.approved_by }),
    ...(row.plan_json === null ? {} : { plan: JSON.parse(row.plan_json) as ActionPlan }),
    ...outcomeOf(row),
  };
}
