// Where each source resumes: a file's offset by device and inode, a journal's cursor.
import type { SourcePosition } from '../../core/types.js';
import type { CheckpointRepository, StoredOffset } from '../ports.js';
import type { SqliteDatabase } from './database.js';

export class SqliteCheckpoints implements CheckpointRepository {
  private readonly statements;

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

  /** Writes where a source resumes (inside the caller's transaction). */
  write(sourceId: string, position: SourcePosition | undefined, now: number): void {
    if (position?.kind === 'file') {
      this.statements.upsertOffset.run(position.dev, position.ino, sourceId, position.path, position.offset, now);
    } else if (position?.kind === 'journal') {
      this.statements.upsertCursor.run(sourceId, position.cursor, now);
    }
  }
}
