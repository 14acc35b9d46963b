// The files a source holds open, by identity (device + inode), and how a file is recognised by its first bytes:
// shared by the tails of one source, so that a file reached by two paths (a glob, a rotation) is read once.
import { closeSync, type FSWatcher, lstatSync, readdirSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { LineSplitter } from '../line-splitter.js';
import { openLogFile } from '../open-log-file.js';

/** The tail reading a file, which may hand it over to another path's tail once it has moved on. */
export interface FileOwner {
  release(file: OpenFile): boolean;
}

export interface OpenFile {
  fd: number;
  dev: number;
  ino: number;
  /** The path the file had when it was opened. */
  path: string;
  /** Bytes read so far (some may still be held by the splitter as a partial line). */
  readOffset: number;
  splitter: LineSplitter;
  head: Buffer;
  lastGrowthAt: number;
  watcher?: FSWatcher;
}

/** Open files of one source by identity, so a file reached by a second path (a glob, a rotation) is read once. */
export class OpenFiles {
  private readonly files = new Map<string, { file: OpenFile; owner: FileOwner }>();
  get(dev: number, ino: number) {
    return this.files.get(`${dev}:${ino}`);
  }
  set(file: OpenFile, owner: FileOwner): void {
    this.files.set(`${file.dev}:${file.ino}`, { file, owner });
  }
  delete(file: OpenFile): void {
    this.files.delete(`${file.dev}:${file.ino}`);
  }
}

export function readHead(fd: number, length: number): Buffer {
  const head = Buffer.alloc(length);
  const n = length > 0 ? readSync(fd, head, 0, length, 0) : 0;
  return head.subarray(0, n);
}

export function headMatches(file: OpenFile): boolean {
  if (file.head.length === 0) return true;
  return readHead(file.fd, file.head.length).equals(file.head);
}

/** A copy logrotate made, opened as a plain file of the directory (never through a link), or undefined. */
export function openCopy(path: string): number | undefined {
  try {
    return openLogFile(path, false).fd;
  } catch {
    return undefined;
  }
}

/** The copy logrotate's copytruncate made of `file` (read at `path`): a file beside it that starts with its head. */
export function findCopy(path: string, file: OpenFile): string | undefined {
  if (file.head.length === 0) return undefined;
  const dir = dirname(path);
  const name = basename(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  for (const other of names) {
    if (other === name || !other.startsWith(name)) continue;
    const candidate = join(dir, other);
    try {
      const stats = lstatSync(candidate);
      if (!stats.isFile() || stats.size < file.readOffset || (stats.ino === file.ino && stats.dev === file.dev))
        continue;
      const fd = openLogFile(candidate, false).fd;
      const head = readHead(fd, file.head.length);
      closeSync(fd);
      if (head.equals(file.head)) return candidate;
    } catch {
      // A file that vanished or cannot be read is not the copy.
    }
  }
  return undefined;
}
