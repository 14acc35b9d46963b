// The copy of a network source's lines kept per sender for /logs: rotated at its size, at most twice that on disk
// per sender, whatever a sender's name holds, and read back like a file source.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSourceFiles } from '../../src/queries/search-logs.js';
import { createSenderSpool, spoolAsFileSource, spoolFileOf } from '../../src/sources/sender-spool.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

describe('the sender spool', () => {
  it('keeps at most twice maxBytes per sender, the newest lines last', () => {
    const dir = join(tempDir(), 'spool', 'net');
    const spool = createSenderSpool(dir, 1024);
    for (let i = 0; i < 200; i++)
      spool.append('10.0.0.5', Buffer.from(`line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}\n`));
    spool.append('::1', Buffer.from('from v6\n'));
    spool.close();
    expect(readdirSync(dir).sort()).toEqual(['10.0.0.5.log', '10.0.0.5.log.1', '__1.log']);
    const current = readFileSync(join(dir, '10.0.0.5.log'), 'utf8');
    expect(current.trimEnd().split('\n').at(-1)).toMatch(/^line 199 /);
    for (const f of ['10.0.0.5.log', '10.0.0.5.log.1']) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(1024);
    // Opened again (a restart), it goes on from the size on disk.
    const again = createSenderSpool(dir, 1024);
    again.append('10.0.0.5', Buffer.from(`${'y'.repeat(1000)}\n`));
    again.close();
    expect(readFileSync(join(dir, '10.0.0.5.log'), 'utf8')).toBe(`${'y'.repeat(1000)}\n`);
    const source = spoolAsFileSource({ id: 'net', maxLineBytes: 65536, spool: { dir, maxBytes: 1024 } })!;
    expect(listSourceFiles(source).map((f) => f.slice(dir.length + 1))).toEqual(
      expect.arrayContaining(['10.0.0.5.log', '10.0.0.5.log.1', '__1.log']),
    );
    expect(spoolAsFileSource({ id: 'net', maxLineBytes: 65536, spool: { dir, maxBytes: 0 } })).toBeUndefined();
  });

  it('names a file for any sender inside its folder', () => {
    for (const sender of ['../../etc/passwd', '..', '.hidden', 'a/b', 'fe80::1%eth0', 'x'.repeat(300)]) {
      const file = spoolFileOf('/spool/net', sender);
      expect(file.startsWith('/spool/net/')).toBe(true);
      expect(file.slice('/spool/net/'.length)).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}\.log$/);
    }
  });
});
