import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LineChunk } from '../../../src/core/types.js';
import { createFileSource } from '../../../src/sources/file/file-source.js';
import { FIXTURE_BIN } from '../../helpers/fixtures.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const run = promisify(execFile);
const tempDir = useTempDir();

function collectSeqs() {
  const seqs: number[] = [];
  const onChunk = async (chunk: LineChunk) => {
    for (const m of chunk.data.toString('utf8').matchAll(/seq=(\d+) padding=x{40}\n/g)) seqs.push(Number(m[1]));
  };
  return { seqs, onChunk };
}

describe.each([
  { mode: 'rename', glob: false },
  { mode: 'late-reopen', glob: false },
  { mode: 'copytruncate', glob: false },
  { mode: 'delete', glob: false },
  // The glob also matches the rotated files: each must still be read once, not again under its new name.
  { mode: 'rename', glob: true },
])('createFileSource under a 10,000 lines/s writer rotating every second ($mode, glob: $glob)', ({ mode, glob }) => {
  it('reads every line exactly once', async () => {
    const dir = tempDir();
    const file = join(dir, 'app.log');
    writeFileSync(file, '');
    const { seqs, onChunk } = collectSeqs();
    const notices: string[] = [];
    const source = createFileSource(
      { id: 'app', type: 'file', path: glob ? `${file}*` : file, from: 'start', maxLineBytes: 65536 },
      { pollInterval: 50, rotateQuiet: 3000 },
      {
        clock: Date.now,
        readOffset: async () => undefined,
        readOffsetsForPath: async () => [],
        onChunk,
        onFileDone: async () => {},
        onProblem: () => {},
        onRecovered: () => {},
        onNotice: (message) => notices.push(message),
      },
    );
    await source.start();
    try {
      const { stdout } = await run(process.execPath, [
        join(FIXTURE_BIN, 'rotating-writer.mjs'),
        file,
        mode,
        '10000',
        '3.2',
        '1000',
      ]);
      const { total, rotations } = JSON.parse(stdout) as { total: number; rotations: number };
      expect(rotations).toBeGreaterThanOrEqual(3);
      await expect.poll(() => seqs.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(total);
      const unique = new Set(seqs);
      expect(unique.size).toBe(seqs.length);
      expect(seqs.length).toBe(total);
      expect(Math.max(...seqs)).toBe(total - 1);
      if (mode === 'copytruncate')
        expect(notices).not.toContain(
          'file was truncated and no copy of it was found; lines written just before may be lost',
        );
    } finally {
      await source.stop();
    }
  });
});
