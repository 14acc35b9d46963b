// The syslog source on loopback: util-linux's real `logger` sending RFC 5424 and RFC 3164 over TCP (line feed and
// octet-counted frames) and UDP, TLS from a Node client with a throwaway certificate, senders refused by `allow:`,
// a slow store slowing a flooding sender (its TCP window fills) instead of memory growing, and the whole pipeline
// opening an incident from lines another host sent.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { systemTimers } from '../../src/core/timers.js';
import type { IncidentEvent, LineChunk } from '../../src/core/types.js';
import { msgIdOf } from '../../src/sources/syslog/framing.js';
import { syslogSourceSchema } from '../../src/sources/syslog/schema.js';
import { createSyslogSource } from '../../src/sources/syslog/syslog-source.js';
import { silentLogger } from '../helpers/fixtures.js';
import { freePort } from '../helpers/free-port.js';
import { startSlackSetup } from '../helpers/slack-setup.js';
import { startLogwarden } from '../helpers/start-logwarden.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const MINUTE = 60_000;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function startSource(entry: Record<string, unknown>, onChunk?: (chunk: LineChunk) => Promise<void>) {
  const lines: { origin: string; text: string }[] = [];
  const source = createSyslogSource(syslogSourceSchema.parse({ id: 'net', type: 'syslog', ...entry }), {
    onChunk:
      onChunk ??
      (async (chunk) => {
        for (const text of chunk.data.toString().split('\n').slice(0, -1)) lines.push({ origin: chunk.origin, text });
      }),
    logger: silentLogger,
    timers: systemTimers,
    clock: Date.now,
  });
  await source.start();
  cleanup.push(() => source.stop());
  return { source, lines };
}

const logger = (...args: string[]) => execFileSync('logger', args, { stdio: 'pipe' });

describe('syslog source', () => {
  it('with idFrom: msgid, drops a message sent again with the same MSGID by the same sender, not by another', async () => {
    const port = await freePort();
    const chunks: LineChunk[] = [];
    const { source } = await startSource({ listen: `tcp://127.0.0.1:${port}`, idFrom: 'msgid' }, async (chunk) => {
      chunks.push(chunk);
    });
    const frame = (id: string, text: string) => `<38>1 2026-12-04T05:00:00Z web1 sshd 7 ${id} - ${text}\n`;
    for (const from of ['127.0.0.1', '127.0.0.2']) {
      const sender = connectTcp({ port, host: '127.0.0.1', localAddress: from });
      await once(sender, 'connect');
      // The same message twice (a resend), another with the same MSGID (a device's fixed tag), and two without one.
      sender.end(
        frame('A1', 'one') + frame('A1', 'one') + frame('A1', 'two') + frame('-', 'no id') + frame('-', 'no id'),
      );
      await once(sender, 'close');
    }
    await expect.poll(() => chunks.flatMap((c) => c.data.toString().split('\n').filter(Boolean)).length).toBe(8);
    expect(source.counts.duplicates).toBe(2);
    // The ids go to the store with their lines: two per sender, theirs alone.
    expect(
      chunks.map((c) =>
        c.position?.kind === 'events' ? c.position.ids.map((id) => id.split(' ').slice(0, 2).join(' ')) : [],
      ),
    ).toEqual([
      ['127.0.0.1 A1', '127.0.0.1 A1'],
      ['127.0.0.2 A1', '127.0.0.2 A1'],
    ]);
    expect(msgIdOf(Buffer.from(frame('1F2AF4176B004C62A9BD758AC57EE3AE', 'x')))).toBe(
      '1F2AF4176B004C62A9BD758AC57EE3AE',
    );
    expect(msgIdOf(Buffer.from('<38>Dec  4 05:00:00 web1 sshd[7]: A1 x'))).toBeUndefined();
  });

  it('reads what logger sends over TCP (line feed and octet-counted frames, RFC 5424 and 3164) and UDP', async () => {
    const [tcp, udp] = [await freePort(), await freePort()];
    const { source, lines } = await startSource({ listen: [`tcp://127.0.0.1:${tcp}`, `udp://127.0.0.1:${udp}`] });
    expect(source.status()).toEqual({ ready: true, senders: [] });
    const at = ['-n', '127.0.0.1', '-t', 'sshd', '-i'];
    logger(...at, '-P', String(tcp), '-T', '--rfc5424', 'Failed password for root from 203.0.113.7 port 22 ssh2');
    logger(...at, '-P', String(tcp), '-T', '--octet-count', '--rfc5424', 'Invalid user admin from 203.0.113.8 port 22');
    logger(...at, '-P', String(tcp), '-T', '--rfc3164', 'Failed password for bob from 203.0.113.9 port 22 ssh2');
    logger(...at, '-P', String(udp), '-d', '--rfc5424', 'Failed password for carol from 203.0.113.10 port 22 ssh2');
    await expect.poll(() => lines.length).toBe(4);
    expect(lines.map((l) => l.origin)).toEqual(Array(4).fill('syslog 127.0.0.1'));
    // In any order: the loggers ran while this thread waited for them.
    expect(lines.map((l) => l.text)).toHaveLength(4);
    expect(lines.map((l) => l.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^<13>1 \S+ \S+ sshd \d+ - \[timeQuality .*\] Failed password for root from 203\.0\.113\.7 port 22 ssh2$/,
        ),
        expect.stringMatching(
          /^<13>1 \S+ \S+ sshd \d+ - \[timeQuality .*\] Invalid user admin from 203\.0\.113\.8 port 22$/,
        ),
        expect.stringMatching(
          /^<13>\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ sshd\[\d+\]: Failed password for bob from 203\.0\.113\.9 port 22 ssh2$/,
        ),
        expect.stringMatching(/^<13>1 \S+ \S+ sshd \d+ - \[timeQuality .*\] Failed password for carol/),
      ]),
    );
    expect(source.counts).toMatchObject({ messages: 4, refused: 0, malformed: 0 });
  });

  it('refuses senders outside allow: (TCP and UDP), counts them, and reads on', async () => {
    const [tcp, udp] = [await freePort(), await freePort()];
    const { source, lines } = await startSource({
      listen: [`tcp://127.0.0.1:${tcp}`, `udp://127.0.0.1:${udp}`],
      allow: ['127.0.0.1'],
    });
    // 127.0.0.2 is loopback too, and not allowed.
    const refused = connectTcp({ port: tcp, host: '127.0.0.1', localAddress: '127.0.0.2' });
    refused.on('error', () => undefined);
    refused.write('<13>Dec  4 05:00:00 forged sshd[1]: Failed password for root from 198.51.100.1 port 1 ssh2\n');
    await once(refused, 'close');
    const { createSocket } = await import('node:dgram');
    const dgram = createSocket('udp4');
    await new Promise<void>((resolve) => dgram.bind(0, '127.0.0.2', resolve));
    dgram.send('<13>Dec  4 05:00:00 forged sshd[1]: hello', udp, '127.0.0.1');
    await expect.poll(() => source.counts.refused).toBe(2);
    dgram.close();
    logger('-n', '127.0.0.1', '-P', String(tcp), '-T', '-t', 'app', 'allowed');
    await expect.poll(() => lines.map((l) => l.text.slice(-7))).toEqual(['allowed']);
  });

  it('speaks TLS (RFC 5425) with the configured certificate', async () => {
    const dir = tempDir();
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
    const port = await freePort();
    const { lines } = await startSource({
      listen: `tls://127.0.0.1:${port}`,
      tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') },
    });
    const client = connectTls({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: execFileSync('cat', [join(dir, 'cert.pem')]),
    });
    await once(client, 'secureConnect');
    const message = '<38>1 2026-12-04T05:00:00Z web3 sshd 7 - - Accepted publickey for alice from 10.0.0.5 port 5 ssh2';
    client.end(`${Buffer.byteLength(message)} ${message}`);
    await expect.poll(() => lines.map((l) => l.text)).toEqual([message]);
  });

  it('slows a flooding sender while the store is behind: its TCP window fills, nothing is lost', async () => {
    const port = await freePort();
    let release: () => void = () => undefined;
    let gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let received = 0;
    const { source } = await startSource({ listen: `tcp://127.0.0.1:${port}` }, async (chunk) => {
      await gate;
      received += chunk.data.toString().split('\n').length - 1;
    });
    const sender = connectTcp({ port, host: '127.0.0.1' });
    await once(sender, 'connect');
    const line = `<13>Dec  4 05:00:00 web1 app: ${'z'.repeat(200)}\n`;
    const total = 200_000;
    let written = 0;
    const pump = (): void => {
      while (written < total) {
        written++;
        if (!sender.write(line)) {
          sender.once('drain', pump);
          return;
        }
      }
      sender.end();
    };
    pump();
    // The store is stuck: the sender is paused (its writes wait, its window fills) rather than the source reading all
    // 44 MB into memory.
    await expect.poll(() => source.counts.pauses, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(written).toBeLessThan(total);
    expect(source.counts.messages * line.length).toBeLessThan(16 << 20);
    release();
    gate = Promise.resolve();
    await expect.poll(() => received, { timeout: 20_000 }).toBe(total);
  });

  it('stops gracefully: a sender told to go (FIN) is still read until it closes, and what it sent is passed on', async () => {
    const port = await freePort();
    const { source, lines } = await startSource({ listen: `tcp://127.0.0.1:${port}` });
    const sender = connectTcp({ port, host: '127.0.0.1', allowHalfOpen: true });
    await once(sender, 'connect');
    sender.write('<13>Dec  4 05:00:00 web1 app: before the stop\n');
    await expect.poll(() => lines.length).toBe(1);
    const stopping = source.stop();
    await once(sender, 'end');
    // Told to go, the sender still sends what it had (rsyslog does: it does not read its connection).
    sender.end('<13>Dec  4 05:00:01 web1 app: after the FIN\n');
    await stopping;
    expect(lines.map((l) => l.text.replace(/^.* app: /, ''))).toEqual(['before the stop', 'after the FIN']);
  });

  it('/logs hosts in Slack: who sends, when last, how many a minute; only to those who may see the source', async () => {
    const dir = tempDir();
    const port = await freePort();
    const s = await startSlackSetup(dir, cleanup, {
      sources: [`{ id: net, type: syslog, listen: "tcp://127.0.0.1:${port}" }`],
    });
    const sender = connectTcp({ port, host: '127.0.0.1' });
    await once(sender, 'connect');
    sender.end(['a', 'b', 'c'].map((x) => `<13>Dec  4 05:00:00 web1 app: ${x}\n`).join(''));
    await expect.poll(async () => (await s.app.senders())[0]?.senders[0]?.lines).toBe(3);
    const ask = async (user: string) => {
      const before = s.replies().length;
      await s.slack.send('slash_commands', s.logs(user, 'hosts'));
      await expect.poll(() => s.replies().length).toBe(before + 1);
      return s.replies().at(-1)!;
    };
    expect(await ask('U0ALICE')).toMatch(
      /^1 sender to 1 source, the most recently heard first: .*\*net\* \(syslog\)\\n`127\.0\.0\.1` last line \d+ s ago · [03] lines\/min · 3 lines/,
    );
    expect(await ask('U0WEB')).toMatch(/^No source you may see takes lines from other hosts/);
  });

  it('/logs search, tail and ip read what the remote hosts sent, from a bounded copy per sender', async () => {
    const dir = tempDir();
    const port = await freePort();
    const s = await startSlackSetup(dir, cleanup, {
      sources: [`{ id: net, type: syslog, listen: "tcp://127.0.0.1:${port}", allow: [127.0.0.0/8] }`],
    });
    for (const [from, host] of [
      ['127.0.0.1', 'web1'],
      ['127.0.0.2', 'web2'],
    ] as const) {
      const sender = connectTcp({ port, host: '127.0.0.1', localAddress: from });
      await once(sender, 'connect');
      sender.end(
        `<38>Dec  4 05:00:00 ${host} sshd[7]: Failed password for root from 198.51.100.${host.at(-1)} port 22 ssh2\n`,
      );
    }
    await expect.poll(async () => (await s.app.senders())[0]?.senders.length).toBe(2);
    const spool = join(dir, 'spool', 'net');
    await expect.poll(() => existsSync(join(spool, '127.0.0.2.log'))).toBe(true);
    const ask = async (text: string) => {
      const before = s.replies().length;
      await s.slack.send('slash_commands', s.logs('U0ALICE', text));
      await expect.poll(() => s.replies().length).toBe(before + 1);
      return JSON.stringify(s.slack.callsOf('/respond').at(-1)!.params);
    };
    const found = await ask('search Failed password source:net');
    expect(found).toContain('web1 sshd[7]: Failed password for root from 198.51.100.1');
    expect(found).toContain('web2 sshd[7]: Failed password for root from 198.51.100.2');
    expect(await ask('ip 198.51.100.2')).toContain('web2 sshd[7]: Failed password');
    expect(await ask('tail net 5')).toMatch(/web[12] sshd\[7\]/);
  });

  it('a host that stops sending is told by source-quiet, as a source of its own, while the others go on', async () => {
    const dir = tempDir();
    const port = await freePort();
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: net, type: syslog, listen: "tcp://127.0.0.1:${port}" }]
rules: [{ detect: source-quiet, source: net, learn: { period: 1h, timezone: UTC } }]
`,
      'quiet.yml',
    );
    let now = Date.UTC(2026, 0, 5, 8);
    const events: IncidentEvent[] = [];
    const lw = await startLogwarden(loaded, { clock: () => now, onEvent: (e) => events.push(e) });
    cleanup.push(() => lw.stop());
    const connectFrom = async (localAddress: string) => {
      const socket = connectTcp({ port, host: '127.0.0.1', localAddress });
      await once(socket, 'connect');
      return socket;
    };
    const [web1, web2] = [await connectFrom('127.0.0.1'), await connectFrom('127.0.0.2')];
    cleanup.push(() => {
      web1.destroy();
      web2.destroy();
    });
    const linesOf = async (sender: string) =>
      (await lw.app.senders())[0]?.senders.find((x) => x.sender === sender)?.lines ?? 0;
    // A line a minute from each for 70 minutes (it learns for an hour), each read before the clock moves on.
    for (let k = 1; k <= 86; k++) {
      web1.write(`<13>Jan  5 08:00:00 web1 app: ${k}\n`);
      await expect.poll(() => linesOf('127.0.0.1')).toBe(k);
      if (k <= 70) {
        web2.write(`<13>Jan  5 08:00:00 web2 app: ${k}\n`);
        await expect.poll(() => linesOf('127.0.0.2')).toBe(k);
      }
      now += MINUTE;
      await lw.app.sweep();
    }
    expect(events.map((e) => [e.event, e.incident.title, e.incident.source])).toEqual([
      ['opened', 'net 127.0.0.2 has been silent for 15m (usually under 1m), since Mon 09:09', 'net'],
    ]);
  });

  it('counts by host when a rule says so: the host each line’s envelope names', async () => {
    const dir = tempDir();
    const port = await freePort();
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: net, type: syslog, listen: "tcp://127.0.0.1:${port}" }]
rules: [{ use: sshd, source: net, threshold: { count: 3, by: [ip, host] } }]
`,
      'byhost.yml',
    );
    const events: IncidentEvent[] = [];
    const lw = await startLogwarden(loaded, { clock: () => Date.now(), onEvent: (e) => events.push(e) });
    cleanup.push(() => lw.stop());
    const sender = connectTcp({ port, host: '127.0.0.1' });
    await once(sender, 'connect');
    // Two failures on each of web1 and web2, then a third on web2: only web2 reaches three.
    for (const [k, host] of ['web1', 'web2', 'web1', 'web2', 'web2'].entries()) {
      sender.write(
        `<38>1 2026-12-04T05:00:0${k}Z ${host} sshd 4${k} - - Failed password for root from 203.0.113.7 port 4${k} ssh2\n`,
      );
    }
    sender.end();
    await expect
      .poll(() => events.map((e) => [e.event, e.incident.key]))
      .toEqual([['opened', { ip: '203.0.113.7', host: 'web2' }]]);
    expect(events[0]!.incident.fields.host).toBe('web2');
    // Who sent it, beside what its text says: no capture can be named @sender.
    expect(events[0]!.incident.fields['@sender']).toBe('127.0.0.1');
  });

  it('through the pipeline, hostile frames are counted and dropped or cut, and the source reads on', async () => {
    const dir = tempDir();
    const port = await freePort();
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: net, type: syslog, listen: "tcp://127.0.0.1:${port}", maxLineBytes: 1024 }]
rules: [{ use: sshd, source: net, threshold: { count: 2, by: [ip, host] } }]
`,
      'hostile.yml',
    );
    const events: IncidentEvent[] = [];
    const lw = await startLogwarden(loaded, { clock: () => Date.now(), onEvent: (e) => events.push(e) });
    cleanup.push(() => lw.stop());
    // A count of 100 MB: what follows on that connection is the frame's rest, skipped (it is the sender's own loss).
    const liar = connectTcp({ port, host: '127.0.0.1' });
    await once(liar, 'connect');
    liar.end(`99999999 ${'x'.repeat(2000)}\n<13>Dec  4 05:00:00 web9 app: swallowed\n`);
    await once(liar, 'close');
    const sender = connectTcp({ port, host: '127.0.0.1' });
    await once(sender, 'connect');
    const fail = (host: string) =>
      `<38>1 2026-12-04T05:00:00Z ${host} sshd 7 - - Failed password for root from 203.0.113.7 port 1 ssh2`;
    sender.write(
      Buffer.concat([
        Buffer.from('12x not a count\n'),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x0a]),
        Buffer.from(`${'y'.repeat(5000)}\n`),
        // Host names no host has: a mention, a terminal escape, a name longer than DNS allows.
        Buffer.from(`${fail('<!channel>')}\n${fail('<!channel>')}\n`),
        Buffer.from(`${fail('web\u001b[31m')}\n${fail('web\u001b[31m')}\n`),
        Buffer.from(`${fail('h'.repeat(300))}\n${fail('h'.repeat(300))}\n`),
        Buffer.from(`${fail('web1')}\n${fail('web1')}\n`),
      ]),
    );
    sender.end();
    // Only the host that is one opens an incident; a host field that is no host name keys nothing.
    await expect
      .poll(() => events.map((e) => [e.event, e.incident.key]))
      .toEqual([['opened', { ip: '203.0.113.7', host: 'web1' }]]);
  });

  it('through the pipeline: another host’s failures open an incident', async () => {
    const dir = tempDir();
    const port = await freePort();
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: net, type: syslog, listen: "tcp://127.0.0.1:${port}" }]
rules: [{ use: sshd, source: net }]
`,
      'net.yml',
    );
    const events: IncidentEvent[] = [];
    const lw = await startLogwarden(loaded, { clock: () => Date.now(), onEvent: (e) => events.push(e) });
    cleanup.push(() => lw.stop());
    const sender = connectTcp({ port, host: '127.0.0.1' });
    await once(sender, 'connect');
    for (let k = 0; k < 5; k++) {
      sender.write(
        `<38>1 2026-12-04T05:00:0${k}Z web7 sshd 4${k} - - Failed password for root from 203.0.113.7 port 4${k} ssh2\n`,
      );
    }
    sender.end();
    await expect
      .poll(() => events.map((e) => [e.event, e.incident.title]))
      .toEqual([['opened', 'SSH brute force from 203.0.113.7']]);
  });
});
