// Opening a log file without being led elsewhere: a link planted in a watched directory (`zz.log -> /etc/shadow`)
// is never followed, and a FIFO, device or directory is refused instead of blocking or spinning the reader. A source's
// own configured path may be a link (the operator wrote it); the files a glob finds and the `.1` rotations may not.
import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;

/** What a path is when it is not a regular file, in words for a log line or an answer; undefined for a file. */
export function notAFile(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

export class LogFileRefusedError extends Error {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(`${path} is ${reason}: only regular files are read`);
    this.path = path;
    this.reason = reason;
  }
}

/**
 * Opens a regular file for reading: never blocks (O_NONBLOCK, so a FIFO does not hang the open), follows a symbolic
 * link only when `followLink` (the source's own path), and checks what the descriptor is, not what the path was.
 * Throws LogFileRefusedError for anything but a regular file, and the fs error for a missing or unreadable one.
 */
export function openLogFile(path: string, followLink: boolean): { fd: number; stats: Stats } {
  let fd: number;
  try {
    fd = openSync(path, O_RDONLY | O_NONBLOCK | (followLink ? 0 : O_NOFOLLOW));
  } catch (error) {
    // O_NOFOLLOW on a link fails with ELOOP.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new LogFileRefusedError(path, 'a symbolic link');
    throw error;
  }
  const stats = fstatSync(fd);
  const refused = notAFile(stats);
  if (refused) {
    closeSync(fd);
    throw new LogFileRefusedError(path, refused);
  }
  return { fd, stats };
}

/** Whether a path is a regular file itself, not a link to one (for the files a glob or a rotation names). */
export function isPlainFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}
