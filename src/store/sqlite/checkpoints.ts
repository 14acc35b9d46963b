// Where each source resumes: a file's offset by device and inode, a journal's cursor, the event ids an HTTP source
// took.
import type { SourcePosition } from '../../core/types.js';
import type { CheckpointRepository, StoredOffset } from '../ports.js';
import type { SqliteDatabase } from './database.js';

/** Event ids kept per source (the HTTP source remembers as many). */
export const EVENT_IDS_KEPT = 100_000;
/** Old ids are let go once a source has taken this many since (and when they are read, at start). */
const PRUNE_EVERY = 10_000;

export class SqliteCheckpoints implements CheckpointRepository {
  private readonly statements;
  private readonly writes = new Map<string, number>();

  constructor({ db }: SqliteDatabase) {
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
      insertEventId: db.prepare(
        'INSERT INTO event_ids (source_id, event_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      eventIds: db.prepare<[string, number], { event_id: string }>(
        'SELECT event_id FROM event_ids WHERE source_id = ? ORDER BY at DESC, rowid DESC LIMIT ?',
      ),
      pruneEventIds: db.prepare(
        `DELETE FROM event_ids WHERE source_id = @source AND rowid NOT IN
           (SELECT rowid FROM event_ids WHERE source_id = @source ORDER BY at DESC, rowid DESC LIMIT @keep)`,
      ),
      upsertCursor: db.prepare(
        `INSERT INTO cursors (source_id, cursor, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (source_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
      ),
    };
  }

  async readOffset(dev: number, ino: number): Promise<StoredOffset | undefined> {
    return this.statements.offsetByIdentity.get(dev, ino);
  }

  async readOffsetsForPath(path: string): Promise<StoredOffset[]> {
    return this.statements.offsetsByPath.all(path);
  }

  async forgetOffset(dev: number, ino: number): Promise<void> {
    this.statements.deleteOffset.run(dev, ino);
  }

  async readCursor(sourceId: string): Promise<string | undefined> {
    return this.statements.cursor.get(sourceId)?.cursor;
  }

  async readEventIds(sourceId: string, limit: number): Promise<string[]> {
    this.statements.pruneEventIds.run({ source: sourceId, keep: EVENT_IDS_KEPT });
    return this.statements.eventIds.all(sourceId, limit).map((r) => r.event_id);
  }

  /** Writes where a source resumes (inside the caller's transaction). */
  write(sourceId: string, position: SourcePosition | undefined, now: number): void {
    if (position?.kind === 'file') {
      this.statements.upsertOffset.run(position.dev, position.ino, sourceId, position.path, position.offset, now);
    } else if (position?.kind === 'journal') {
      this.statements.upsertCursor.run(sourceId, position.cursor, now);
    } else if (position?.kind === 'events') {
      for (const id of position.ids) this.statements.insertEventId.run(sourceId, id, now);
      const taken = (this.writes.get(sourceId) ?? 0) + position.ids.length;
      this.writes.set(sourceId, taken >= PRUNE_EVERY ? 0 : taken);
      if (taken >= PRUNE_EVERY) this.statements.pruneEventIds.run({ source: sourceId, keep: EVENT_IDS_KEPT });
    }
  }
}
