// Turns bytes as they arrive into chunks of complete lines. A line without its "\n" yet is held back (so offsets
// only ever count whole lines), and a line that never ends cannot grow memory: past maxLineBytes the rest of it is
// dropped and the line is later cut, and flagged, when matched.

const NL = 10;

/** The lines of a chunk of complete lines (its "\n"s). */
export function countLines(data: Uint8Array): number {
  let n = 0;
  let at = data.indexOf(NL);
  while (at !== -1) {
    n++;
    at = data.indexOf(NL, at + 1);
  }
  return n;
}

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Bytes of the current line that were dropped because it was too long. */
  private dropped = 0;
  private readonly maxLineBytes: number;

  constructor(maxLineBytes: number) {
    this.maxLineBytes = maxLineBytes;
  }

  /** Bytes consumed but not yet returned as part of a complete line. */
  get heldBytes(): number {
    return this.pendingLength + this.dropped;
  }

  /** The complete lines that bytes finish, or undefined when they finish none. */
  push(bytes: Buffer): Buffer | undefined {
    const last = bytes.lastIndexOf(NL);
    if (last === -1) {
      this.hold(bytes);
      return undefined;
    }
    let lines: Buffer;
    if (this.pendingLength === 0) {
      lines = bytes.subarray(0, last + 1);
    } else {
      const first = bytes.indexOf(NL);
      this.hold(bytes.subarray(0, first + 1));
      const head = Buffer.concat(this.pending, this.pendingLength);
      lines = first === last ? head : Buffer.concat([head, bytes.subarray(first + 1, last + 1)]);
    }
    this.pending = [];
    this.pendingLength = 0;
    this.dropped = 0;
    if (last + 1 < bytes.length) this.hold(bytes.subarray(last + 1));
    return lines;
  }

  /** The held partial line as a complete one, for a file that will get no more bytes. */
  flush(): Buffer | undefined {
    if (this.pendingLength === 0) return undefined;
    const line = Buffer.concat([...this.pending, Buffer.from('\n')]);
    this.reset();
    return line;
  }

  reset(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.dropped = 0;
  }

  // Keeps at most maxLineBytes + 1 bytes of a line: enough for the matcher to see it is too long and cut it.
  private hold(bytes: Buffer): void {
    const room = this.maxLineBytes + 1 - this.pendingLength;
    if (bytes.length <= room) {
      this.pending.push(Buffer.from(bytes));
      this.pendingLength += bytes.length;
      return;
    }
    const endsLine = bytes[bytes.length - 1] === NL;
    const keep = Math.max(0, room);
    if (keep > 0) {
      this.pending.push(Buffer.from(bytes.subarray(0, keep)));
      this.pendingLength += keep;
    }
    this.dropped += bytes.length - keep - (endsLine ? 1 : 0);
    if (endsLine) {
      this.pending.push(Buffer.from('\n'));
      this.pendingLength += 1;
    }
  }
}
