// Reading whole files (or byte ranges of them) fast, for replay and /logs search: large blocks into one reused
// buffer, complete lines handed on as views.
import { closeSync, openSync, readSync } from 'node:fs';

const BLOCK = 256 << 10;

// Reads [start, end) of a file in large blocks into one reused buffer and hands on views of its complete lines: no
// copies, no garbage, which is most of what replay costs besides matching. A line longer than the buffer is cut, as
// matching would cut it anyway. Ranges start at line starts and end at line ends (or the end of the file), so every
// line is read by exactly one range. `file` is a path, or a descriptor the caller opened (and closes). `keepGoing`,
// asked after every block read (lines or not: a file without newlines is read in blocks too), stops the reading
// when it says no (a query out of budget). Returns the bytes read.
export function readLineBlocks(
  file: string | number,
  range: { start: number; end: number },
  maxLineBytes: number,
  handle: (lines: Buffer, readSoFar: number) => void,
  keepGoing?: (readSoFar: number) => boolean,
): number {
  const buffer = Buffer.allocUnsafe(Math.max(BLOCK, 2 * maxLineBytes + 2));
  const fd = typeof file === 'number' ? file : openSync(file, 'r');
  let position = range.start;
  let filled = 0;
  let skipping = false;
  try {
    for (;;) {
      if (keepGoing && position > range.start && !keepGoing(position - range.start)) return position - range.start;
      const want = Math.min(buffer.length - filled, range.end - position);
      const n = want > 0 ? readSync(fd, buffer, filled, want, position) : 0;
      position += n;
      const read = position - range.start;
      const end = filled + n;
      if (n === 0) {
        if (filled > 0 && !skipping) {
          buffer[filled] = 10;
          handle(buffer.subarray(0, filled + 1), read);
        }
        return read;
      }
      let from = 0;
      if (skipping) {
        const nl = buffer.indexOf(10, filled);
        if (nl === -1 || nl >= end) {
          filled = 0;
          continue;
        }
        skipping = false;
        from = nl + 1;
      }
      const last = buffer.lastIndexOf(10, end - 1);
      if (last < from) {
        if (from > 0 || end < buffer.length) {
          buffer.copyWithin(0, from, end);
          filled = end - from;
          continue;
        }
        // No newline in a full buffer: pass the line on cut (with a newline), drop the rest of it.
        buffer[maxLineBytes + 1] = 10;
        handle(buffer.subarray(0, maxLineBytes + 2), read);
        skipping = true;
        filled = 0;
        continue;
      }
      handle(buffer.subarray(from, last + 1), read);
      buffer.copyWithin(0, last + 1, end);
      filled = end - last - 1;
    }
  } finally {
    if (typeof file !== 'number') closeSync(fd);
  }
}
