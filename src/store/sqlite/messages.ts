// Each notifier's message about an incident: where it is (in the notifier's terms), its link, what it last showed.
import type { MessageRepository, NotifierMessage } from '../ports.js';
import type { SqliteDatabase } from './database.js';

interface MessageRow {
  channel: string;
  atJson: string;
  link: string | null;
  version: number;
  notedCount: number;
  notedAt: number;
}

const messageOfRow = (row: MessageRow): NotifierMessage => ({
  at: JSON.parse(row.atJson) as Record<string, string>,
  ...(row.link === null ? {} : { link: row.link }),
  version: row.version,
  notedCount: row.notedCount,
  notedAt: row.notedAt,
});

export class SqliteMessages implements MessageRepository {
  private readonly statements;

  constructor({ db }: SqliteDatabase) {
    const columns = 'channel, at_json AS atJson, link, version, noted_count AS notedCount, noted_at AS notedAt';
    this.statements = {
      message: db.prepare<[string, number], MessageRow>(
        `SELECT ${columns} FROM notifier_messages WHERE channel = ? AND incident_id = ?`,
      ),
      messagesOf: db.prepare<[number], MessageRow>(
        `SELECT ${columns} FROM notifier_messages WHERE incident_id = ? ORDER BY channel`,
      ),
      upsert: db.prepare(
        `INSERT INTO notifier_messages (channel, incident_id, at_json, link, version, noted_count, noted_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel, incident_id) DO UPDATE SET at_json = excluded.at_json, link = excluded.link,
           version = excluded.version, noted_count = excluded.noted_count, noted_at = excluded.noted_at,
           updated_at = excluded.updated_at`,
      ),
    };
  }

  async read(channel: string, incidentId: number): Promise<NotifierMessage | undefined> {
    const row = this.statements.message.get(channel, incidentId);
    return row && messageOfRow(row);
  }

  /** Every notifier's message about the incident, by channel, inside the caller's transaction. */
  allOf(incidentId: number): Map<string, NotifierMessage> {
    return new Map(this.statements.messagesOf.all(incidentId).map((row) => [row.channel, messageOfRow(row)]));
  }

  async write(channel: string, incidentId: number, message: NotifierMessage, now: number): Promise<void> {
    this.statements.upsert.run(
      channel,
      incidentId,
      JSON.stringify(message.at),
      message.link ?? null,
      message.version,
      message.notedCount,
      message.notedAt,
      now,
    );
  }
}
