// Every error logwarden throws on purpose: a namespaced code callers can switch on, and a message that says what
// failed, with which value, and how to fix it.

export const ErrorCode = {
  ConfigInvalid: 'logwarden_config_invalid',
  ConfigUnreadable: 'logwarden_config_unreadable',
  StoreFailed: 'logwarden_store_failed',
  SourceUnreadable: 'logwarden_source_unreadable',
  JournalFailed: 'logwarden_journal_failed',
  ReplayInputUnreadable: 'logwarden_replay_input_unreadable',
  SlackAuthFailed: 'logwarden_slack_auth_failed',
  SmtpUnconfigured: 'logwarden_smtp_unconfigured',
  Fail2banFilterInvalid: 'logwarden_fail2ban_filter_invalid',
  LearnInput: 'logwarden_learn_input',
  GeoipUnreadable: 'logwarden_geoip_unreadable',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class LogwardenError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem found in a config file; `path` is the dotted config path like `rules[2].threshold.within`. */
export interface ConfigProblem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export class ConfigInvalidError extends LogwardenError {
  readonly file: string;
  readonly problems: readonly ConfigProblem[];
  constructor(file: string, problems: readonly ConfigProblem[], options?: { cause?: unknown }) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `  ${formatProblemLocation(file, p)}: ${p.message}`);
    super(ErrorCode.ConfigInvalid, `${file} has ${count}:\n${lines.join('\n')}`, options);
    this.file = file;
    this.problems = problems;
  }
}

export function formatProblemLocation(file: string, problem: ConfigProblem): string {
  const at = problem.line === undefined ? file : `${file}:${problem.line}:${problem.column ?? 1}`;
  return problem.path ? `${at} ${problem.path}` : at;
}

export class ConfigUnreadableError extends LogwardenError {
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(ErrorCode.ConfigUnreadable, `Cannot read config file ${file}: ${reason}`, options);
    this.file = file;
  }
}

export class StoreFailedError extends LogwardenError {
  readonly path: string;
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(ErrorCode.StoreFailed, `The store at ${path} failed: ${reason}`, options);
    this.path = path;
  }
}

export class SourceUnreadableError extends LogwardenError {
  readonly sourceId: string;
  readonly path: string;
  constructor(sourceId: string, path: string, reason: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.SourceUnreadable,
      `Source ${sourceId} cannot read ${path}: ${reason}. logwarden retries until it can; check the path and that this user may read it.`,
      options,
    );
    this.sourceId = sourceId;
    this.path = path;
  }
}

export class JournalFailedError extends LogwardenError {
  readonly sourceId: string;
  constructor(sourceId: string, reason: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.JournalFailed,
      `Source ${sourceId} cannot follow the journal: ${reason}. logwarden restarts journalctl until it works; check that journalctl is installed and this user may read the journal (group systemd-journal or adm).`,
      options,
    );
    this.sourceId = sourceId;
  }
}

/** A MaxMind database the config names (incidents.geoip) cannot be read, or is not one. */
export class GeoipUnreadableError extends LogwardenError {
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.GeoipUnreadable,
      `incidents.geoip: cannot read ${file}: ${reason}. Give a MaxMind .mmdb file (e.g. GeoLite2-ASN.mmdb) or remove it.`,
      options,
    );
    this.file = file;
  }
}

/** `learn` was given files it cannot place (which source), or a config with nothing to learn for. */
export class LearnInputError extends LogwardenError {
  constructor(message: string) {
    super(ErrorCode.LearnInput, message);
  }
}

export class ReplayInputUnreadableError extends LogwardenError {
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(ErrorCode.ReplayInputUnreadable, `Cannot read ${file} for replay: ${reason}`, options);
    this.file = file;
  }
}

/** A fail2ban filter that cannot be used as written: which file, and what in it. */
export class Fail2banFilterInvalidError extends LogwardenError {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(ErrorCode.Fail2banFilterInvalid, `The fail2ban filter ${file} cannot be used: ${reason}`, options);
    this.file = file;
    this.reason = reason;
  }
}

export class SlackAuthFailedError extends LogwardenError {
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.SlackAuthFailed,
      reason === 'missing'
        ? 'The config has a slack: section but SLACK_BOT_TOKEN is not set. To resolve, set SLACK_BOT_TOKEN to the Bot User OAuth Token (it starts with xoxb-), or remove slack: from the config.'
        : `Slack rejected SLACK_BOT_TOKEN (${reason}). To resolve, copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page, and check SLACK_API_URL if you set it.`,
      options,
    );
    this.reason = reason;
  }
}

export class SmtpUnconfiguredError extends LogwardenError {
  /** Without a port, SMTP_HOST is missing; with one, SMTP_PORT holds that value, which is not a port. */
  constructor(badPort?: string) {
    super(
      ErrorCode.SmtpUnconfigured,
      badPort === undefined
        ? 'The config has an escalation: section but SMTP_HOST is not set. To resolve, set SMTP_HOST (and SMTP_PORT, SMTP_USER, SMTP_PASS, SMTP_SECURE as your mail server needs), or remove escalation: from the config.'
        : `SMTP_PORT is "${badPort}", which is not a port. Set it to a number from 1 to 65535 (587 for STARTTLS, 465 with SMTP_SECURE=true), or unset it.`,
    );
  }
}

/** A short reason from a Node system error, like "no such file (ENOENT)". */
export function describeSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a parent is not a directory',
  };
  if (code && reasons[code]) return `${reasons[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
