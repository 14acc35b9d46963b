// What logwarden asks of a store, one repository per aggregate, whatever keeps them (store/sqlite/ today). Every
// method is async, so a store across the network can implement them; each write is atomic on its own, and `commit`
// is the unit of work of the line path: where a source resumes, the threshold counts and incidents its lines changed
// and the outbox jobs they cause, all or nothing — a restart resumes exactly after what was committed. Writes apply
// in the order they are called. Every adapter passes one contract suite (test/store/contract.ts).
import type {
  ActionClaim,
  ActionNote,
  ActionOutcome,
  ActionPlan,
  ActionRun,
  AddressHistory,
  AuditEntry,
  Decision,
  DecisionNote,
  EscalationRow,
  HostOutcome,
  Incident,
  IncidentDecisions,
  MailNote,
  Severity,
  Silence,
  SilenceRow,
  SourcePosition,
  TrackerChanges,
  TrackerState,
  UndoOutcome,
} from '../core/types.js';
import type { AuditAnchor, AuditRow } from './audit-chain.js';

/** Where a file was read up to, by device and inode (a rotated file keeps them). */
export interface StoredOffset {
  dev: number;
  ino: number;
  path: string;
  offset: number;
}

/** A notifier's job waiting in the durable outbox. */
export interface OutboxJob {
  id: number;
  /** "<channel>.<what>", the notifier's own: slack.sync, slack.note, email.send. */
  kind: string;
  incidentId: number;
  attempts: number;
  /** What the job carries (a thread note, a mail), as the notifier queued it. */
  payload?: unknown;
}

/** A job to queue with a write. */
export interface OutboxDraft {
  kind: string;
  incidentId: number;
  payload?: unknown;
  /**
   * One pending job of this kind per incident (a later draft joins it), due no sooner than `spacing` ms after the
   * last one was done.
   */
  coalesce?: { spacing: number };
}

/** What a write did, for the notifiers to say which jobs they want queued with it. */
export type WriteEvent =
  | { event: 'incident'; incident: Incident }
  | { event: 'decided'; incidentId: number; note: DecisionNote }
  | { event: 'action'; note: ActionNote }
  | { event: 'mail'; incidentId: number; note: MailNote };

/** The workers that take jobs from the outbox: a job's channel is its kind's first part ("slack", "email"). */
export type OutboxChannel = string;

/** A notifier's message about an incident (a chat message, a ticket…): where it is, and what it last showed. */
export interface NotifierMessage {
  /** Where it is, in the notifier's own terms (Slack: channel and ts); audit rows about the incident record it. */
  readonly at: Readonly<Record<string, string>>;
  /** Its web address, when the notifier has one: audit rows and mails lead back to the conversation with it. */
  readonly link?: string;
  /** The incident version it shows. */
  version: number;
  /** The count its thread last heard of, and when. */
  notedCount: number;
  notedAt: number;
}

/** What a write queues besides itself. */
export interface CommitOptions {
  /** The jobs the notifiers want for what the write did, queued in its transaction. */
  jobsFor?(event: WriteEvent): readonly OutboxDraft[];
  /** Start escalating each new incident of these severities, its first step this many ms after it opens. */
  escalate?: Partial<Record<Severity, number>>;
}

/** A click on a response action's button, to claim. */
export interface ActionClaimRequest {
  incidentId: number;
  actionId: string;
  attempt: number;
  actor: string;
  approvals: number;
  /** What the requester confirmed (a new run keeps it; an approval runs the one already kept). */
  plan?: ActionPlan;
}

/** Where each source resumes. */
export interface CheckpointRepository {
  readOffset(dev: number, ino: number): Promise<StoredOffset | undefined>;
  /** Every file last read under this path, to find ones rotated away while logwarden was down. */
  readOffsetsForPath(path: string): Promise<StoredOffset[]>;
  forgetOffset(dev: number, ino: number): Promise<void>;
  readCursor(sourceId: string): Promise<string | undefined>;
  /** The newest event ids a source took, newest first. */
  readEventIds(sourceId: string, limit: number): Promise<string[]>;
}

export interface IncidentRepository {
  /** Open incidents, live threshold counts and silences, to carry on where the last run stopped. */
  readTrackerState(now: number): Promise<TrackerState>;
  /** Every incident, oldest first. */
  readAll(): Promise<Incident[]>;
  /** The incident with its version (bumped by every write) and what people did to it, for rendering. */
  read(id: number): Promise<{ incident: Incident; version: number; decisions: IncidentDecisions } | undefined>;
  /**
   * Applies a person's decision once, with its audit row and a chat sync, atomically. A repeat (a click delivered
   * twice, two people at once) changes nothing and is audited as such. Returns whether it changed.
   */
  decide(
    decision: Decision,
    incidentId: number,
    actor: string,
    now: number,
    options?: CommitOptions & { silenceUntil?: number | null },
  ): Promise<boolean>;
  /** Open incidents by severity (for /metrics). */
  countOpenBySeverity(): Promise<{ severity: Severity; count: number }[]>;
  /** The incidents about an address (their key's ip) first seen since `since`, and the actions that ran on them. */
  historyOf(address: string, since: number): Promise<AddressHistory>;
}

export interface SilenceRepository {
  /** Silences in force now, oldest first. */
  readActive(now: number): Promise<SilenceRow[]>;
  /** Ends a silence now, with its audit row; returns the silence when one in force was lifted. */
  lift(id: number, actor: string, now: number): Promise<Silence | undefined>;
}

export interface OutboxRepository {
  /** Due jobs of one worker, oldest first. */
  readDue(now: number, channel: OutboxChannel, limit?: number): Promise<OutboxJob[]>;
  /** When the next pending job of a worker is due, if one is pending. */
  readNextAt(channel: OutboxChannel): Promise<number | undefined>;
  /** The job is done: it goes, and when its kind was last done for the incident is kept (for spacing). */
  complete(id: number, now: number): Promise<void>;
  retry(id: number, at: number, error: string): Promise<void>;
  fail(id: number, error: string): Promise<void>;
  /** Holds every pending job of a worker until `until` (the service said to slow down). */
  defer(until: number, channel: OutboxChannel): Promise<void>;
  /** Pending jobs by channel, and when the oldest first became due (for /metrics). */
  readStats(): Promise<{ channel: string; depth: number; oldestAt: number | undefined }[]>;
}

export interface AuditRepository {
  /** Appends a chained, keyed row; a row about an incident names its chat message. */
  append(entry: AuditEntry): Promise<void>;
  /** Where the chain stands now. */
  anchor(): Promise<AuditAnchor>;
  /** The anchor as a signed line. */
  renderAnchor(): Promise<string>;
  /** Every row, oldest first. */
  readAll(): Promise<AuditRow[]>;
  /** Called with the chain's anchor line after every commit that added rows (to keep it outside the store). */
  onAnchor?: ((line: string, anchor: AuditAnchor) => void) | undefined;
}

export interface ActionRunRepository {
  /**
   * Takes a click once: the first click of an attempt claims it (to run, or with approvals: 2 to await a second
   * person); a second authorised person's click approves; any other click finds it taken. Audited.
   */
  claim(click: ActionClaimRequest, now: number, options?: CommitOptions): Promise<ActionClaim>;
  /** Records how a claimed run ended, with its audit row and chat notes. */
  finish(runId: number, outcome: ActionOutcome, now: number, options?: CommitOptions): Promise<ActionRun>;
  /** Takes an undo (a click or the ttl), once; false when it is not available. */
  claimUndo(runId: number, actor: string, now: number): Promise<boolean>;
  finishUndo(runId: number, result: UndoOutcome, now: number, options?: CommitOptions): Promise<ActionRun>;
  /** Runs whose ttl has passed, to undo now. */
  readDueUndos(now: number): Promise<ActionRun[]>;
  readNextUndoAt(): Promise<number | undefined>;
  /** After a crash: running commands become interrupted (never run again by themselves), running undos available. */
  recover(now: number, options?: CommitOptions): Promise<ActionRun[]>;
  read(runId: number): Promise<ActionRun | undefined>;
  readFor(incidentId: number, actionId: string, attempt: number): Promise<ActionRun | undefined>;
  /**
   * Takes a fleet run's host once (audited): a host not yet run (retry false), or one that failed or was refused
   * (retry true); false when it is taken, ran, or may have.
   */
  claimHost(runId: number, host: string, retry: boolean, actor: string, now: number): Promise<boolean>;
  finishHost(runId: number, host: string, outcome: HostOutcome, now: number): Promise<void>;
  /** Takes one host's undo (a click or its ttl), once. */
  claimHostUndo(runId: number, host: string, actor: string, now: number): Promise<boolean>;
  finishHostUndo(runId: number, host: string, result: UndoOutcome, now: number): Promise<void>;
  /** Hosts whose ttl has passed, to undo now. */
  readDueHostUndos(now: number): Promise<{ runId: number; host: string }[]>;
  /** A thread note saying where a fleet run stands now (after a retry or an undo of its hosts). */
  noteRun(
    runId: number,
    event: ActionNote['event'],
    actor: string,
    now: number,
    options?: CommitOptions,
  ): Promise<ActionRun>;
}

export interface EscalationRepository {
  /** Escalations whose next step is due. */
  readDue(now: number): Promise<EscalationRow[]>;
  /** Takes one step once: moves it on (to nextAt, or done) and queues its mails atomically; false when taken. */
  advance(
    step: { incidentId: number; step: number; nextAt: number | null; mails: OutboxDraft[] },
    now: number,
  ): Promise<boolean>;
  stop(incidentId: number, reason: string, now: number): Promise<void>;
  /**
   * Queues the mail of an Escalate click, unless another was queued for the incident within `quiet` ms; then returns
   * who pressed, and when.
   */
  queueManual(
    incidentId: number,
    mail: OutboxDraft,
    actor: string,
    now: number,
    quiet: number,
  ): Promise<{ actor: string; at: number } | undefined>;
  /** A mail went out or failed for good: the job goes, the thread hears of it, the audit log records it. */
  finishMail(job: OutboxJob, result: { error?: string }, now: number, options?: CommitOptions): Promise<void>;
}

/** Each notifier's message about an incident, by the notifier's channel ("slack"). */
export interface MessageRepository {
  read(channel: string, incidentId: number): Promise<NotifierMessage | undefined>;
  write(channel: string, incidentId: number, message: NotifierMessage, now: number): Promise<void>;
}

export interface Store {
  /** Where it is kept (for messages). */
  readonly path: string;
  readonly checkpoints: CheckpointRepository;
  readonly incidents: IncidentRepository;
  readonly silences: SilenceRepository;
  readonly outbox: OutboxRepository;
  readonly audit: AuditRepository;
  readonly actionRuns: ActionRunRepository;
  readonly escalations: EscalationRepository;
  readonly messages: MessageRepository;
  /** The unit of work of the line path: a chunk's changes and where its source resumes, all or nothing. */
  commit(
    sourceId: string,
    position: SourcePosition | undefined,
    changes: TrackerChanges,
    now: number,
    options?: CommitOptions,
  ): Promise<void>;
  /** Incident changes no source position goes with (closing after quiet), and expired counts dropped. */
  commitSweep(changes: TrackerChanges, now: number, options?: CommitOptions): Promise<void>;
  /** Throws when the store cannot take a write now (disk full, read-only, locked). */
  checkWritable(now: number): Promise<void>;
  close(): Promise<void>;
}
