// The files a source holds open, by identity (device + inode), and how a file is recognised by its first bytes:
// shared by the tails of one source, so that a file reached by two paths (a glob, a rotation) is read once.
import { type FSWatcher, readSync } from 'node:fs';
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
