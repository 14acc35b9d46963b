// Syslog over a stream (RFC 6587): each frame is either octet-counted (`<length> <message>`, RFC 5425's framing too)
// or ends at a line feed (non-transparent framing, what `omfwd` sends by default). A sender may mix them frame by
// frame; a message starts with `<`, a count with a digit, so each frame says which it is. Pure: bytes in, frames out.
import { createHash } from 'node:crypto';

/** What became of the bytes pushed: whole frames, and the ones that could not be read as sent. */
export interface Framed {
  frames: Buffer[];
  /** Frames longer than the limit, cut to it. */
  oversized: number;
  /** Counts that were not counts (`12x`, a count of ten digits): read as a line instead. */
  malformed: number;
}

/** The longest count read: ten digits would already be gigabytes. */
const MAX_COUNT_DIGITS = 9;
const LF = 0x0a;
const SP = 0x20;

export class SyslogFramer {
  private readonly maxFrameBytes: number;
  /** Bytes of a frame not complete yet (at most maxFrameBytes + the count's digits), in the pieces they came in. */
  private held: Buffer[] = [];
  private heldLength = 0;
  /**
   * How many held bytes the frame needs before it is worth reading again: a count's whole frame, or (a line) one
   * more piece with a line feed. Pieces are joined only then: a sender dribbling a byte at a time costs no copying.
   */
  private needs = 0;
  /** Bytes of an oversized frame still to be skipped: an octet count's rest, or up to the next line feed (-1). */
  private skipping = 0;

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes held for a frame not complete yet: what a connection costs in memory between reads. */
  get heldBytes(): number {
    return this.heldLength;
  }

  push(bytes: Buffer): Framed {
    const out: Framed = { frames: [], oversized: 0, malformed: 0 };
    if (this.heldLength > 0) {
      const total = this.heldLength + bytes.length;
      const waiting = this.needs > 0 ? total < this.needs : !bytes.includes(LF) && total <= this.maxFrameBytes;
      this.held.push(bytes);
      this.heldLength = total;
      if (waiting) return out;
    }
    let data = this.heldLength > 0 ? Buffer.concat(this.held, this.heldLength) : bytes;
    this.held = [];
    this.heldLength = 0;
    this.needs = 0;
    let at = 0;
    while (at < data.length) {
      if (this.skipping !== 0) {
        at = this.skip(data, at);
        continue;
      }
      const first = data[at]!;
      if (first >= 0x31 && first <= 0x39) {
        const counted = this.counted(data, at, out);
        if (counted === undefined) break;
        at = counted;
        continue;
      }
      const end = data.indexOf(LF, at);
      if (end === -1) {
        if (data.length - at > this.maxFrameBytes) {
          out.frames.push(data.subarray(at, at + this.maxFrameBytes));
          out.oversized++;
          this.skipping = -1;
          at = data.length;
          continue;
        }
        break;
      }
      this.lineFrame(data.subarray(at, end), out);
      at = end + 1;
    }
    if (at < data.length) {
      this.held = [Buffer.from(data.subarray(at))];
      this.heldLength = data.length - at;
      const first = data[at]!;
      const count =
        first >= 0x31 && first <= 0x39 ? /^(\d{1,9}) /.exec(data.subarray(at, at + 10).toString('latin1')) : null;
      // A count's frame is awaited whole (up to the limit); a line, until a piece brings a line feed.
      // A count not all here yet: any more byte may finish it.
      this.needs = count
        ? count[1]!.length + 1 + Math.min(Number(count[1]), this.maxFrameBytes)
        : first >= 0x31 && first <= 0x39
          ? this.heldLength + 1
          : 0;
    }
    data = Buffer.alloc(0);
    return out;
  }

  /** What is left when the sender closes: a last frame without its line feed. */
  end(): Framed {
    const out: Framed = { frames: [], oversized: 0, malformed: 0 };
    if (this.heldLength > 0 && this.skipping === 0) this.lineFrame(Buffer.concat(this.held, this.heldLength), out);
    this.held = [];
    this.heldLength = 0;
    this.needs = 0;
    this.skipping = 0;
    return out;
  }

  private lineFrame(frame: Buffer, out: Framed): void {
    let end = frame.length;
    // CR LF, and a NUL some senders end frames with.
    while (end > 0 && (frame[end - 1] === 0x0d || frame[end - 1] === 0x00)) end--;
    if (end === 0) return;
    if (end > this.maxFrameBytes) {
      out.frames.push(frame.subarray(0, this.maxFrameBytes));
      out.oversized++;
    } else out.frames.push(frame.subarray(0, end));
  }

  /** An octet-counted frame at `at`: where the next begins, or undefined when it is not all here yet. */
  private counted(data: Buffer, at: number, out: Framed): number | undefined {
    let i = at;
    let length = 0;
    while (i < data.length && i - at < MAX_COUNT_DIGITS && data[i]! >= 0x30 && data[i]! <= 0x39) {
      length = length * 10 + data[i]! - 0x30;
      i++;
    }
    if (i === data.length) return undefined;
    if (data[i] !== SP) {
      // Not a count: the rest of the line is one frame, as a line-framed sender meant it.
      out.malformed++;
      const end = data.indexOf(LF, at);
      if (end === -1) return data.length - at > this.maxFrameBytes ? this.cutLine(data, at, out) : undefined;
      this.lineFrame(data.subarray(at, end), out);
      return end + 1;
    }
    const start = i + 1;
    if (length > this.maxFrameBytes) {
      if (data.length - start < this.maxFrameBytes) return undefined;
      out.frames.push(data.subarray(start, start + this.maxFrameBytes));
      out.oversized++;
      this.skipping = length - this.maxFrameBytes;
      return start + this.maxFrameBytes;
    }
    if (data.length - start < length) return undefined;
    // rsyslog's RFC 5424 templates end the message with a line feed, inside the count: it goes, as CR and NUL do.
    let end = start + length;
    while (end > start && (data[end - 1] === LF || data[end - 1] === 0x0d || data[end - 1] === 0x00)) end--;
    const frame = data.subarray(start, end);
    // A counted frame may hold line feeds (a stack trace): one line each way, so they become spaces.
    if (frame.length > 0) out.frames.push(frame.includes(LF) ? spaced(frame) : frame);
    return start + length;
  }

  private cutLine(data: Buffer, at: number, out: Framed): number {
    out.frames.push(data.subarray(at, at + this.maxFrameBytes));
    out.oversized++;
    this.skipping = -1;
    return data.length;
  }

  /** Skips the rest of an oversized frame; returns where reading goes on. */
  private skip(data: Buffer, at: number): number {
    if (this.skipping === -1) {
      const end = data.indexOf(LF, at);
      if (end === -1) return data.length;
      this.skipping = 0;
      return end + 1;
    }
    const n = Math.min(this.skipping, data.length - at);
    this.skipping -= n;
    return at + n;
  }
}

/** A copy of the frame with its line feeds as spaces. */
function spaced(frame: Buffer): Buffer {
  const copy = Buffer.from(frame);
  for (let i = copy.indexOf(LF); i !== -1; i = copy.indexOf(LF, i + 1)) copy[i] = SP;
  return copy;
}

/** A datagram is one message (RFC 5426): its line feeds become spaces, its trailing CR, LF and NUL go, cut to the limit. */
export function datagramFrame(message: Buffer, maxFrameBytes: number): Framed {
  let end = message.length;
  while (end > 0 && (message[end - 1] === 0x0a || message[end - 1] === 0x0d || message[end - 1] === 0x00)) end--;
  if (end === 0) return { frames: [], oversized: 0, malformed: 0 };
  const cut = Math.min(end, maxFrameBytes);
  const frame = message.subarray(0, cut);
  return {
    frames: [frame.includes(LF) ? spaced(frame) : Buffer.from(frame)],
    oversized: end > maxFrameBytes ? 1 : 0,
    malformed: 0,
  };
}

/** An RFC 5424 message's MSGID, when it has one: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID …`. */
export function msgIdOf(frame: Buffer): string | undefined {
  const head = frame.subarray(0, 400).toString('latin1');
  const id = /^<\d{1,3}>1 \S+ \S+ \S+ \S+ ([\x21-\x7e]{1,32}) /.exec(head)?.[1];
  return id === '-' ? undefined : id;
}

/**
 * A message's event id (idFrom: msgid), when it has a MSGID: a resend is the same bytes, so the id is the MSGID and
 * the frame's hash (a device that puts a fixed tag in MSGID loses nothing), by sender (one never touches another's).
 */
export function eventIdOf(sender: string, frame: Buffer): string | undefined {
  const msgId = msgIdOf(frame);
  return msgId === undefined
    ? undefined
    : `${sender} ${msgId} ${createHash('sha256').update(frame).digest('base64').slice(0, 16)}`;
}
