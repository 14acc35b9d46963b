// Types shared by every stage of the pipeline: sources → rules → incidents → outputs.

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * What a pack's match means, whatever program wrote it: the vocabulary learned detectors read (an `auth.success` is
 * parsed but opens nothing by itself).
 */
export const EVENT_TYPES = ['auth.failure', 'auth.success', 'auth.lockout', 'privilege.denied', 'web.attack'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const FIELD_TYPES = ['ip', 'cidr', 'user', 'host', 'port', 'int', 'signed', 'word', 'text'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * What a pattern's match must also pass to count: `probe-path`, its `path` looks like a probe (web-signatures.ts);
 * `tally-over-deny`, pam_tally2's `tally` is above its `deny` (the lockout: with `debug` it logs every check).
 */
export type PatternCheck = 'probe-path' | 'tally-over-deny';

/** Where a chunk of lines came from, precise enough to resume there after a restart. */
export type SourcePosition =
  | { kind: 'file'; path: string; dev: number; ino: number; offset: number }
  | { kind: 'journal'; cursor: string }
  /** The event ids a network source's chunk took (HTTP idField): a retry of one is dropped, after a restart too. */
  | { kind: 'events'; ids: string[] };

/** Complete lines read from one source, as raw bytes (every line ends with "\n"). */
export interface LineChunk {
  sourceId: string;
  /** The file the lines came from, or `journal` for journald sources. */
  origin: string;
  data: Buffer;
  /** Where reading resumes once this chunk is processed (none for a kind of source that keeps no position). */
  position?: SourcePosition;
  /** Who sent the lines, for a network source (an address, an HTTP sender's name): heard as a source of its own. */
  sender?: string;
}

/** One line that a rule matched, with its typed captures. */
export interface LogEvent {
  sourceId: string;
  origin: string;
  text: string;
  /** The line was longer than maxLineBytes and was cut. */
  truncated: boolean;
}

export interface Match {
  ruleId: string;
  event: LogEvent;
  fields: Record<string, string>;
  /** rsyslog's `message repeated N times`: the line stands for this many matches. */
  times?: number;
  /** The same attempt as an earlier line (a PAM failure, then the program's own line): counted once. */
  repeat?: boolean;
  /**
   * An event of another rule a detector weighs (a failure before a success), by what it is: kept in the detector's
   * window or judged by what it learned, it opens nothing unless the detector says so.
   */
  prior?: EventType;
}

export type IncidentStatus = 'open' | 'closed' | 'resolved';

export interface Incident {
  id: number;
  rule: string;
  severity: Severity;
  title: string;
  key: Record<string, string>;
  fields: Record<string, string>;
  count: number;
  firstSeen: number;
  lastSeen: number;
  source: string;
  sample: string[];
  status: IncidentStatus;
  /**
   * For key fields counted by prefix (IPv6 addresses by /64): the first distinct values seen, and how many matches
   * carried another value.
   */
  spread?: Record<string, { values: string[]; more: number }>;
  /**
   * Actions it offers besides its rule's: those that ran on its address's earlier incidents (a block for one rule
   * offered when the address turns up in another). Chosen from logwarden's own records, never from log text.
   */
  offers?: string[];
}

/** What people did to an incident. Slack user ids come from Slack, never from logs. */
export interface IncidentDecisions {
  acknowledgedBy?: { user: string; at: number };
  resolvedBy?: { user: string; at: number };
  /** How a person closed it: resolved, snoozed (silenced until `silencedUntil`) or a false positive. */
  resolution?: 'resolved' | 'snoozed' | 'false-positive';
  silencedUntil?: number;
  /** The latest run of each response action. */
  actions?: ActionRun[];
}

export type IncidentEventName = 'opened' | 'updated' | 'closed';

export interface IncidentEvent {
  event: IncidentEventName;
  incident: Incident;
}

/** Time as milliseconds since the epoch; passed in so windows and timers are testable. */
export type Clock = () => number;

/** The state of one run (attempt) of a response action on an incident. */
export type ActionRunState =
  | 'awaiting-approval'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'refused'
  | 'dry-run'
  | 'interrupted';

/** Whether a run can still be, is being, or was undone. */
export type UndoState = 'available' | 'running' | 'done' | 'failed';

/** One attempt at a response action, as the store keeps it. Slack user ids come from Slack, never from logs. */
/**
 * What a person confirmed when they requested a run: the argv, its undo and verify, filled with the incident's
 * values of that moment. An approval, an undo, a ttl or a restart runs exactly these, never the incident's values
 * of the moment they happen.
 */
export interface ActionPlan {
  argv: string[];
  undo?: string[];
  verify?: string[];
  /** The values the argvs were filled with, by field. */
  values: Record<string, string>;
  /** When set, the undo runs by itself this many ms after the command succeeded (or was interrupted). */
  ttl?: number;
  /**
   * The fleet hosts it runs on (an action with `target:`), as confirmed: argv, undo and verify run on each of them
   * (over SSH, or as the playbook run Ansible limits to that host), each host once.
   */
  targets?: string[];
  /** How it reaches them. */
  via?: 'ssh' | 'ansible';
}

/** A fleet run on one of its hosts: taken once per (run, host); a failed host can be retried, a done one never rerun. */
export interface HostRun {
  host: string;
  state: Extract<ActionRunState, 'running' | 'succeeded' | 'failed' | 'refused' | 'dry-run' | 'interrupted'>;
  /** 1, and one more for each retry of a failed host. */
  tries: number;
  argv?: string[];
  exitCode?: number;
  durationMs?: number;
  outputHash?: string;
  output?: string;
  verified?: boolean;
  detail?: string;
  finishedAt?: number;
  undoState?: UndoState;
  undoAt?: number;
  undoBy?: string;
  undoExitCode?: number;
  undoDetail?: string;
}

export interface ActionRun {
  id: number;
  incidentId: number;
  actionId: string;
  /** 1, then one more for each "Run again". */
  attempt: number;
  state: ActionRunState;
  requestedBy: string;
  requestedAt: number;
  approvedBy?: string;
  /** What was confirmed; absent for runs requested before plans were kept, or refused before any argv was made. */
  plan?: ActionPlan;
  argv?: string[];
  exitCode?: number;
  durationMs?: number;
  outputHash?: string;
  /** stdout then stderr, cut. */
  output?: string;
  /** The verify command's verdict, when there is one. */
  verified?: boolean;
  /** Why it was refused or failed to start. */
  detail?: string;
  finishedAt?: number;
  undoState?: UndoState;
  /** When the ttl undoes it by itself. */
  undoAt?: number;
  undoBy?: string;
  undoExitCode?: number;
  undoDetail?: string;
  /** A fleet run's hosts, in the order of its plan's targets; its state and undo state are theirs together. */
  hosts?: HostRun[];
}

/** What one action thread reply says: a snapshot of the run when it was written. */
export interface ActionNote {
  kind: 'action';
  event: 'requested' | 'finished' | 'undone' | 'undo-failed' | 'interrupted';
  actor: string;
  run: ActionRun;
}

// What the incident tracker hands the store, and reads back on a restart.

/** A match counted towards a threshold that has not been reached yet; persisted so restarts keep the count. */
export interface Hit {
  rule: string;
  keyHash: string;
  at: number;
  expiresAt: number;
  /** How many matches it stands for (a `message repeated N times` line): 1 when absent. */
  weight?: number;
}

export interface TrackerChanges {
  hits: Hit[];
  /** Windows whose hits became an incident and can be forgotten (after this batch's hits are written). */
  cleared: { rule: string; keyHash: string }[];
  /**
   * Windows dropped to stay within maxPendingKeys: their stored hits are forgotten before this batch's hits are
   * written (hits of theirs earlier in the batch are left out of it; later ones start a new window).
   */
  dropped?: { rule: string; keyHash: string }[];
  /** Incidents to write, new ones with id 0 (the store assigns it). */
  incidents: Incident[];
  events: IncidentEvent[];
  /** Facts the learning detectors learned or refreshed (written over the stored ones), and those they let go. */
  learned?: LearnedFact[];
  forgotten?: { rule: string; subject: string; value: string }[];
}

/** What a learning detector knows: a subject (a user) seen with a value (a network), when first and last, how often. */
export interface LearnedFact {
  rule: string;
  subject: string;
  value: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
  /** The detector's own summary (a spike's counts per hour of the week), in its own compact text. */
  data?: string;
}

/** What one detector learned of a subject (`/logs baseline`): plain text lines, escaped where they are shown. */
export interface BaselineReport {
  rule: string;
  detector: string;
  sources: readonly string[];
  lines: string[];
}

/** A learning detector's period: since when it learns (undefined: nothing read yet) and from when it speaks. */
export interface LearningStatus {
  rule: string;
  detector: string;
  since?: number;
  speaksFrom?: number;
}

/** Where an address is, from the operator's MaxMind databases: its autonomous system and country, as known. */
export type GeoLookup = (ip: string) => { asn?: number; org?: string; country?: string } | undefined;

/** What the store knows of an address: its earlier incidents and the actions that ran on them, newest first. */
export interface AddressHistory {
  incidents: { id: number; rule: string; firstSeen: number }[];
  actions: { action: string; at: number }[];
}

export interface TrackerState {
  open: { incident: Incident; lastActivityAt: number }[];
  hits: Hit[];
  /** What the learning detectors know. */
  learned?: LearnedFact[];
  /** Rule + key pairs whose matches open nothing, until a time (or null: until lifted). */
  silences?: { rule: string; keyHash: string; until: number | null }[];
}

/** Joins key values into one string for maps and the store. */
export function keyHashOf(values: readonly string[]): string {
  return JSON.stringify(values);
}

// What people and logwarden do to incidents: the vocabulary of decisions, thread notes, response runs, silences,
// escalations and the audit log, whatever store keeps them.

export type Decision = 'acknowledge' | 'resolve' | 'snooze' | 'false-positive';

/** Who decided what, for the thread; rendered by the chat side. */
export interface DecisionNote {
  decision: Decision;
  actor: string;
  until: number | null;
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

/** The outbox kind of an escalation mail (the email notifier's channel works it). */
export const MAIL_JOB_KIND = 'email.send';

/** An escalation mail to send: to whom and why; its body is rendered when it is sent, so it is current. */
export interface EmailJob {
  to: string[];
  /** "level 1 of the critical policy", "escalated by <user>". */
  reason: string;
}

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

/** How a fleet run ended on one host, to record. */
export type HostOutcome = Pick<
  HostRun,
  'argv' | 'exitCode' | 'durationMs' | 'outputHash' | 'output' | 'verified' | 'detail'
> & {
  state: Exclude<HostRun['state'], 'running'>;
  undo?: { at?: number };
};

/** How an undo ended, to record. */
export interface UndoOutcome {
  ok: boolean;
  argv?: string[];
  exitCode?: number;
  durationMs?: number;
  outputHash?: string;
  detail?: string;
}

/** Matches of a rule and key that open no incident, until a time or until lifted (until null). */
export interface Silence {
  rule: string;
  keyHash: string;
  until: number | null;
  /** The incident a person silenced it from, when one (a false positive's). */
  incidentId?: number;
}

export interface SilenceRow extends Silence {
  id: number;
  key: Record<string, string>;
  reason: 'snooze' | 'false-positive';
  createdBy: string;
  createdAt: number;
}

export interface EscalationRow {
  incidentId: number;
  severity: Severity;
  startedAt: number;
  step: number;
  nextAt: number;
}

export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  incidentId?: number;
  data: Record<string, unknown>;
}
