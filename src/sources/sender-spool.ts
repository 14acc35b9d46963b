// A bounded copy of what each sender of a network source sent, on disk: one file per sender, rotated to `.1` when it
// reaches maxBytes (so at most twice that per sender), which /logs search, tail and ip read like any log file. It is
// a convenience, written after the lines are committed: a crash in between leaves a gap here, never in detection.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
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

export function createSenderSpool(dir: string, maxBytes: number): SenderSpool {
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  // Open files by sender, least recently written first.
  const open = new Map<string, { fd: number; size: number; path: string }>();
  const closeOne = (sender: string) => {
    const file = open.get(sender);
    open.delete(sender);
    if (file) closeSync(file.fd);
  };
  const openFor = (sender: string) => {
    const path = spoolFileOf(dir, sender);
    const fd = openSync(path, 'a', 0o640);
    return { fd, size: fstatSync(fd).size, path };
  };
  return {
    append(sender, data) {
      if (data.length === 0) return;
      let file = open.get(sender);
      if (file) open.delete(sender);
      else {
        if (open.size >= OPEN_FILES) closeOne(open.keys().next().value!);
        file = openFor(sender);
      }
      if (file.size > 0 && file.size + data.length > maxBytes) {
        closeSync(file.fd);
        renameSync(file.path, `${file.path}.1`);
        file = openFor(sender);
      }
      writeSync(file.fd, data);
      file.size += data.length;
      open.set(sender, file);
    },
    close() {
      for (const sender of [...open.keys()]) closeOne(sender);
    },
  };
}
