// What people can ask of logwarden from a chat platform, and what comes of it, as types: the app answers with typed
// outcomes (no markup), each platform renders them in its own words. Who asks is an Actor: a platform's user id and a
// way to learn which of some groups they are in, asked only when a role needs it.
import type { BaselineReport, Decision, Incident, LearningStatus, SilenceRow } from './types.js';

export interface Actor {
  /** The chat platform: "slack". */
  platform: string;
  /** The user's id on that platform (never a name from a log). */
  id: string;
  /** Which of these groups (the platform's ids) the user is in; rejects when the platform cannot say. */
  memberOf(groups: readonly string[]): Promise<readonly string[]>;
}

/** A click on a response action's button (its run, or its undo). */
export interface ActionClick {
  incidentId: number;
  actionId: string;
  attempt: number;
  /** The user id, already authorised for this action's roles. */
  actor: string;
  /**
   * What the button's dialog showed: a new request or an approval, and the fingerprint of its values. A click whose
   * dialog no longer matches the incident (or the request it would approve) runs nothing. A retry runs a fleet run
   * again on the hosts where it failed.
   */
  confirmed?: { mode: 'request' | 'approve' | 'retry'; fingerprint: string };
}

/** Why nothing was done for someone: not in a role that may (the roles that may), or their groups could not be checked. */
export type Refusal =
  | { outcome: 'refused'; reason: 'not-allowed'; allowed: readonly string[] }
  | { outcome: 'refused'; reason: 'lookup-failed' };

export type DecideOutcome = Refusal | { outcome: 'done'; changed: boolean };

/** What an Escalate click came to. */
export type EscalateOutcome =
  | Refusal
  | { outcome: 'not-configured' }
  | { outcome: 'no-incident'; incidentId: number }
  | { outcome: 'nobody' }
  /** Another person escalated it `agoMs` ago: no second mail before `quietMs` have passed. */
  | { outcome: 'already'; incidentId: number; by: string; agoMs: number; quietMs: number }
  | { outcome: 'queued'; to: readonly string[] };

/** What a click on a response action (or its undo) came to; `text` is plain words for the person who clicked. */
export type RespondOutcome =
  | Refusal
  | { outcome: 'no-such-action'; actionId: string }
  | { outcome: 'old-button' }
  | { outcome: 'answered'; text?: string };

/** Whether someone may use /logs, and on what. */
export type LogsAccess =
  | Refusal
  | {
      outcome: 'granted';
      /** The source ids they may query (a role limited to some sources sees only those). */
      sources: readonly string[];
      /** They may lift silences too. */
      mayLift: boolean;
    };

/** Which roles may do what (a chat platform's config says, e.g. slack.allow). */
export type Allow = Readonly<
  Record<'acknowledge' | 'resolve' | 'snooze' | 'falsePositive' | 'logs' | 'escalate', readonly string[]>
>;

/** What logwarden does for a person already authorised (the pipeline's side of the commands). */
export interface Operations {
  /** Acknowledges, resolves, snoozes (for `snoozeFor` ms) or marks a false positive; false when nothing changed. */
  decide(decision: Decision, incidentId: number, actor: string, snoozeFor?: number): Promise<boolean>;
  /** Lifts a silence: its rule and key open incidents again. */
  liftSilence(id: number, actor: string): Promise<LiftOutcome>;
  /** Runs, requests or approves a response action; resolves with plain words for the clicker. */
  respond(click: ActionClick): Promise<string | undefined>;
  /** Undoes a response action's run. */
  undo(click: ActionClick): Promise<string | undefined>;
  /** Mails an incident to the primary on call now. */
  escalate(incidentId: number, actor: string): Promise<Exclude<EscalateOutcome, Refusal>>;
  /** What the learned detectors know of a user, a source or an address. */
  baseline(subject: string): Promise<BaselineReport[]>;
  /** Each learning detector's learning period. */
  learning(): Promise<LearningStatus[]>;
  /** Who sends to each network source (syslog, http). */
  senders(): Promise<SourceSenders[]>;
  /** Takes back what a false positive taught a detector (the audit's detector:taught of the incident). */
  unlearn(incidentId: number, actor: string): Promise<UnlearnOutcome>;
}

/** A silence lifted (or not in force), and the lesson its false positive taught a detector, taken back with it. */
export type LiftOutcome =
  | { lifted: false }
  | { lifted: true; unlearned?: Extract<UnlearnOutcome, { outcome: 'unlearned' }> };

export type UnlearnOutcome =
  /** `kept`: facts the lesson changed that have learned more since, left as they are. */
  | { outcome: 'unlearned'; rule: string; taught: string; kept: number }
  | { outcome: 'nothing' }
  | { outcome: 'already' };

export interface Commands {
  decide(actor: Actor, decision: Decision, incidentId: number, snoozeFor?: number): Promise<DecideOutcome>;
  escalate(actor: Actor, incidentId: number): Promise<EscalateOutcome>;
  respond(actor: Actor, click: Omit<ActionClick, 'actor'>): Promise<RespondOutcome>;
  undo(actor: Actor, click: Omit<ActionClick, 'actor'>): Promise<RespondOutcome>;
  /** Authorises /logs (and audits the query). */
  openLogs(actor: Actor, query: string): Promise<LogsAccess>;
  /** Lifts a silence for someone openLogs said may. */
  liftSilence(actor: Actor, id: number): Promise<LiftOutcome>;
  readIncidents(): Promise<Incident[]>;
  readSilences(): Promise<SilenceRow[]>;
  /** What the learned detectors know of a subject, for someone openLogs let in. */
  readBaseline(subject: string): Promise<BaselineReport[]>;
  readLearning(): Promise<LearningStatus[]>;
  readSenders(): Promise<SourceSenders[]>;
  /** Takes a lesson back for someone openLogs said may lift silences. */
  unlearn(actor: Actor, incidentId: number): Promise<UnlearnOutcome>;
}

/** A network source and who sends to it, the most recently heard first. */
export interface SourceSenders {
  source: string;
  type: string;
  senders: { sender: string; lastAt: number; lines: number; perMinute: number }[];
}
