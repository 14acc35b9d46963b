// Types shared by every stage of the pipeline: sources → rules → incidents → outputs.

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FIELD_TYPES = ['ip', 'cidr', 'user', 'host', 'port', 'int', 'signed', 'word', 'text'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Where a chunk of lines came from, precise enough to resume there after a restart. */
export type SourcePosition =
  | { kind: 'file'; path: string; dev: number; ino: number; offset: number }
  | { kind: 'journal'; cursor: string };

/** Complete lines read from one source, as raw bytes (every line ends with "\n"). */
export interface LineChunk {
  sourceId: string;
  /** The file the lines came from, or `journal` for journald sources. */
  origin: string;
  data: Buffer;
  /** Where reading resumes once this chunk is processed (none for a kind of source that keeps no position). */
  position?: SourcePosition;
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
}

/** What one action thread reply says: a snapshot of the run when it was written. */
export interface ActionNote {
  kind: 'action';
  event: 'requested' | 'finished' | 'undone' | 'undo-failed' | 'interrupted';
  actor: string;
  run: ActionRun;
}
