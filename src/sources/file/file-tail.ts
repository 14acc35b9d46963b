// Follows one path the way log files really behave: the writer appends; logrotate renames it away and a new file
// takes its place (and the writer may keep appending to the old one until told to reopen), or copies it and
// truncates it in place, or it is deleted and recreated. The file is held open by descriptor, so a renamed or deleted
// file is drained to its end; offsets count only complete lines and are keyed by device + inode.
import { closeSync, fstatSync, lstatSync, readdirSync, readSync, statSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Clock, LineChunk } from '../../core/types.js';
import { LineSplitter } from '../line-splitter.js';
import { LogFileRefusedError, notAFile, openLogFile } from '../open-log-file.js';
import { findCopy, headMatches, type OpenFile, type OpenFiles, openCopy, readHead } from './open-files.js';

const READ_BLOCK = 1 << 20;
/** How much one sync reads before yielding to the event loop (and continuing on the next turn). */
const READ_PER_SYNC = 16 << 20;
/** Bytes at the head of a file that identify its content, to see truncation and to find a copy of it. */
const HEAD_BYTES = 64;

export interface TailOptions {
  from: 'start' | 'end';
  /** Say that the path is missing (a configured file) or not (one a glob found, which may come and go). */
  reportMissing: boolean;
  /** The path is the source's own, as configured: it may be a symbolic link (a glob's match or a rotation may not). */
  followLink: boolean;
  maxLineBytes: number;
  rotateQuiet: number;
}

export interface TailDeps {
  clock: Clock;
  /** Where a file (by device + inode) was committed up to, if it was seen before. */
  readOffset(dev: number, ino: number): Promise<number | undefined>;
  /** Every file (by device + inode) last read under this path, to find ones rotated away while logwarden was down. */
  readOffsetsForPath(path: string): Promise<{ dev: number; ino: number; offset: number }[]>;
  /** Receives complete lines; resolves once they are processed and committed (the tail reads on only then). */
  onChunk(chunk: LineChunk): Promise<void>;
  /** A rotated-away file was read to its end and closed. */
  onFileDone(path: string, dev: number, ino: number): Promise<void>;
  onProblem(path: string, error: unknown): void;
  onRecovered(path: string): void;
  onNotice(message: string, details: Record<string, unknown>): void;
}

export class FileTail {
  readonly path: string;
  private readonly sourceId: string;
  private readonly options: TailOptions;
  private readonly deps: TailDeps;
  private readonly openFiles: OpenFiles;
  private readonly buffer = Buffer.allocUnsafe(READ_BLOCK);
  private current: OpenFile | undefined;
  private draining: OpenFile[] = [];
  private problem: string | undefined;
  private scheduled = false;
  private closed = false;
  /** The sync under way (one at a time: its reads and commits are in order), and the one waiting behind it. */
  private running: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;
  private resumed = false;
  /** This path was read before a restart: whatever file is there now appeared since, and is read from its start. */
  private seenBefore = false;

  constructor(sourceId: string, path: string, options: TailOptions, deps: TailDeps, openFiles: OpenFiles) {
    this.sourceId = sourceId;
    this.path = path;
    this.options = options;
    this.deps = deps;
    this.openFiles = openFiles;
  }

  get isIdle(): boolean {
    return this.current === undefined && this.draining.length === 0;
  }

  /** For /readyz and /metrics: whether the file is open, the problem when not, and the bytes not read yet. */
  status(): { path: string; open: boolean; problem?: string; lagBytes: number } {
    let lagBytes = 0;
    for (const file of [...(this.current ? [this.current] : []), ...this.draining]) {
      try {
        lagBytes += Math.max(0, fstatSync(file.fd).size - file.readOffset);
      } catch {
        // Closed meanwhile: nothing left to read in it.
      }
    }
    return {
      path: this.path,
      open: this.current !== undefined,
      ...(this.problem !== undefined ? { problem: this.problem } : {}),
      lagBytes,
    };
  }

  /** Asks for a sync on the next turn of the event loop; many change events make one read. */
  requestSync(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.sync(false);
    });
  }

  /**
   * Reads whatever is new; resolves once it is read and committed. `startup` says the file was found when logwarden
   * started (then `from` applies). Syncs run one at a time; asked while one runs, one more follows it, for every asker.
   */
  sync(startup: boolean): Promise<void> {
    if (this.pending !== undefined) return this.pending;
    const next = this.running.then(async () => {
      this.pending = undefined;
      if (this.closed) return;
      try {
        await this.syncOnce(startup);
      } catch (error) {
        // A read that fails (EIO, a file replaced by a directory) is reported and retried on the next sync; a store
        // that cannot commit has already stopped the process by now.
        this.reportProblem(error);
      }
    });
    this.pending = next;
    this.running = next;
    return next;
  }

  private async syncOnce(startup: boolean): Promise<void> {
    let budget = READ_PER_SYNC;
    if (!this.resumed) {
      this.resumed = true;
      await this.resumeRotatedWhileDown();
    }
    const stats = this.statPath();
    if (this.current && (!stats || stats.ino !== this.current.ino || stats.dev !== this.current.dev)) {
      this.retire(this.current);
      this.current = undefined;
    }
    if (!this.current && stats?.isFile()) this.current = await this.openCurrent(startup);
    if (this.current) this.clearProblem();
    if (this.current) budget = await this.readCurrent(this.current, budget);
    for (const file of [...this.draining]) {
      if (this.closed) return;
      budget = await this.read(file, budget);
      if (this.deps.clock() - file.lastGrowthAt >= this.options.rotateQuiet) await this.finish(file);
    }
    if (budget <= 0) this.requestSync();
  }

  /** Stops reading: waits for the sync under way (its descriptors must not be closed under it), then closes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
    for (const file of [this.current, ...this.draining]) if (file) this.closeFile(file);
    this.current = undefined;
    this.draining = [];
  }

  /** Hands a rotated-away file over to the tail of its new path (a glob that matches rotated files too). */
  release(file: OpenFile): boolean {
    if (!this.draining.includes(file)) return false;
    this.draining = this.draining.filter((f) => f !== file);
    return true;
  }

  private statPath() {
    try {
      const stats = this.options.followLink ? statSync(this.path) : lstatSync(this.path);
      const refused = notAFile(stats);
      if (!refused) return stats;
      // A FIFO, a device, a directory, or a link where none may be: never opened (it could block or spin the
      // reader, or lead elsewhere), said once, and looked at again on every sync.
      this.reportProblem(Object.assign(new LogFileRefusedError(this.path, refused), { code: 'ENOTREGULAR' }));
      return undefined;
    } catch (error) {
      // A glob's file that went away (an old rotation, deleted) is nothing to report.
      if (this.options.reportMissing || (error as NodeJS.ErrnoException).code !== 'ENOENT') this.reportProblem(error);
      return undefined;
    }
  }

  // Said once per kind of problem, not on every retry; and once more when the file is readable again.
  private reportProblem(error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    if (this.problem === code) return;
    this.problem = code;
    this.deps.onProblem(this.path, error);
  }

  private clearProblem(): void {
    if (this.problem === undefined) return;
    this.problem = undefined;
    this.deps.onRecovered(this.path);
  }

  private async openCurrent(startup: boolean): Promise<OpenFile | undefined> {
    let fd: number;
    let stats: ReturnType<typeof fstatSync>;
    try {
      ({ fd, stats } = openLogFile(this.path, this.options.followLink));
    } catch (error) {
      this.reportProblem(
        error instanceof LogFileRefusedError ? Object.assign(error, { code: 'ENOTREGULAR' }) : (error as Error),
      );
      return undefined;
    }
    const known = this.openFiles.get(stats.dev, stats.ino);
    if (known) {
      closeSync(fd);
      // Another path of this source reads the file already; take it over only once that path moved on.
      if (!known.owner.release(known.file)) return undefined;
      known.file.path = this.path;
      this.openFiles.set(known.file, this);
      return known.file;
    }
    let stored: number | undefined;
    try {
      stored = await this.deps.readOffset(stats.dev, stats.ino);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    let offset = stored ?? (startup && this.options.from === 'end' && !this.seenBefore ? stats.size : 0);
    if (offset > stats.size) {
      this.deps.onNotice('file is shorter than where reading stopped; reading it from the start', {
        path: this.path,
        offset,
        size: stats.size,
      });
      offset = 0;
    }
    return this.track(fd, stats, this.path, offset);
  }

  private track(fd: number, stats: { dev: number; ino: number; size: number }, watchPath: string, offset: number) {
    const file: OpenFile = {
      fd,
      dev: stats.dev,
      ino: stats.ino,
      path: this.path,
      readOffset: offset,
      splitter: new LineSplitter(this.options.maxLineBytes),
      head: readHead(fd, Math.min(stats.size, HEAD_BYTES)),
      lastGrowthAt: this.deps.clock(),
    };
    try {
      // inotify on the inode: changes arrive at once, and keep arriving after a rename.
      file.watcher = watch(watchPath, { persistent: false }, () => this.requestSync());
      file.watcher.on('error', () => file.watcher?.close());
    } catch {
      // Polling still reads the file; watches can run out (fs.inotify.max_user_watches).
    }
    this.openFiles.set(file, this);
    return file;
  }

  // Files read under this path before a restart that now have another name (rotated while logwarden was down) are
  // found by inode in the same directory and read from where they were left.
  private async resumeRotatedWhileDown(): Promise<void> {
    const rows = await this.deps.readOffsetsForPath(this.path);
    if (rows.length === 0) return;
    this.seenBefore = true;
    let now: { dev: number; ino: number } | undefined;
    try {
      now = this.options.followLink ? statSync(this.path) : lstatSync(this.path);
    } catch {
      now = undefined;
    }
    const dir = dirname(this.path);
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // The directory is gone; nothing to resume.
    }
    for (const row of rows) {
      if ((now && row.dev === now.dev && row.ino === now.ino) || this.openFiles.get(row.dev, row.ino)) continue;
      const found = names
        .map((name) => join(dir, name))
        .find((p) => {
          try {
            // A rotated file is a file of this directory, never a link to one elsewhere.
            const st = lstatSync(p);
            return st.isFile() && st.dev === row.dev && st.ino === row.ino && st.size >= row.offset;
          } catch {
            return false;
          }
        });
      if (!found) {
        await this.deps.onFileDone(this.path, row.dev, row.ino);
        continue;
      }
      let opened: ReturnType<typeof openLogFile>;
      try {
        opened = openLogFile(found, false);
      } catch {
        await this.deps.onFileDone(this.path, row.dev, row.ino);
        continue;
      }
      const file = this.track(opened.fd, opened.stats, found, row.offset);
      this.draining.push(file);
      this.deps.onNotice('file was rotated while logwarden was stopped; reading the rest of it', {
        path: this.path,
        rotatedTo: found,
        offset: row.offset,
      });
    }
  }

  private async readCurrent(file: OpenFile, budget: number): Promise<number> {
    const size = fstatSync(file.fd).size;
    if (size < file.readOffset || !headMatches(file)) await this.recoverTruncated(file);
    const left = await this.read(file, budget);
    if (file.head.length < HEAD_BYTES && size > file.head.length)
      file.head = readHead(file.fd, Math.min(size, HEAD_BYTES));
    return left;
  }

  // copytruncate: the lines between the last read and the truncation are in the copy logrotate just made.
  private async recoverTruncated(file: OpenFile): Promise<void> {
    const copy = findCopy(this.path, file);
    const fd = copy === undefined ? undefined : openCopy(copy);
    if (fd !== undefined) {
      try {
        // Same splitter, so a line cut in two by the last read is completed from the copy.
        await this.read({ ...file, fd }, Number.POSITIVE_INFINITY);
      } finally {
        closeSync(fd);
      }
    } else if (file.readOffset > 0) {
      this.deps.onNotice('file was truncated and no copy of it was found; lines written just before may be lost', {
        path: this.path,
        offset: file.readOffset,
      });
    }
    file.splitter.reset();
    file.readOffset = 0;
    file.head = Buffer.alloc(0);
  }

  /** Reads file from its offset to its end (or until the budget is spent), passing complete lines on. */
  private async read(file: OpenFile, budget: number): Promise<number> {
    let left = budget;
    while (left > 0 && !this.closed) {
      const n = readSync(file.fd, this.buffer, 0, READ_BLOCK, file.readOffset);
      if (n === 0) break;
      file.readOffset += n;
      file.lastGrowthAt = this.deps.clock();
      left -= n;
      const lines = file.splitter.push(this.buffer.subarray(0, n));
      // Committed before the next block is read: the buffer is reused, and a slow store slows the reading.
      if (lines) await this.emit(file, lines);
    }
    return left;
  }

  private emit(file: OpenFile, data: Buffer): Promise<void> {
    return this.deps.onChunk({
      sourceId: this.sourceId,
      origin: file.path,
      data,
      position: {
        kind: 'file',
        path: file.path,
        dev: file.dev,
        ino: file.ino,
        offset: file.readOffset - file.splitter.heldBytes,
      },
    });
  }

  private retire(file: OpenFile): void {
    file.lastGrowthAt = this.deps.clock();
    this.draining.push(file);
    this.deps.onNotice('file was rotated; reading the old one until it has been quiet', {
      path: this.path,
      ino: file.ino,
    });
  }

  private async finish(file: OpenFile): Promise<void> {
    const last = file.splitter.flush();
    if (last) await this.emit(file, last);
    this.closeFile(file);
    this.draining = this.draining.filter((f) => f !== file);
    await this.deps.onFileDone(file.path, file.dev, file.ino);
  }

  private closeFile(file: OpenFile): void {
    file.watcher?.close();
    this.openFiles.delete(file);
    try {
      closeSync(file.fd);
    } catch {
      // Already closed.
    }
  }
}
