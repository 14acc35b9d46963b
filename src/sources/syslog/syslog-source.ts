// A syslog source: listens on UDP (a datagram is a message, RFC 5426), TCP (RFC 6587 framing) and TCP with TLS
// (RFC 5425), from allowed senders only, and passes each message on as a line, in chunks per sender. A slow store
// slows the senders: TCP connections are paused while too much waits (their window fills, rsyslog's queue holds the
// rest); UDP cannot be slowed, so datagrams beyond the bound are dropped and counted.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { addressFamily } from '../../core/address-family.js';
import type { Logger } from '../../core/logger.js';
import { createThrottledWarn } from '../../core/throttled-warn.js';
import type { Timer, Timers } from '../../core/timers.js';
import type { Clock, LineChunk } from '../../core/types.js';
import { createSenderAllowlist, plainAddress } from '../sender-allowlist.js';
import { Senders } from '../senders.js';
import type { RunningSource, SourceStatus } from '../source.js';
import { datagramFrame, eventIdOf, SyslogFramer } from './framing.js';
import { RELP_SERVER_CLOSE, RelpFramer, relpOpenResponse, relpResponse } from './relp.js';
import { parseListen, type SyslogSourceConfig } from './schema.js';

export interface SyslogDeps {
  onChunk(chunk: LineChunk): Promise<void>;
  clock: Clock;
  logger: Logger;
  timers: Timers;
  /** The event ids it took before a restart, newest first (idFrom). */
  readEventIds?(sourceId: string, limit: number): Promise<string[]>;
}

/** What a syslog source counted since it started (for /metrics and the tests). */
export interface SyslogCounts {
  messages: number;
  /** Connections and datagrams from senders not allowed. */
  refused: number;
  oversized: number;
  malformed: number;
  /** Datagrams dropped while the store was behind. */
  dropped: number;
  /** Times the TCP senders were paused while the store was behind. */
  pauses: number;
  /** Messages dropped as sent before (idFrom): a sender's resend of what was committed. */
  duplicates: number;
}

/**
 * A message read and not passed on yet; a RELP one is answered once it is committed. A message sent again (its event
 * id taken) is not passed on, but answered only once the first one is committed (it may still be waiting).
 */
interface Waiting {
  frame: Buffer;
  ack?: () => void;
  id?: string;
  again?: boolean;
}

/** Event ids remembered per source to drop what a sender sends again. */
const IDS_KEPT = 100_000;

/** Messages waiting to be passed on, at most: over it TCP senders are paused and datagrams dropped. */
const HIGH_WATER_BYTES = 4 << 20;
/** Messages per chunk at most. */
const BATCH = 2000;
/** How long a stop waits for senders to close their connections. */
const DRAIN_MS = 2000;
/** A listener that could not bind is tried again this often. */
const REBIND_DELAY = 5000;

export function createSyslogSource(
  config: SyslogSourceConfig,
  deps: SyslogDeps,
): RunningSource & { counts: SyslogCounts } {
  const { logger } = deps;
  const isAllowed = createSenderAllowlist(config.allow);
  const counts: SyslogCounts = {
    messages: 0,
    refused: 0,
    oversized: 0,
    malformed: 0,
    dropped: 0,
    pauses: 0,
    duplicates: 0,
  };
  // Event ids (by sender: one sender cannot silence another's) committed, and those waiting to be.
  const ids = new Map<string, true>();
  const pending = new Set<string>();
  const listeners = config.listen.map((text) => ({
    text,
    address: parseListen(text),
    problem: 'not started' as string | undefined,
  }));
  const servers: (Server | UdpSocket)[] = [];
  const sockets = new Set<Socket>();
  const paused = new Set<Socket>();
  const rebinds: Timer[] = [];
  // By sender: the messages waiting to be passed on.
  const waiting = new Map<string, Waiting[]>();
  const senders = new Senders();
  // RELP sessions: answered once what they sent is committed.
  const relpSockets = new Set<Socket>();
  let waitingBytes = 0;
  let flushing: Promise<void> | undefined;
  let stopped = false;

  const warnOnce = createThrottledWarn(logger, deps.clock);
  const refuse = (sender: string, how: string) => {
    counts.refused++;
    warnOnce(
      `refused ${sender}`,
      { source: config.id, sender, how },
      'a sender not in allow: was refused (logged once a minute per sender)',
    );
  };

  const take = (sender: string, frames: readonly Buffer[], ack?: () => void) => {
    if (frames.length === 0) return;
    const list = waiting.get(sender) ?? [];
    waiting.set(sender, list);
    for (const frame of frames) {
      const id = config.idFrom ? eventIdOf(sender, frame) : undefined;
      const again = id !== undefined && (ids.has(id) || pending.has(id));
      if (again) counts.duplicates++;
      else if (id !== undefined) pending.add(id);
      list.push({
        frame,
        ...(ack ? { ack } : {}),
        ...(id !== undefined && !again ? { id } : {}),
        ...(again ? { again } : {}),
      });
      waitingBytes += frame.length + 1;
    }
    counts.messages += frames.length;
    senders.heard(sender, frames.length, deps.clock());
    if (waitingBytes > HIGH_WATER_BYTES && paused.size < sockets.size) {
      counts.pauses++;
      for (const s of sockets) {
        s.pause();
        paused.add(s);
      }
    }
    flushing ??= flush();
  };

  // One chunk per sender at a time, until nothing waits; the senders paused meanwhile resume once under the bound.
  const flush = async (): Promise<void> => {
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (waiting.size > 0) {
        const [sender, list] = waiting.entries().next().value as [string, Waiting[]];
        const batch = list.splice(0, BATCH);
        if (list.length === 0) waiting.delete(sender);
        let bytes = 0;
        let waited = 0;
        for (const w of batch) {
          waited += w.frame.length + 1;
          if (!w.again) bytes += w.frame.length + 1;
        }
        const data = Buffer.allocUnsafe(bytes);
        let at = 0;
        for (const w of batch) {
          if (w.again) continue;
          at += w.frame.copy(data, at);
          data[at++] = 0x0a;
        }
        const taken = batch.flatMap((w) => (w.id === undefined ? [] : [w.id]));
        try {
          // The ids go into the store with the lines, in one commit.
          const position = taken.length > 0 ? { position: { kind: 'events' as const, ids: taken } } : {};
          if (bytes > 0) {
            await deps.onChunk({ sourceId: config.id, origin: `syslog ${sender}`, data, sender, ...position });
          }
          for (const id of taken) ids.set(id, true);
          while (ids.size > IDS_KEPT) ids.delete(ids.keys().next().value!);
        } finally {
          waitingBytes -= waited;
          for (const id of taken) pending.delete(id);
        }
        // Committed: RELP senders hear so, and drop the messages from their queue.
        for (const w of batch) w.ack?.();
        if (waitingBytes <= HIGH_WATER_BYTES / 2 && paused.size > 0 && !stopped) {
          for (const s of paused) s.resume();
          paused.clear();
        }
      }
    } finally {
      flushing = undefined;
      if (waiting.size > 0) flushing = flush();
    }
  };

  const onFramed = (sender: string, framed: { frames: Buffer[]; oversized: number; malformed: number }) => {
    counts.oversized += framed.oversized;
    counts.malformed += framed.malformed;
    take(sender, framed.frames);
  };

  const onConnection = (socket: Socket) => {
    const sender = plainAddress(socket.remoteAddress ?? 'unknown');
    if (!isAllowed(socket.remoteAddress)) {
      refuse(sender, 'tcp');
      socket.destroy();
      return;
    }
    sockets.add(socket);
    const framer = new SyslogFramer(config.maxLineBytes);
    if (waitingBytes > HIGH_WATER_BYTES) {
      socket.pause();
      paused.add(socket);
    }
    socket.on('data', (bytes: Buffer) => onFramed(sender, framer.push(bytes)));
    socket.on('end', () => onFramed(sender, framer.end()));
    // A sender's connection reset is the sender's business (it reconnects and resends); it is closed and forgotten.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      paused.delete(socket);
    });
  };

  // A RELP session: `open` answered with what this server takes, each `syslog` once committed, `close` at once.
  const onRelpConnection = (socket: Socket) => {
    const sender = plainAddress(socket.remoteAddress ?? 'unknown');
    if (!isAllowed(socket.remoteAddress)) {
      refuse(sender, 'relp');
      socket.destroy();
      return;
    }
    sockets.add(socket);
    relpSockets.add(socket);
    const framer = new RelpFramer(config.maxLineBytes);
    let open = false;
    const answer = (frame: Buffer) => {
      if (socket.writable) socket.write(frame);
    };
    if (waitingBytes > HIGH_WATER_BYTES) {
      socket.pause();
      paused.add(socket);
    }
    socket.on('data', (bytes: Buffer) => {
      const read = framer.push(bytes);
      for (const { txnr, command, data } of read.commands) {
        if (command === 'open') {
          open = true;
          answer(relpOpenResponse(txnr, data));
        } else if (command === 'syslog' && open) {
          const framed = datagramFrame(data, config.maxLineBytes);
          counts.oversized += framed.oversized;
          if (framed.frames.length === 0) answer(relpResponse(txnr, '200 OK'));
          else take(sender, framed.frames, () => answer(relpResponse(txnr, '200 OK')));
        } else if (command === 'close') {
          answer(relpResponse(txnr, ''));
          socket.end();
        } else {
          counts.malformed++;
          answer(relpResponse(txnr, open ? '500 command not supported' : '500 session not open'));
        }
      }
      if (read.broken) {
        counts.malformed++;
        logger.warn(
          { source: config.id, sender, why: read.broken },
          'a RELP session sent a frame that cannot be read; it is closed',
        );
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      relpSockets.delete(socket);
      paused.delete(socket);
    });
  };

  const tlsOptions = () => {
    const t = config.tls!;
    return {
      cert: readFileSync(t.cert),
      key: readFileSync(t.key),
      ...(t.ca ? { ca: readFileSync(t.ca) } : {}),
      requestCert: t.clientCerts,
      rejectUnauthorized: t.clientCerts,
    };
  };

  const bind = (listener: (typeof listeners)[number]): Promise<void> => {
    const { address } = listener;
    return new Promise<void>((resolve) => {
      const failed = (error: Error) => {
        listener.problem = `${listener.text}: ${(error as NodeJS.ErrnoException).code ?? error.message}`;
        logger.error(
          { source: config.id, listen: listener.text, err: error.message },
          `cannot listen on ${listener.text}; trying again in 5 s`,
        );
        if (!stopped) rebinds.push(deps.timers.after(REBIND_DELAY, () => void bind(listener)));
        resolve();
      };
      if (address.transport === 'udp') {
        const socket = createSocket({ type: addressFamily(address.host) === 6 ? 'udp6' : 'udp4' });
        socket.once('error', failed);
        socket.on('message', (message, from) => {
          if (!isAllowed(from.address)) return refuse(from.address, 'udp');
          if (waitingBytes > HIGH_WATER_BYTES) {
            counts.dropped++;
            return;
          }
          onFramed(plainAddress(from.address), datagramFrame(message, config.maxLineBytes));
        });
        socket.bind(address.port, address.host, () => {
          socket.off('error', failed);
          socket.on('error', (error) =>
            logger.warn({ source: config.id, err: error.message }, 'syslog UDP socket error'),
          );
          listener.problem = undefined;
          servers.push(socket);
          resolve();
        });
        return;
      }
      let server: Server;
      try {
        const relp = address.transport === 'relp' || address.transport === 'relp+tls';
        const handler = relp ? onRelpConnection : onConnection;
        server =
          address.transport === 'tls' || address.transport === 'relp+tls'
            ? createTlsServer(tlsOptions(), handler)
            : createServer(handler);
      } catch (error) {
        failed(error as Error);
        return;
      }
      server.maxConnections = config.maxConnections;
      server.once('error', failed);
      server.listen({ port: address.port, host: address.host }, () => {
        server.off('error', failed);
        server.on('error', (error) => logger.warn({ source: config.id, err: error.message }, 'syslog listener error'));
        listener.problem = undefined;
        servers.push(server);
        resolve();
      });
    });
  };

  return {
    counts,
    async start() {
      // Oldest first, so the oldest are let go first.
      if (config.idFrom)
        for (const id of ((await deps.readEventIds?.(config.id, IDS_KEPT)) ?? []).reverse()) ids.set(id, true);
      await Promise.all(listeners.map(bind));
    },
    // A graceful stop loses nothing a sender sent: no new connection is taken, each sender is told (FIN) and read
    // until it closes (rsyslog sees the FIN before its next message, and sends that one after reconnecting), for
    // DRAIN_MS at most; then everything read is passed on.
    async stop() {
      stopped = true;
      for (const t of rebinds) t.cancel();
      const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      // A RELP sender is read no more: what it sent and was not answered, it sends again after reconnecting.
      for (const socket of relpSockets) socket.pause();
      const ended = Promise.all(
        [...sockets].map((socket) => {
          const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()));
          if (!relpSockets.has(socket)) {
            socket.resume();
            socket.end();
          }
          return gone;
        }),
      );
      while (flushing !== undefined) await flushing;
      for (const socket of relpSockets) socket.end(RELP_SERVER_CLOSE);
      const cut = deps.timers.after(DRAIN_MS, () => {
        for (const socket of sockets) socket.destroy();
      });
      await ended;
      cut.cancel();
      await closed;
      while (flushing !== undefined) await flushing;
    },
    async syncNow() {
      while (flushing !== undefined) await flushing;
    },
    status(): SourceStatus {
      const problems = listeners.flatMap((l) => (l.problem ? [l.problem] : []));
      return {
        ready: problems.length === 0,
        ...(problems.length ? { problem: problems.join('; ') } : {}),
        senders: senders.list(deps.clock()),
      };
    },
  };
}
