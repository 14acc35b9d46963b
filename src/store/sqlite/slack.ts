// What the Slack notifier keeps: the workspace URL (permalinks start with it) and each incident's message.
import type { SlackMessageRef, SlackRepository } from '../ports.js';
import type { SqliteDatabase } from './database.js';
import type { SqliteSettings } from './settings.js';

const SLACK_WORKSPACE_URL = 'slack.workspaceUrl';

export class SqliteSlack implements SlackRepository {
  private readonly statements;
  private readonly settings: SqliteSettings;

  constructor({ db }: SqliteDatabase, settings: SqliteSettings) {
    this.settings = settings;
    this.statements = {
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
    };
  }

  async writeWorkspaceUrl(url: string): Promise<void> {
    this.settings.write(SLACK_WORKSPACE_URL, url);
  }

  async readWorkspaceUrl(): Promise<string | undefined> {
    return this.workspaceUrl();
  }

  async readMessage(incidentId: number): Promise<SlackMessageRef | undefined> {
    return this.messageOf(incidentId);
  }

  /** readWorkspaceUrl, inside a transaction. */
  workspaceUrl(): string | undefined {
    return this.settings.read(SLACK_WORKSPACE_URL);
  }

  /** readMessage, inside a transaction. */
  messageOf(incidentId: number): SlackMessageRef | undefined {
    return this.statements.slackMessage.get(incidentId);
  }

  async writeMessage(incidentId: number, ref: SlackMessageRef, now: number): Promise<void> {
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
