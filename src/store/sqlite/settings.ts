// Single values the store keeps by name (the Slack workspace URL, the last health check).
import type { SqliteDatabase } from './database.js';

export class SqliteSettings {
  private readonly statements;

  constructor({ db }: SqliteDatabase) {
    this.statements = {
      readSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      writeSetting: db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  read(key: string): string | undefined {
    return this.statements.readSetting.get(key)?.value;
  }

  write(key: string, value: string): void {
    this.statements.writeSetting.run(key, value);
  }
}
