// RELP, rsyslog's reliable event logging protocol (omrelp): `TXNR SP COMMAND SP DATALEN [SP DATA] LF` frames, each
// `syslog` command answered `TXNR rsp 6 200 OK` once the message is kept, so what was not answered is sent again
// after a reconnect: nothing is lost when logwarden stops or dies. Pure: bytes in, commands out.

export interface RelpCommand {
  txnr: number;
  command: string;
  data: Buffer;
}

export interface RelpRead {
  commands: RelpCommand[];
  /** Why the stream cannot be read on (a frame that is not RELP, or too large): the session must be closed. */
  broken?: string;
}

const HEADER = /^(\d{1,9}) ([a-z]{1,32}) (\d{1,9})/;

export class RelpFramer {
  private readonly maxDataBytes: number;
  private held: Buffer[] = [];
  private heldLength = 0;
  /** Bytes the frame being read needs in all (0: its header is not all here yet). */
  private needs = 0;

  constructor(maxDataBytes: number) {
    this.maxDataBytes = maxDataBytes;
  }

  push(bytes: Buffer): RelpRead {
    this.held.push(bytes);
    this.heldLength += bytes.length;
    if (this.needs > 0 && this.heldLength < this.needs) return { commands: [] };
    let data = Buffer.concat(this.held, this.heldLength);
    this.held = [];
    this.heldLength = 0;
    this.needs = 0;
    const out: RelpRead = { commands: [] };
    let at = 0;
    while (at < data.length) {
      const head = HEADER.exec(data.subarray(at, at + 64).toString('latin1'));
      if (!head) {
        // Not all of the header yet, or not RELP at all.
        if (data.length - at < 64 && /^\d{0,9}( [a-z]{0,32}( \d{0,9})?)?$/.test(data.subarray(at).toString('latin1')))
          break;
        return { ...out, broken: 'a frame that is not RELP' };
      }
      const [whole, txnr, command, length] = head;
      const size = Number(length);
      if (size > this.maxDataBytes + 16) return { ...out, broken: `a frame of ${size} bytes` };
      const start = at + whole!.length + (size > 0 ? 1 : 0);
      const end = start + size;
      if (end + 1 > data.length) {
        this.needs = end + 1 - at;
        break;
      }
      if (data[end] !== 0x0a || (size > 0 && data[start - 1] !== 0x20))
        return { ...out, broken: 'a frame without its trailer' };
      out.commands.push({ txnr: Number(txnr), command: command!, data: Buffer.from(data.subarray(start, end)) });
      at = end + 1;
    }
    if (at < data.length) {
      this.held = [Buffer.from(data.subarray(at))];
      this.heldLength = data.length - at;
    }
    data = Buffer.alloc(0);
    return out;
  }
}

/** A response frame: `TXNR rsp DATALEN CODE TEXT[ LF offers] LF`. */
export function relpResponse(txnr: number, text: string): Buffer {
  const data = Buffer.from(text);
  return Buffer.concat([Buffer.from(`${txnr} rsp ${data.length}${data.length ? ' ' : ''}`), data, Buffer.from('\n')]);
}

/** The answer to a client's `open`: the version it offered, and the one command this server takes. */
export function relpOpenResponse(txnr: number, offers: Buffer): Buffer {
  const version = /relp_version=(\d+)/.exec(offers.toString('latin1'))?.[1] ?? '0';
  return relpResponse(txnr, `200 OK\nrelp_version=${version}\nrelp_software=logwarden\ncommands=syslog`);
}

/** Told to a client when the server goes away: it reconnects and sends again what was not answered. */
export const RELP_SERVER_CLOSE = Buffer.from('0 serverclose 0\n');
