// A bounded copy of what each sender of a network source sent, on disk: one file per sender, rotated to `.1` when it
// reaches maxBytes, all of them under maxTotal, which /logs search, tail and ip read like any log file. It is a
// convenience, written after the lines are committed: a crash in between leaves a gap here, never in detection.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { FileSourceConfig } from '../config/schema.js';

/** Files held open at once; a sender whose file was closed is opened again when it sends. */
const OPEN_FILES = 128;

export interface SenderSpool {
  append(sender: string, data: Buffer): void;
  close(): void;
}

/** The file a sender's lines go to: its name with every character a path could misread replaced. */
export function spoolFileOf(dir: string, sender: string): string {
  return join(
    dir,
    `${sender
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 128)}.log`,
  );
}

/** A network source's spool read as a file source: every sender's file, and its rotation. */
export function spoolAsFileSource(source: {
  id: string;
  maxLineBytes: number;
  timezone?: string | undefined;
  spool?: { dir?: string | undefined; maxBytes: number };
}): FileSourceConfig | undefined {
  const dir = source.spool?.dir;
  if (!dir || !source.spool?.maxBytes) return undefined;
  return {
    id: source.id,
    type: 'file',
    path: join(dir, '*.log'),
    from: 'end',
    maxLineBytes: source.maxLineBytes,
    ...(source.timezone ? { timezone: source.timezone } : {}),
  };
}

/**
 * A spool in `dir`: each sender's file rotated at maxBytes, and all of them together kept under maxTotal by deleting
 * the least recently written sender's oldest file first (senders come and go: an address in an allowed range, an
 * IPv6 temporary address). Files are opened without following links, and only regular files are written.
 */
export function createSenderSpool(dir: string, maxBytes: number, maxTotal: number): SenderSpool {
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  // Open files by sender, least recently written first.
  const open = new Map<string, { fd: number; size: number; path: string }>();
  // Every spool file's size and when it was last written, as found at start and kept since.
  const sizes = new Map<string, { size: number; at: number }>();
  let total = 0;
  for (const name of readdirSync(dir)) {
    if (!/\.log(\.1)?$/.test(name)) continue;
    try {
      const stats = lstatSync(join(dir, name));
      if (!stats.isFile()) continue;
      sizes.set(join(dir, name), { size: stats.size, at: stats.mtimeMs });
      total += stats.size;
    } catch {
      // Gone meanwhile.
    }
  }
  let clock = Date.now();
  const account = (path: string, size: number) => {
    const before = sizes.get(path)?.size ?? 0;
    total += size - before;
    sizes.set(path, { size, at: ++clock });
  };
  const forget = (path: string) => {
    total -= sizes.get(path)?.size ?? 0;
    sizes.delete(path);
  };
  const closeOne = (sender: string) => {
    const file = open.get(sender);
    open.delete(sender);
    if (file) closeSync(file.fd);
  };
  const openFor = (sender: string) => {
    const path = spoolFileOf(dir, sender);
    // No link followed, no FIFO waited on: what is written is a regular file in the spool's folder.
    const fd = openSync(
      path,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK,
      0o640,
    );
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      closeSync(fd);
      throw new Error(`${path} is not a regular file`);
    }
    return { fd, size: stats.size, path };
  };
  // Deletes the least recently written files (a rotated one before its current one) until `needed` more bytes fit.
  const makeRoom = (needed: number, keep: string) => {
    while (total + needed > maxTotal && sizes.size > 0) {
      const oldest = [...sizes.entries()]
        .filter(([path]) => path !== keep)
        .sort((a, b) => a[1].at - b[1].at || (a[0].endsWith('.1') ? -1 : 1))[0];
      if (!oldest) return;
      const [path] = oldest;
      for (const [sender, file] of open) if (file.path === path) closeOne(sender);
      rmSync(path, { force: true });
      forget(path);
    }
  };
  return {
    append(sender, data) {
      if (data.length === 0) return;
      let file = open.get(sender);
      open.delete(sender);
      try {
        if (!file) {
          if (open.size >= OPEN_FILES) closeOne(open.keys().next().value!);
          file = openFor(sender);
        }
        if (file.size > 0 && file.size + data.length > maxBytes) {
          closeSync(file.fd);
          const rotated = `${file.path}.1`;
          renameSync(file.path, rotated);
          forget(rotated);
          account(rotated, file.size);
          forget(file.path);
          file = undefined;
          file = openFor(sender);
        }
        makeRoom(data.length, file.path);
        writeSync(file.fd, data);
        file.size += data.length;
        account(file.path, file.size);
        open.set(sender, file);
      } catch (error) {
        // Not kept open after a failure: the next lines open it again (and a full disk leaks no descriptors).
        if (file) closeSync(file.fd);
        throw error;
      }
    },
    close() {
      for (const sender of [...open.keys()]) closeOne(sender);
    },
  };
}
