// Who sends to a network source, for `/logs hosts`: when each sender was last heard, how many lines it sent, and how
// many in the last full minute. Bounded: the senders heard least recently are let go first.
import type { SenderStatus } from './source.js';

const MAX_SENDERS = 10_000;
const MINUTE = 60_000;

export class Senders {
  private readonly seen = new Map<
    string,
    { lastAt: number; lines: number; minute: number; thisMinute: number; lastMinute: number }
  >();

  heard(sender: string, lines: number, at: number): void {
    const minute = Math.floor(at / MINUTE);
    const s = this.seen.get(sender) ?? { lastAt: at, lines: 0, minute, thisMinute: 0, lastMinute: 0 };
    if (minute !== s.minute) {
      s.lastMinute = minute === s.minute + 1 ? s.thisMinute : 0;
      s.thisMinute = 0;
      s.minute = minute;
    }
    s.thisMinute += lines;
    s.lines += lines;
    s.lastAt = at;
    // Heard now: to the end of the order.
    this.seen.delete(sender);
    this.seen.set(sender, s);
    if (this.seen.size > MAX_SENDERS) this.seen.delete(this.seen.keys().next().value!);
  }

  /** The senders, the most recently heard first. */
  list(now: number): SenderStatus[] {
    const minute = Math.floor(now / MINUTE);
    return [...this.seen].reverse().map(([sender, s]) => ({
      sender,
      lastAt: s.lastAt,
      lines: s.lines,
      perMinute: minute === s.minute ? s.lastMinute : minute === s.minute + 1 ? s.thisMinute : 0,
    }));
  }
}
