// Everything logwarden must not forget, in one SQLite file (WAL): where each source was read up to, the incidents and
// threshold counts those lines produced — committed together, so a crash never splits them — and the audit log.
import Database from 'better-sqlite3';
import { StoreFailedError } from '../core/errors.js';
import { renderSlackPermalink } from '../core/slack-permalink.js';
import type {
  ActionNote,
  ActionPlan,
  ActionRun,
  ActionRunState,
  Incident,
  IncidentDecisions,
  Severity,
  SourcePosition,
} from '../core/types.js';
import type { Hit, TrackerChanges, TrackerState } from '../incidents/incident-tracker.js';
import { keyHashOf } from '../incidents/incident-tracker.js';
import {
  AUDIT_KEYED,
  AUDIT_ROW_COLUMNS,
  type AuditAnchor,
  type AuditRow,
  macAuditRow,
  renderAnchor,
} from './audit-chain.js';
import { MIGRATIONS } from './migrations.js';
import { auditKeyFile, loadAuditKey, prepareStoreFiles } from './store-files.js';

const SLACK_WORKSPACE_URL = 'slack.workspaceUrl';

export interface StoredOffset {
  dev: number;
  ino: number;
  path: string;
  offset: number;
}

/** Slack writes and mails waiting in the durable outbox. */
export interface OutboxJob {
  id: number;
  /**
   * slack.sync: make the incident's message current; slack.note: tell its thread something; email.send: mail an
   * escalation.
   */
  kind: 'slack.sync' | 'slack.note' | 'email.send';
  incidentId: number;
  attempts: number;
  note?: ThreadNote;
  email?: EmailJob;
}

/** The workers that take jobs from the outbox. */
export type OutboxChannel = 'slack' | 'email';

/** An escalation mail to send: to whom and why; its body is rendered when it is sent, so it is current. */
export interface EmailJob {
  to: string[];
  /** "level 1 of the critical policy", "escalated by <user>". */
  reason: string;
}

/** The thread reply about an escalation mail. */
export interface MailNote {
  kind: 'mail';
  to: string[];
  reason: string;
  error?: string;
}

/** A thread reply waiting in the outbox: a person's decision, what a response action did, or a mail. */
export type ThreadNote = DecisionNote | ActionNote | MailNote;

export interface EscalationRow {
  incidentId: number;
  severity: Severity;
  startedAt: number;
  step: number;
  nextAt: number;
}

/** Who decided what, for the thread; rendered by the Slack side. */
export interface DecisionNote {
  decision: Decision;
  actor: string;
  until: number | null;
}

export interface SlackMessageRef {
  channel: string;
  ts: string;
  version: number;
  /** The count the thread last heard of, and when. */
  notedCount: number;
  notedAt: number;
}

export interface CommitOptions {
  /** Queue a Slack sync for every incident written, at most one update per incident per this many ms. */
  slackSync?: { minInterval: number };
  /** Start escalating each new incident of these severities, its first step this many ms after it opens. */
  escalate?: Partial<Record<Severity, number>>;
}

export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  incidentId?: number;
  data: Record<string, unknown>;
}

export type Decision = 'acknowledge' | 'resolve' | 'snooze' | 'false-positive';

/** What a click on a response action's button came to. */
export type ActionClaim =
  | { outcome: 'run'; run: ActionRun }
  | { outcome: 'requested'; run: ActionRun }
  | { outcome: 'same-person'; run: ActionRun }
  | { outcome: 'taken'; run: ActionRun }
  | { outcome: 'no-incident' };

/** How a run ended, to record: the result fields of an ActionRun, and whether (and when) it can be undone. */
export type ActionOutcome = Pick<
  ActionRun,
  'argv' | 'exitCode' | 'durationMs' | 'outputHash' | 'output' | 'verified' | 'detail'
> & {
  state: Extract<ActionRunState, 'succeeded' | 'failed' | 'refused' | 'dry-run' | 'interrupted'>;
  /** The run can be undone (and by itself at undoAt, when set). */
  undo?: { at?: number };
};

interface ActionRunRow {
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
  undo_state: ActionRun['undoState'] | null;
  undo_at: number | null;
  undo_by: string | null;
  undo_exit_code: number | null;
  undo_detail: string | null;
  plan_json: string | null;
}

/** Matches of a rule and key that open no incident, until a time or until lifted (until null). */
export interface Silence {
  rule: string;
  keyHash: string;
  until: number | null;
}

export interface SilenceRow extends Silence {
  id: number;
  key: Record<string, string>;
  reason: 'snooze' | 'false-positive';
  createdBy: string;
  createdAt: number;
}

interface IncidentRow {
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
  acknowledged_by?: string | null;
  acknowledged_at?: number | null;
  resolved_by?: string | null;
  resolved_at?: number | null;
  resolution?: string | null;
}

/** The schema version from which every store has a keyed audit chain (it came with migration 11, plan_json). */
const KEYED_AUDIT_SCHEMA = 11;

export interface StoreOptions {
  /** LOGWARDEN_AUDIT_KEY, when set. */
  auditKey?: string;
}

export class SqliteStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly auditKey: Buffer;
  private auditChanged = false;
  /** Called with the chain's anchor line after every commit that added audit rows (to keep it outside the store). */
  onAnchor?: (line: string, anchor: AuditAnchor) => void;

  constructor(path: string, options: StoreOptions = {}) {
    this.path = path;
    try {
      if (path !== ':memory:') prepareStoreFiles(path);
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.migrate();
    } catch (error) {
      throw new StoreFailedError(
        path,
        `${(error as Error).message}. Check that the directory is writable, or set store.path in the config`,
        { cause: error },
      );
    }
    try {
      this.auditKey = loadAuditKey(path, options.auditKey);
    } catch (error) {
      this.db.close();
      throw new StoreFailedError(path, (error as Error).message, { cause: error });
    }
    const db = this.db;
    this.statements = {
      offsetByIdentity: db.prepare<[number, number], StoredOffset>(
        'SELECT dev, ino, path, offset FROM offsets WHERE dev = ? AND ino = ?',
      ),
      upsertOffset: db.prepare(
        `INSERT INTO offsets (dev, ino, source_id, path, offset, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (dev, ino) DO UPDATE SET source_id = excluded.source_id, path = excluded.path,
           offset = excluded.offset, updated_at = excluded.updated_at`,
      ),
      deleteOffset: db.prepare('DELETE FROM offsets WHERE dev = ? AND ino = ?'),
      offsetsByPath: db.prepare<[string], StoredOffset>('SELECT dev, ino, path, offset FROM offsets WHERE path = ?'),
      cursor: db.prepare<[string], { cursor: string }>('SELECT cursor FROM cursors WHERE source_id = ?'),
      upsertCursor: db.prepare(
        `INSERT INTO cursors (source_id, cursor, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (source_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
      ),
      insertIncident: db.prepare(
        `INSERT INTO incidents (rule, key_hash, key_json, severity, title, fields_json, count, first_seen, last_seen,
           last_activity_at, source, sample_json, status, spread_json)
         VALUES (@rule, @key_hash, @key_json, @severity, @title, @fields_json, @count, @first_seen, @last_seen,
           @last_activity_at, @source, @sample_json, @status, @spread_json)`,
      ),
      updateIncident: db.prepare(
        `UPDATE incidents SET title = @title, fields_json = @fields_json, count = @count, last_seen = @last_seen,
           last_activity_at = @last_activity_at, sample_json = @sample_json, status = @status,
           spread_json = @spread_json, version = version + 1
         WHERE id = @id`,
      ),
      incidentById: db.prepare<[number], IncidentRow & { version: number }>('SELECT * FROM incidents WHERE id = ?'),
      acknowledge: db.prepare(
        `UPDATE incidents SET acknowledged_by = ?, acknowledged_at = ?, version = version + 1
         WHERE id = ? AND status = 'open' AND acknowledged_at IS NULL`,
      ),
      resolve: db.prepare(
        `UPDATE incidents SET status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ?,
           version = version + 1
         WHERE id = ? AND status = 'open'`,
      ),
      insertSilence: db.prepare(
        `INSERT INTO silences (rule, key_hash, key_json, until, reason, incident_id, created_by, created_at)
         SELECT rule, key_hash, key_json, ?, ?, id, ?, ? FROM incidents WHERE id = ?`,
      ),
      silenceOf: db.prepare<[number], { until: number | null }>(
        'SELECT until FROM silences WHERE incident_id = ? ORDER BY id DESC LIMIT 1',
      ),
      activeSilences: db.prepare<[number], Omit<SilenceRow, 'key'> & { key_json: string }>(
        `SELECT id, rule, key_hash AS keyHash, key_json, until, reason, created_by AS createdBy, created_at AS createdAt
         FROM silences WHERE until IS NULL OR until > ? ORDER BY id`,
      ),
      liftSilence: db.prepare('UPDATE silences SET until = ? WHERE id = ? AND (until IS NULL OR until > ?)'),
      silenceById: db.prepare<[number], Silence>('SELECT rule, key_hash AS keyHash, until FROM silences WHERE id = ?'),
      liveSilences: db.prepare<[number], Silence>(
        'SELECT rule, key_hash AS keyHash, until FROM silences WHERE until IS NULL OR until > ?',
      ),
      enqueueSync: db.prepare(
        `INSERT INTO outbox (kind, incident_id, next_attempt_at, first_due_at)
         SELECT 'slack.sync', @incident_id, due, due FROM (SELECT max(@now, coalesce(
           (SELECT updated_at + @min_interval FROM slack_messages WHERE incident_id = @incident_id), 0)) AS due) WHERE true
         ON CONFLICT (incident_id) WHERE kind = 'slack.sync' AND state = 'pending' DO NOTHING`,
      ),
      dueOutbox: db.prepare<[number, string, number], Omit<OutboxJob, 'note'> & { payloadJson: string }>(
        `SELECT id, kind, incident_id AS incidentId, attempts, payload_json AS payloadJson
         FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? AND kind LIKE ? ORDER BY id LIMIT ?`,
      ),
      enqueueNote: db.prepare(
        `INSERT INTO outbox (kind, incident_id, payload_json, next_attempt_at, first_due_at) VALUES ('slack.note', ?, ?, ?, ?)`,
      ),
      nextOutboxAt: db.prepare<[string], { at: number | null }>(
        "SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending' AND kind LIKE ?",
      ),
      enqueueEmail: db.prepare(
        `INSERT INTO outbox (kind, incident_id, payload_json, next_attempt_at, first_due_at) VALUES ('email.send', ?, ?, ?, ?)`,
      ),
      lastManualEscalation: db.prepare<[number], { actor: string; at: number }>(
        'SELECT actor, at FROM manual_escalations WHERE incident_id = ?',
      ),
      writeManualEscalation: db.prepare(
        `INSERT INTO manual_escalations (incident_id, actor, at) VALUES (?, ?, ?)
         ON CONFLICT (incident_id) DO UPDATE SET actor = excluded.actor, at = excluded.at`,
      ),
      insertEscalation: db.prepare(
        `INSERT INTO escalations (incident_id, severity, started_at, next_at, state) VALUES (?, ?, ?, ?, 'active')
         ON CONFLICT (incident_id) DO NOTHING`,
      ),
      stopEscalation: db.prepare("UPDATE escalations SET state = 'stopped' WHERE incident_id = ? AND state = 'active'"),
      dueEscalations: db.prepare<[number], EscalationRow>(
        `SELECT incident_id AS incidentId, severity, started_at AS startedAt, step, next_at AS nextAt
         FROM escalations WHERE state = 'active' AND next_at <= ? ORDER BY next_at`,
      ),
      advanceEscalation: db.prepare(
        `UPDATE escalations SET step = step + 1, next_at = ?, state = ?
         WHERE incident_id = ? AND step = ? AND state = 'active'`,
      ),
      deleteOutbox: db.prepare('DELETE FROM outbox WHERE id = ?'),
      retryOutbox: db.prepare(
        'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?',
      ),
      failOutbox: db.prepare(
        "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
      ),
      deferOutbox: db.prepare(
        "UPDATE outbox SET next_attempt_at = max(next_attempt_at, ?) WHERE state = 'pending' AND kind LIKE ?",
      ),
      readSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      openBySeverity: db.prepare<[], { severity: Severity; count: number }>(
        "SELECT severity, count(*) AS count FROM incidents WHERE status = 'open' GROUP BY severity",
      ),
      outboxStats: db.prepare<[], { channel: string; depth: number; oldestAt: number | null }>(
        `SELECT substr(kind, 1, instr(kind, '.') - 1) AS channel, count(*) AS depth, min(first_due_at) AS oldestAt
         FROM outbox WHERE state = 'pending' GROUP BY channel`,
      ),
      writeSetting: db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      slackMessage: db.prepare<[number], SlackMessageRef>(
        `SELECT channel, ts, version, noted_count AS notedCount, noted_at AS notedAt
         FROM slack_messages WHERE incident_id = ?`,
      ),
      upsertSlackMessage: db.prepare(
        `INSERT INTO slack_messages (incident_id, channel, ts, version, noted_count, noted_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident_id) DO UPDATE SET version = excluded.version, noted_count = excluded.noted_count,
           noted_at = excluded.noted_at, updated_at = excluded.updated_at`,
      ),
      openIncidents: db.prepare<[], IncidentRow>("SELECT * FROM incidents WHERE status = 'open' ORDER BY id"),
      allIncidents: db.prepare<[], IncidentRow>('SELECT * FROM incidents ORDER BY id'),
      insertHit: db.prepare('INSERT INTO hits (rule, key_hash, at, expires_at, weight) VALUES (?, ?, ?, ?, ?)'),
      clearHits: db.prepare('DELETE FROM hits WHERE rule = ? AND key_hash = ?'),
      liveHits: db.prepare<[number], Hit>(
        'SELECT rule, key_hash AS keyHash, at, expires_at AS expiresAt, weight FROM hits WHERE expires_at > ?',
      ),
      expireHits: db.prepare('DELETE FROM hits WHERE expires_at <= ?'),
      lastAudit: db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1'),
      lastAuditRow: db.prepare<[], AuditRow>(`SELECT ${AUDIT_ROW_COLUMNS} FROM audit ORDER BY id DESC LIMIT 1`),
      countAudit: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit'),
      keyedStart: db.prepare<[string], { id: number }>('SELECT id FROM audit WHERE action = ? LIMIT 1'),
      allAudit: db.prepare<[], AuditRow>(`SELECT ${AUDIT_ROW_COLUMNS} FROM audit ORDER BY id`),
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
      insertAudit: db.prepare(
        'INSERT INTO audit (at, actor, action, incident_id, data_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
    try {
      this.startKeyedChain();
    } catch (error) {
      this.db.close();
      throw new StoreFailedError(path, (error as Error).message, { cause: error });
    }
  }

  /** The schema version the file had when it was opened (0: created now). */
  private openedAt = 0;

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    this.openedAt = version;
    if (version > MIGRATIONS.length) {
      throw new Error(
        `the database is from a newer logwarden (schema ${version}, this one knows ${MIGRATIONS.length})`,
      );
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  readOffset(dev: number, ino: number): StoredOffset | undefined {
    return this.statements.offsetByIdentity.get(dev, ino);
  }

  readOffsetsForPath(path: string): StoredOffset[] {
    return this.statements.offsetsByPath.all(path);
  }

  forgetOffset(dev: number, ino: number): void {
    this.statements.deleteOffset.run(dev, ino);
  }

  readCursor(sourceId: string): string | undefined {
    return this.statements.cursor.get(sourceId)?.cursor;
  }

  /** Open incidents and live threshold counts, to carry on where the last run stopped. */
  readTrackerState(now: number): TrackerState {
    return {
      open: this.statements.openIncidents.all().map((row) => ({
        incident: incidentFromRow(row),
        lastActivityAt: row.last_activity_at,
      })),
      hits: this.statements.liveHits.all(now),
      silences: this.statements.liveSilences.all(now),
    };
  }

  readIncidents(): Incident[] {
    return this.statements.allIncidents.all().map(incidentFromRow);
  }

  /** Writes what one chunk of lines changed, and where its source resumes, in one transaction. */
  commit(
    sourceId: string,
    position: SourcePosition | undefined,
    changes: TrackerChanges,
    now: number,
    options: CommitOptions = {},
  ): void {
    this.transaction(() => {
      this.applyChanges(changes, now, options);
      if (position?.kind === 'file') {
        this.statements.upsertOffset.run(position.dev, position.ino, sourceId, position.path, position.offset, now);
      } else if (position?.kind === 'journal') {
        this.statements.upsertCursor.run(sourceId, position.cursor, now);
      }
    });
  }

  /** Writes incident changes that no source position goes with (closing after quiet), and drops expired counts. */
  commitSweep(changes: TrackerChanges, now: number, options: CommitOptions = {}): void {
    this.transaction(() => {
      this.applyChanges(changes, now, options);
      this.statements.expireHits.run(now);
    });
  }

  /**
   * Appends a hash-chained audit row: each row's hash covers the previous row's hash. A row about an incident names
   * its Slack message, with a permalink once the workspace is known, so the record leads back to the conversation.
   */
  appendAudit(entry: AuditEntry): void {
    this.transaction(() => {
      const prev = this.statements.lastAudit.get()?.hash ?? '';
      const message = entry.incidentId === undefined ? undefined : this.statements.slackMessage.get(entry.incidentId);
      const workspace = message && this.statements.readSetting.get(SLACK_WORKSPACE_URL)?.value;
      const slack = message && {
        channel: message.channel,
        ts: message.ts,
        ...(workspace ? { permalink: renderSlackPermalink(workspace, message.channel, message.ts) } : {}),
      };
      const row = {
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        incidentId: entry.incidentId ?? null,
        dataJson: JSON.stringify(slack ? { ...entry.data, slack } : entry.data),
      };
      const hash = macAuditRow(this.auditKey, prev, row);
      this.statements.insertAudit.run(row.at, row.actor, row.action, row.incidentId, row.dataJson, prev, hash);
      this.auditChanged = true;
    });
  }

  /** Where the audit chain stands now. */
  auditAnchor(): AuditAnchor {
    const last = this.statements.lastAudit.get();
    // Counted, not tracked: a rolled-back transaction must not leave a count no anchor can match.
    return { rows: this.statements.countAudit.get()!.n, last: last?.id ?? 0, head: last?.hash ?? '' };
  }

  /** The anchor as a signed line. */
  renderAuditAnchor(): string {
    return renderAnchor(this.auditAnchor(), this.auditKey);
  }

  // Starts the keyed chain once — in a new store, or one an older version kept (vouching for its plain-SHA rows) —
  // and never again: a store that had one and has none now was emptied or replaced, and a new start would launder it.
  // A key the chain was not signed with is refused too: rows signed with two keys would never verify.
  private startKeyedChain(): void {
    const keyed = this.statements.keyedStart.get(AUDIT_KEYED);
    if (!keyed) {
      if (this.openedAt >= KEYED_AUDIT_SCHEMA) {
        throw new Error(
          'its audit log has lost the row its keyed chain starts with: rows were deleted or the log was replaced. Run logwarden audit with the latest anchor to see what is left, and move the store aside to start a new one',
        );
      }
      const last = this.statements.lastAudit.get();
      this.appendAudit({
        at: Date.now(),
        actor: 'logwarden',
        action: AUDIT_KEYED,
        data: { legacyRows: this.statements.countAudit.get()!.n, legacyHead: last?.hash ?? '' },
      });
      this.auditChanged = false;
      return;
    }
    const last = this.statements.lastAuditRow.get()!;
    if (macAuditRow(this.auditKey, last.prevHash, last) !== last.hash) {
      throw new Error(
        last.hash.startsWith('hmac-sha256:')
          ? `its last audit row does not check with this audit key: either the key is not the one used before (restore ${auditKeyFile(this.path)} or LOGWARDEN_AUDIT_KEY), or the row was forged (run logwarden audit to see which)`
          : 'its last audit row is not signed: the log was changed without the key. Run logwarden audit with the latest anchor to see where',
      );
    }
  }

  /** Every audit row, oldest first. */
  readAudit(): AuditRow[] {
    return this.statements.allAudit.all();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private transaction(fn: () => void): void {
    this.db.transaction(fn)();
    // Once the outermost transaction is committed, the new head is anchored outside.
    if (this.auditChanged && !this.db.inTransaction) {
      this.auditChanged = false;
      this.onAnchor?.(this.renderAuditAnchor(), this.auditAnchor());
    }
  }

  private applyChanges(changes: TrackerChanges, now: number, options: CommitOptions): void {
    for (const c of changes.dropped ?? []) this.statements.clearHits.run(c.rule, c.keyHash);
    for (const h of changes.hits) this.statements.insertHit.run(h.rule, h.keyHash, h.at, h.expiresAt, h.weight ?? 1);
    for (const c of changes.cleared) this.statements.clearHits.run(c.rule, c.keyHash);
    for (const incident of changes.incidents) {
      const row = {
        title: incident.title,
        fields_json: JSON.stringify(incident.fields),
        count: incident.count,
        last_seen: incident.lastSeen,
        last_activity_at: now,
        sample_json: JSON.stringify(incident.sample),
        status: incident.status,
        spread_json: incident.spread ? JSON.stringify(incident.spread) : null,
      };
      if (incident.id === 0) {
        const result = this.statements.insertIncident.run({
          ...row,
          rule: incident.rule,
          key_hash: keyHashOf(Object.values(incident.key)),
          key_json: JSON.stringify(incident.key),
          severity: incident.severity,
          first_seen: incident.firstSeen,
          source: incident.source,
        });
        incident.id = Number(result.lastInsertRowid);
        const firstAfter = options.escalate?.[incident.severity];
        if (firstAfter !== undefined) {
          this.statements.insertEscalation.run(incident.id, incident.severity, now, now + firstAfter);
        }
      } else {
        this.statements.updateIncident.run({ ...row, id: incident.id });
      }
      if (options.slackSync) {
        this.statements.enqueueSync.run({ incident_id: incident.id, now, min_interval: options.slackSync.minInterval });
      }
    }
  }

  /** Silences in force now, oldest first. */
  readSilences(now: number): SilenceRow[] {
    return this.statements.activeSilences
      .all(now)
      .map(({ key_json, ...row }) => ({ ...row, key: JSON.parse(key_json) }));
  }

  /** Ends a silence now, with its audit row; returns the silence when one in force was lifted. */
  liftSilence(id: number, actor: string, now: number): Silence | undefined {
    let lifted: Silence | undefined;
    this.transaction(() => {
      const changed = this.statements.liftSilence.run(now, id, now).changes === 1;
      this.appendAudit({ at: now, actor, action: 'silence:lift', data: { silence: id, changed } });
      if (changed) lifted = this.statements.silenceById.get(id);
    });
    return lifted;
  }

  /** The incident with its version (bumped by every write) and what people did to it, for rendering. */
  readIncident(id: number): { incident: Incident; version: number; decisions: IncidentDecisions } | undefined {
    const row = this.statements.incidentById.get(id);
    if (!row) return undefined;
    const decisions: IncidentDecisions = {};
    if (row.acknowledged_by && row.acknowledged_at) {
      decisions.acknowledgedBy = { user: row.acknowledged_by, at: row.acknowledged_at };
    }
    if (row.resolved_by && row.resolved_at) decisions.resolvedBy = { user: row.resolved_by, at: row.resolved_at };
    if (row.resolution) {
      decisions.resolution = row.resolution as NonNullable<IncidentDecisions['resolution']>;
      const until = this.statements.silenceOf.get(row.id)?.until;
      if (until) decisions.silencedUntil = until;
    }
    const actions = this.statements.latestActionRuns.all(id).map(actionRunFromRow);
    if (actions.length > 0) decisions.actions = actions;
    return { incident: incidentFromRow(row), version: row.version, decisions };
  }

  /**
   * Applies a person's decision once, with its audit row and a Slack sync, in one transaction. A repeat (a click
   * delivered twice, two people at once) changes nothing and is audited as such. Returns whether it changed.
   */
  decide(
    decision: Decision,
    incidentId: number,
    actor: string,
    now: number,
    options: CommitOptions & { silenceUntil?: number | null } = {},
  ): boolean {
    let changed = false;
    this.transaction(() => {
      if (decision === 'acknowledge') {
        changed = this.statements.acknowledge.run(actor, now, incidentId).changes === 1;
      } else {
        const resolution = decision === 'resolve' ? 'resolved' : decision === 'snooze' ? 'snoozed' : decision;
        changed = this.statements.resolve.run(resolution, actor, now, incidentId).changes === 1;
        if (changed && decision !== 'resolve') {
          this.statements.insertSilence.run(options.silenceUntil ?? null, decision, actor, now, incidentId);
        }
      }
      // A person has it now: escalation stops.
      if (changed) this.statements.stopEscalation.run(incidentId);
      const data = decision === 'snooze' ? { changed, until: options.silenceUntil } : { changed };
      this.appendAudit({ at: now, actor, action: `incident:${decision}`, incidentId, data });
      if (changed && options.slackSync) {
        this.statements.enqueueSync.run({ incident_id: incidentId, now, min_interval: 0 });
        const note: DecisionNote = { decision, actor, until: options.silenceUntil ?? null };
        this.statements.enqueueNote.run(incidentId, JSON.stringify(note), now, now);
      }
    });
    return changed;
  }

  /** Due jobs of one worker: `slack` (sync, note) or `email` (send). */
  readDueOutbox(now: number, channel: OutboxChannel, limit = 50): OutboxJob[] {
    return this.statements.dueOutbox
      .all(now, `${channel}.%`, limit)
      .map(({ payloadJson, ...job }) =>
        job.kind === 'slack.note'
          ? { ...job, note: JSON.parse(payloadJson) as ThreadNote }
          : job.kind === 'email.send'
            ? { ...job, email: JSON.parse(payloadJson) as EmailJob }
            : job,
      );
  }

  /** An escalation mail to send through the outbox, with its audit row. */
  private enqueueEmail(incidentId: number, email: EmailJob, actor: string, now: number): void {
    this.transaction(() => {
      this.statements.enqueueEmail.run(incidentId, JSON.stringify(email), now, now);
      this.appendAudit({ at: now, actor, action: 'escalation:queued', incidentId, data: { ...email } });
    });
  }

  /**
   * Queues the mail of an Escalate click, unless another was queued for the incident within `quiet` ms (a redelivered
   * click, two people pressing at once); then returns who pressed, and when.
   */
  enqueueManualEscalation(
    incidentId: number,
    email: EmailJob,
    actor: string,
    now: number,
    quiet: number,
  ): { actor: string; at: number } | undefined {
    let earlier: { actor: string; at: number } | undefined;
    this.transaction(() => {
      const last = this.statements.lastManualEscalation.get(incidentId);
      if (last && now - last.at < quiet) {
        earlier = last;
        return;
      }
      this.statements.writeManualEscalation.run(incidentId, actor, now);
      this.enqueueEmail(incidentId, email, actor, now);
    });
    return earlier;
  }

  /** Escalations whose next step is due. */
  readDueEscalations(now: number): EscalationRow[] {
    return this.statements.dueEscalations.all(now);
  }

  /**
   * Takes one escalation step once: moves it on (to `nextAt`, or done) and queues its mails in one transaction, so a
   * restart neither repeats nor skips a step. False when another tick took it, or it was stopped.
   */
  advanceEscalation(
    step: { incidentId: number; step: number; nextAt: number | null; mails: EmailJob[] },
    now: number,
  ): boolean {
    let taken = false;
    this.transaction(() => {
      const state = step.nextAt === null ? 'done' : 'active';
      taken =
        this.statements.advanceEscalation.run(step.nextAt ?? now, state, step.incidentId, step.step).changes === 1;
      if (!taken) return;
      for (const mail of step.mails) {
        this.statements.enqueueEmail.run(step.incidentId, JSON.stringify(mail), now, now);
      }
      this.appendAudit({
        at: now,
        actor: 'logwarden',
        action: 'escalation:step',
        incidentId: step.incidentId,
        data: { step: step.step, mails: step.mails, next: step.nextAt },
      });
    });
    return taken;
  }

  stopEscalation(incidentId: number, reason: string, now: number): void {
    this.transaction(() => {
      if (this.statements.stopEscalation.run(incidentId).changes === 1) {
        this.appendAudit({ at: now, actor: 'logwarden', action: 'escalation:stopped', incidentId, data: { reason } });
      }
    });
  }

  /** A mail went out or failed for good: the job goes, the thread hears of it, the audit log records it. */
  finishEmail(job: OutboxJob, result: { error?: string }, now: number, options: CommitOptions = {}): void {
    this.transaction(() => {
      if (result.error) this.statements.failOutbox.run(result.error, job.id);
      else this.statements.deleteOutbox.run(job.id);
      const mail = job.email!;
      this.appendAudit({
        at: now,
        actor: 'logwarden',
        action: result.error ? 'escalation:mail-failed' : 'escalation:mail-sent',
        incidentId: job.incidentId,
        data: { to: mail.to, reason: mail.reason, attempts: job.attempts + 1, ...result },
      });
      if (options.slackSync) {
        const note: MailNote = {
          kind: 'mail',
          to: mail.to,
          reason: mail.reason,
          ...(result.error ? { error: result.error } : {}),
        };
        this.statements.enqueueNote.run(job.incidentId, JSON.stringify(note), now, now);
      }
    });
  }

  /**
   * Takes a click on a response action's button, once: the first click of an attempt claims it (to run, or with
   * approvals: 2 to await a second person); a second authorised person's click approves; any other click finds it
   * taken. A click delivered twice, or two people at the same moment, therefore start one run. Audited.
   */
  claimAction(
    click: {
      incidentId: number;
      actionId: string;
      attempt: number;
      actor: string;
      approvals: number;
      /** What the requester confirmed (a new run keeps it; an approval runs the one already kept). */
      plan?: ActionPlan;
    },
    now: number,
    options: CommitOptions = {},
  ): ActionClaim {
    const { incidentId, actionId, attempt, actor } = click;
    let claim: ActionClaim = { outcome: 'no-incident' };
    this.transaction(() => {
      if (!this.statements.incidentById.get(incidentId)) return;
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
        const run = actionRunFromRow(this.statements.actionRunById.get(id)!);
        claim = { outcome: state === 'running' ? 'run' : 'requested', run };
      } else if (existing.state === 'awaiting-approval') {
        const approved = this.statements.approveActionRun.run(actor, existing.id, actor).changes === 1;
        const run = actionRunFromRow(this.statements.actionRunById.get(existing.id)!);
        claim = { outcome: approved ? 'run' : 'same-person', run };
      } else {
        claim = { outcome: 'taken', run: actionRunFromRow(existing) };
      }
      const outcome = claim.outcome;
      this.appendAudit({
        at: now,
        actor,
        action: `action:${outcome}`,
        incidentId,
        data: { action: actionId, attempt },
      });
      if (outcome === 'requested' && options.slackSync) this.enqueueActionNote(claim.run, 'requested', actor, now);
    });
    return claim;
  }

  /** Records how a claimed run ended, with its audit row (argv, exit code, duration, output hash) and Slack notes. */
  finishAction(runId: number, outcome: ActionOutcome, now: number, options: CommitOptions = {}): ActionRun {
    let run: ActionRun | undefined;
    this.transaction(() => {
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
      run = actionRunFromRow(this.statements.actionRunById.get(runId)!);
      const { output: _output, ...recorded } = run;
      this.appendAudit({
        at: now,
        actor: run.approvedBy ?? run.requestedBy,
        action: `action:${outcome.state}`,
        incidentId: run.incidentId,
        data: recorded,
      });
      if (options.slackSync) this.enqueueActionNote(run, 'finished', run.approvedBy ?? run.requestedBy, now);
    });
    return run!;
  }

  /** Takes an undo (a click or the ttl), once; false when it is not available (done, running, never possible). */
  claimUndo(runId: number, actor: string, now: number): boolean {
    let claimed = false;
    this.transaction(() => {
      claimed = this.statements.claimUndo.run(actor, runId).changes === 1;
      const run = this.statements.actionRunById.get(runId);
      this.appendAudit({
        at: now,
        actor,
        action: claimed ? 'action:undo' : 'action:undo-taken',
        ...(run ? { incidentId: run.incident_id } : {}),
        data: { run: runId, action: run?.action_id },
      });
    });
    return claimed;
  }

  finishUndo(
    runId: number,
    result: {
      ok: boolean;
      argv?: string[];
      exitCode?: number;
      durationMs?: number;
      outputHash?: string;
      detail?: string;
    },
    now: number,
    options: CommitOptions = {},
  ): ActionRun {
    let run: ActionRun | undefined;
    this.transaction(() => {
      // A failed undo stays available for a person to retry; the ttl does not loop on it.
      const state = result.ok ? 'done' : 'available';
      this.statements.finishUndo.run(state, result.exitCode ?? null, result.detail ?? null, runId);
      run = actionRunFromRow(this.statements.actionRunById.get(runId)!);
      this.appendAudit({
        at: now,
        actor: run.undoBy ?? 'logwarden',
        action: result.ok ? 'action:undone' : 'action:undo-failed',
        incidentId: run.incidentId,
        data: { run: runId, action: run.actionId, ...result },
      });
      if (options.slackSync) {
        this.enqueueActionNote(run, result.ok ? 'undone' : 'undo-failed', run.undoBy ?? 'logwarden', now);
      }
    });
    return run!;
  }

  /** Runs whose ttl has passed, to undo now. */
  readDueUndos(now: number): ActionRun[] {
    return this.statements.dueUndos.all(now).map(actionRunFromRow);
  }

  readNextUndoAt(): number | undefined {
    return this.statements.nextUndoAt.get()?.at ?? undefined;
  }

  /**
   * After a crash: a command that was running may or may not have taken effect, so it is marked interrupted (never
   * run again by itself); an undo that was running becomes available again, so its ttl or a person retries it.
   */
  recoverActions(now: number, options: CommitOptions = {}): ActionRun[] {
    const found: ActionRun[] = [];
    this.transaction(() => {
      for (const row of this.statements.interruptedRuns.all()) {
        if (row.state === 'running') {
          const plan = row.plan_json === null ? undefined : (JSON.parse(row.plan_json) as ActionPlan);
          this.statements.interruptRun.run({
            id: row.id,
            now,
            detail: 'logwarden stopped while it ran; its outcome is unknown',
            undo: plan?.undo ? 1 : 0,
            undo_at: plan?.undo && plan.ttl !== undefined ? now + plan.ttl : null,
          });
        }
        if (row.undo_state === 'running') this.statements.interruptUndo.run('interrupted by a restart', row.id);
        const run = actionRunFromRow(this.statements.actionRunById.get(row.id)!);
        this.appendAudit({
          at: now,
          actor: 'logwarden',
          action: 'action:interrupted',
          incidentId: run.incidentId,
          data: { run: run.id, action: run.actionId },
        });
        if (options.slackSync) this.enqueueActionNote(run, 'interrupted', 'logwarden', now);
        found.push(run);
      }
    });
    return found;
  }

  readActionRun(runId: number): ActionRun | undefined {
    const row = this.statements.actionRunById.get(runId);
    return row ? actionRunFromRow(row) : undefined;
  }

  readActionRunFor(incidentId: number, actionId: string, attempt: number): ActionRun | undefined {
    const row = this.statements.actionRun.get(incidentId, actionId, attempt);
    return row ? actionRunFromRow(row) : undefined;
  }

  private enqueueActionNote(run: ActionRun, event: ActionNote['event'], actor: string, now: number): void {
    this.statements.enqueueSync.run({ incident_id: run.incidentId, now, min_interval: 0 });
    const note: ActionNote = { kind: 'action', event, actor, run };
    this.statements.enqueueNote.run(run.incidentId, JSON.stringify(note), now, now);
  }

  /** Open incidents by severity (for /metrics). */
  readOpenIncidentCounts(): { severity: Severity; count: number }[] {
    return this.statements.openBySeverity.all();
  }

  /** Pending outbox jobs by channel, and when the oldest first became due (for /metrics). */
  readOutboxStats(): { channel: string; depth: number; oldestAt: number | undefined }[] {
    return this.statements.outboxStats.all().map((r) => ({ ...r, oldestAt: r.oldestAt ?? undefined }));
  }

  /** Throws when the store cannot take a write now (disk full, read-only, locked): /healthz writes a row to know. */
  checkWritable(now: number): void {
    this.statements.writeSetting.run('health.checked_at', String(now));
  }

  /** When the next pending outbox job is due, if any is pending. */
  readNextOutboxAt(channel: OutboxChannel): number | undefined {
    return this.statements.nextOutboxAt.get(`${channel}.%`)?.at ?? undefined;
  }

  completeOutbox(id: number): void {
    this.statements.deleteOutbox.run(id);
  }

  retryOutbox(id: number, at: number, error: string): void {
    this.statements.retryOutbox.run(at, error, id);
  }

  failOutbox(id: number, error: string): void {
    this.statements.failOutbox.run(error, id);
  }

  /** Holds every pending job of a worker until `until` (Slack said to slow down). */
  deferOutbox(until: number, channel: OutboxChannel): void {
    this.statements.deferOutbox.run(until, `${channel}.%`);
  }

  /** The Slack workspace URL (from auth.test), which audit rows' permalinks start with. */
  writeSlackWorkspaceUrl(url: string): void {
    this.statements.writeSetting.run(SLACK_WORKSPACE_URL, url);
  }

  readSlackWorkspaceUrl(): string | undefined {
    return this.statements.readSetting.get(SLACK_WORKSPACE_URL)?.value;
  }

  readSlackMessage(incidentId: number): SlackMessageRef | undefined {
    return this.statements.slackMessage.get(incidentId);
  }

  writeSlackMessage(incidentId: number, ref: SlackMessageRef, now: number): void {
    this.statements.upsertSlackMessage.run(
      incidentId,
      ref.channel,
      ref.ts,
      ref.version,
      ref.notedCount,
      ref.notedAt,
      now,
    );
  }
}

function incidentFromRow(row: IncidentRow): Incident {
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
  };
}

function actionRunFromRow(row: ActionRunRow): ActionRun {
  const optional = {
    approvedBy: row.approved_by,
    plan: row.plan_json === null ? null : (JSON.parse(row.plan_json) as ActionPlan),
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
  return {
    id: row.id,
    incidentId: row.incident_id,
    actionId: row.action_id,
    attempt: row.attempt,
    state: row.state,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
  };
}
