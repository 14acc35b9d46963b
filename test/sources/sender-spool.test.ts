// The copy of a network source's lines kept per sender for /logs: rotated at its size, at most twice that on disk
// per sender, whatever a sender's name holds, and read back like a file source.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSourceFiles } from '../../src/queries/search-logs.js';
import { createSenderSpool, spoolAsFileSource, spoolFileOf } from '../../src/sources/sender-spool.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

describe('the sender spool', () => {
  it('keeps at most twice maxBytes per sender, the newest lines last', () => {
    const dir = join(tempDir(), 'spool', 'net');
    const spool = createSenderSpool(dir, 1024, 1 << 20);
    for (let i = 0; i < 200; i++)
      spool.append('10.0.0.5', Buffer.from(`line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}\n`));
    spool.append('::1', Buffer.from('from v6\n'));
    spool.close();
    expect(readdirSync(dir).sort()).toEqual(['10.0.0.5.log', '10.0.0.5.log.1', '__1.log']);
    const current = readFileSync(join(dir, '10.0.0.5.log'), 'utf8');
    expect(current.trimEnd().split('\n').at(-1)).toMatch(/^line 199 /);
    for (const f of ['10.0.0.5.log', '10.0.0.5.log.1']) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(1024);
    // Opened again (a restart), it goes on from the size on disk.
    const again = createSenderSpool(dir, 1024, 1 << 20);
    again.append('10.0.0.5', Buffer.from(`${'y'.repeat(1000)}\n`));
    again.close();
    expect(readFileSync(join(dir, '10.0.0.5.log'), 'utf8')).toBe(`${'y'.repeat(1000)}\n`);
    const source = spoolAsFileSource({ id: 'net', maxLineBytes: 65536, spool: { dir, maxBytes: 1024 } })!;
    expect(listSourceFiles(source).map((f) => f.slice(dir.length + 1))).toEqual(
      expect.arrayContaining(['10.0.0.5.log', '10.0.0.5.log.1', '__1.log']),
    );
    expect(spoolAsFileSource({ id: 'net', maxLineBytes: 65536, spool: { dir, maxBytes: 0 } })).toBeUndefined();
  });

  it('keeps all senders under maxTotal, letting go of the least recently heard first', () => {
    const dir = join(tempDir(), 'spool');
    const spool = createSenderSpool(dir, 1000, 3000);
    const line = (n: number) => Buffer.from(`${'x'.repeat(n - 1)}\n`);
    for (let k = 0; k < 20; k++) spool.append(`10.0.0.${k}`, line(600));
    spool.append('10.0.0.19', line(600));
    spool.close();
    const total = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    expect(total).toBeLessThanOrEqual(3000);
    // The most recent senders are kept, the latest whole.
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['10.0.0.19.log', '10.0.0.19.log.1', '10.0.0.18.log']));
    expect(readdirSync(dir)).not.toContain('10.0.0.0.log');
  });

  it('writes no link and waits on no FIFO planted in its folder, and leaks no descriptor when a write fails', () => {
    const dir = tempDir();
    const target = join(dir, 'elsewhere.txt');
    writeFileSync(target, 'kept\n');
    symlinkSync(target, join(dir, '10.0.0.9.log'));
    execFileSync('mkfifo', [join(dir, '10.0.0.8.log')]);
    const spool = createSenderSpool(dir, 1 << 20, 1 << 30);
    expect(() => spool.append('10.0.0.9', Buffer.from('planted\n'))).toThrow(/ELOOP/);
    expect(() => spool.append('10.0.0.8', Buffer.from('planted\n'))).toThrow(/not a regular file|ENXIO/);
    expect(readFileSync(target, 'utf8')).toBe('kept\n');
    const before = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 20; i++) expect(() => spool.append('10.0.0.9', Buffer.from('x\n'))).toThrow();
    expect(readdirSync('/proc/self/fd').length).toBe(before);
    spool.close();
  });

  it('names a file for any sender inside its folder', () => {
    for (const sender of ['../../etc/passwd', '..', '.hidden', 'a/b', 'fe80::1%eth0', 'x'.repeat(300)]) {
      const file = spoolFileOf('/spool/net', sender);
      expect(file.startsWith('/spool/net/')).toBe(true);
      expect(file.slice('/spool/net/'.length)).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}\.log$/);
    }
  });
});
