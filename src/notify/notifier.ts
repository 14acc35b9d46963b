// What every kind of notifier is to the rest of logwarden: something told of each incident event after its commit,
// which may ask every write to queue outbox jobs for it (a Slack sync, a thread note) and work them, and may be a chat
// platform people answer from. A kind (slack, email, stdout…) is a folder with a kind.ts, and one line in registry.ts.
import type * as z from 'zod';
import type { ActionCatalog } from '../actions/action-catalog.js';
import type { Config } from '../config/schema.js';
import type { Allow, Commands } from '../core/commands.js';
import type { LogwardenError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Timers } from '../core/timers.js';
import type { Clock, Incident, IncidentEvent } from '../core/types.js';
import type { Metrics } from '../metrics/metrics.js';
import type { CompiledRule } from '../rules/rule.js';
import type { CommitOptions, OutboxChannel, OutboxDraft, Store, WriteEvent } from '../store/ports.js';

/** A chat platform's side that people answer from: clicks and queries come in, lines go out. */
export interface ChatConnection {
  /** Which roles may do what on it (its config's allow:). */
  readonly allow: Allow;
  /** Starts listening for clicks and queries, handing them to the app's commands; undefined when it cannot listen. */
  listen(commands: Commands): Promise<{ stop(): Promise<void> } | undefined>;
  /** Posts a line of plain text to a channel (the audit anchor); rejects when the platform does. */
  postText(channel: string, text: string): Promise<void>;
  /** Whether the platform answers now, for /readyz. */
  probe(): Promise<{ ok: true } | { ok: false; problem: string }>;
}

export interface Notifier {
  readonly name: string;
  /** The outbox channel whose jobs it works, if it delivers through the outbox. */
  readonly channel?: OutboxChannel;
  /** The outbox jobs it wants queued with a write, for what the write did. */
  jobsFor?(event: WriteEvent): readonly OutboxDraft[];
  /** Hears each incident event, after the commit that caused it. */
  onEvent?(event: IncidentEvent): void;
  /** A write queued jobs: look for them now. */
  wake?(): void;
  start?(): void;
  stop?(): Promise<void>;
  /** A link to where it shows the incident (a mail links to the Slack message). */
  linkOf?(incidentId: number): Promise<string | undefined>;
  /** When it is a chat platform too. */
  readonly chat?: ChatConnection;
}

/** What a notifier kind may use to make its notifier. */
export interface NotifierContext {
  config: Config;
  /** Its own section of the config (config[kind.config.key]), when the kind has one. */
  section: unknown;
  rules: readonly CompiledRule[];
  actions: ActionCatalog;
  store: Store;
  clock: Clock;
  timers: Timers;
  /** The logger; a kind logs through its own child ({ component: its name }). */
  logger: Logger;
  env: NodeJS.ProcessEnv;
  metrics?: Metrics;
  /** `run --stdout`. */
  stdout: boolean;
  write(text: string): void;
  /** A failure the process cannot go on from (a chat platform rejected the token). */
  onFatal(error: LogwardenError): void;
  /** Why an action is not offered on an incident as it is now (a protected value). */
  refusalOf?(incident: Incident, actionId: string): string | undefined;
  /** The notifiers made before this one, in registry order. */
  made: readonly Notifier[];
  /** Every notifier, once all are made (to wake them, and to know what they want queued). */
  all(): readonly Notifier[];
}

/** One kind of notifier: its config section, if any, and how it is made (its code loaded only then). */
export interface NotifierKind {
  readonly name: string;
  /** A top-level config key of its own, with its schema (built-in ones are in config/schema.ts already). */
  readonly config?: { key: string; schema: z.ZodType };
  /** Its notifier, or undefined when the config does not ask for it. */
  create(context: NotifierContext): Promise<Notifier | undefined>;
}

export const defineNotifierKind = (kind: NotifierKind): NotifierKind => kind;

/** What the notifiers want queued with every write, together. */
export function wantsOf(notifiers: readonly Notifier[]): CommitOptions {
  const asking = notifiers.filter((n) => n.jobsFor);
  return asking.length === 0 ? {} : { jobsFor: (event) => asking.flatMap((n) => n.jobsFor!(event)) };
}

/** Tells every notifier a write may have queued jobs for it. */
export function wakeAll(notifiers: readonly Notifier[]): void {
  for (const n of notifiers) n.wake?.();
}
