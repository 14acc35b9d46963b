// A whole log file as blocks of complete lines, plain or gzip-compressed (logrotate's `.gz`, told by its magic bytes,
// not its name), or standard input for `-`. For commands that read old logs (replay, learn), not for tailing.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { LineSplitter } from './line-splitter.js';

/** Whether a file starts with gzip's magic bytes. */
export function isGzip(file: string): boolean {
  if (file === '-') return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Calls back with blocks of complete lines and the bytes read so far (compressed bytes for a `.gz`). */
export async function readLogStream(
  file: string,
  maxLineBytes: number,
  onBlock: (data: Buffer, read: number) => void,
): Promise<number> {
  const splitter = new LineSplitter(maxLineBytes);
  const raw = file === '-' ? process.stdin : createReadStream(file);
  let read = 0;
  raw.on('data', (b: Buffer | string) => {
    read += b.length;
  });
  const input = file !== '-' && isGzip(file) ? raw.pipe(createGunzip()) : raw;
  for await (const block of input) {
    const data = splitter.push(block as Buffer);
    if (data) onBlock(data, read);
  }
  const last = splitter.flush();
  if (last) onBlock(last, read);
  return read;
}
