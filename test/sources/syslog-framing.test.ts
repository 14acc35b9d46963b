// RFC 6587 framing of syslog over TCP: octet-counted and line-feed frames, mixed, split anywhere, and what a hostile
// or broken sender sends (bad counts, oversized frames, a byte at a time, binary) counted and never held unbounded.
import { describe, expect, it } from 'vitest';
import { SyslogFramer } from '../../src/sources/syslog/framing.js';
import { RelpFramer, relpOpenResponse, relpResponse } from '../../src/sources/syslog/relp.js';

const frames = (framer: SyslogFramer, ...pieces: (string | Buffer)[]) => {
  const out = { frames: [] as string[], oversized: 0, malformed: 0 };
  for (const piece of pieces) {
    const r = framer.push(Buffer.isBuffer(piece) ? piece : Buffer.from(piece));
    out.frames.push(...r.frames.map((f) => f.toString()));
    out.oversized += r.oversized;
    out.malformed += r.malformed;
  }
  return out;
};

const A = '<34>1 2026-12-04T05:00:00Z web1 sshd 42 - - Failed password for root from 203.0.113.7 port 22 ssh2';
const B = '<13>Dec  4 05:00:01 web2 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls';

describe('SyslogFramer', () => {
  it('reads octet-counted and line-feed frames, mixed, whatever the pieces they arrive in', () => {
    const stream = `${Buffer.byteLength(A)} ${A}${B}\r\n${Buffer.byteLength(B)} ${B}${A}\n`;
    expect(frames(new SyslogFramer(1024), stream).frames).toEqual([A, B, B, A]);
    // Split at every byte: the same frames.
    const one = new SyslogFramer(1024);
    expect(frames(one, ...[...Buffer.from(stream)].map((b) => Buffer.from([b]))).frames).toEqual([A, B, B, A]);
    expect(one.heldBytes).toBe(0);
  });

  it('keeps a counted frame whole, its line feeds as spaces; a last frame without its line feed is read at the end', () => {
    const trace = 'java: error\n\tat x.y(Z.java:1)';
    const framer = new SyslogFramer(1024);
    expect(frames(framer, `${Buffer.byteLength(trace)} ${trace}tail without lf`).frames).toEqual([
      'java: error \tat x.y(Z.java:1)',
    ]);
    expect(framer.end().frames.map(String)).toEqual(['tail without lf']);
    // rsyslog's RFC 5424 template ends its message with a line feed inside the count.
    expect(frames(new SyslogFramer(1024), `${Buffer.byteLength(A) + 1} ${A}\n`).frames).toEqual([A]);
  });

  it('cuts an oversized frame to the limit and skips its rest, in either framing', () => {
    const framer = new SyslogFramer(256);
    const long = `<13>${'x'.repeat(1000)}`;
    const r = frames(framer, `${long}\n${A.slice(0, 50)}\n`, `${long.length} ${long}`, `${B}\n`);
    expect(r.frames.map((f) => f.length)).toEqual([256, 50, 256, B.length]);
    expect(r.oversized).toBe(2);
    expect(framer.heldBytes).toBe(0);
  });

  it('reads a count that is no count as a line, and counts it', () => {
    const r = frames(new SyslogFramer(1024), `12x <13>hello\n1234567890123 <13>big\n${A}\n`);
    expect(r.frames).toEqual(['12x <13>hello', '1234567890123 <13>big', A]);
    expect(r.malformed).toBe(2);
  });

  it('holds at most one frame per sender, however it is sent (a hostile corpus)', () => {
    const max = 512;
    const corpus: Buffer[] = [];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
    for (let k = 0; k < 40; k++) corpus.push(bytes(1 + Math.floor(random() * 3000)));
    for (let k = 0; k < 20; k++)
      corpus.push(Buffer.from(`${Math.floor(random() * 10 ** (1 + (k % 10)))} ${'y'.repeat(k * 40)}`));
    for (let k = 0; k < 20; k++) corpus.push(Buffer.from(`${'9'.repeat(1 + k)}`));
    for (let k = 0; k < 10; k++) corpus.push(Buffer.from(`<13>${'\u0000\r\n\t\u00ff'.repeat(k * 30)}`));
    for (let k = 0; k < 10; k++) corpus.push(Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x0a].slice(0, k)));
    corpus.push(
      Buffer.from(`${max + 1} `),
      Buffer.from(`${10 ** 8} `),
      Buffer.from('\n\n\n\r\n'),
      Buffer.alloc(5000, 0x31),
    );
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    for (const piece of corpus) {
      // Each alone, then all in one stream, whole and a byte at a time.
      const alone = new SyslogFramer(max);
      for (const f of [...alone.push(piece).frames, ...alone.end().frames]) expect(f.length).toBeLessThanOrEqual(max);
    }
    const stream = new SyslogFramer(max);
    for (const piece of corpus) {
      for (const f of stream.push(piece).frames) expect(f.length).toBeLessThanOrEqual(max);
      expect(stream.heldBytes).toBeLessThanOrEqual(max + 10);
    }
    const dribbled = new SyslogFramer(max);
    for (const b of Buffer.concat(corpus.slice(0, 30))) {
      dribbled.push(Buffer.from([b]));
      expect(dribbled.heldBytes).toBeLessThanOrEqual(max + 10);
    }
  });
});

describe('RelpFramer', () => {
  const offers = 'relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog';
  const open = `1 open ${offers.length} ${offers}\n`;
  const syslog = (txnr: number, message: string) => `${txnr} syslog ${Buffer.byteLength(message)} ${message}\n`;

  it('reads RELP commands whatever the pieces they arrive in, and answers as librelp expects', () => {
    const stream = `${open}${syslog(2, A)}${syslog(3, B)}4 close 0\n`;
    const whole = new RelpFramer(1024).push(Buffer.from(stream));
    expect(whole.commands.map((c) => [c.txnr, c.command, c.data.toString()])).toEqual([
      [1, 'open', 'relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog'],
      [2, 'syslog', A],
      [3, 'syslog', B],
      [4, 'close', ''],
    ]);
    const bytewise = new RelpFramer(1024);
    const commands = [...Buffer.from(stream)].flatMap((b) => bytewise.push(Buffer.from([b])).commands);
    expect(commands.map((c) => c.txnr)).toEqual([1, 2, 3, 4]);
    expect(relpResponse(2, '200 OK').toString()).toBe('2 rsp 6 200 OK\n');
    expect(relpResponse(4, '').toString()).toBe('4 rsp 0\n');
    expect(relpOpenResponse(1, whole.commands[0]!.data).toString()).toBe(
      '1 rsp 61 200 OK\nrelp_version=0\nrelp_software=logwarden\ncommands=syslog\n',
    );
  });

  it('says the stream is broken for what is not RELP, a frame without its trailer, or one too large', () => {
    expect(new RelpFramer(1024).push(Buffer.from('<13>Dec  4 05:00:00 web1 app: plain syslog\n')).broken).toBe(
      'a frame that is not RELP',
    );
    expect(new RelpFramer(1024).push(Buffer.from('2 syslog 3 abcX')).broken).toBe('a frame without its trailer');
    expect(new RelpFramer(1024).push(Buffer.from('2 syslog 999999 ')).broken).toBe('a frame of 999999 bytes');
    const ok = new RelpFramer(1024).push(Buffer.from(`${syslog(2, 'x')}2 sysl`));
    expect([ok.commands.length, ok.broken]).toEqual([1, undefined]);
  });
});
