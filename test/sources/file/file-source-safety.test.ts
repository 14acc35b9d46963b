// What the tail opens: regular files only, and a link only when it is the source's own configured path.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileSourceConfig } from '../../../src/config/schema.js';
import { createFileSource } from '../../../src/sources/file/file-source.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir();

async function tail(config: Omit<FileSourceConfig, 'type' | 'from' | 'maxLineBytes'>) {
  const text: string[] = [];
  const problems: string[] = [];
  const source = createFileSource(
    { ...config, type: 'file', from: 'start', maxLineBytes: 65536 },
    { pollInterval: 50, rotateQuiet: 1000 },
    {
      clock: Date.now,
      readOffset: async () => undefined,
      readOffsetsForPath: async () => [],
      onChunk: async (chunk) => {
        text.push(chunk.data.toString('utf8'));
      },
      onFileDone: async () => {},
      onProblem: (path, error) => problems.push(`${path}: ${(error as Error).message}`),
      onRecovered: () => {},
      onNotice: () => {},
    },
  );
  await source.start();
  return { text, problems, stop: () => source.stop() };
}

describe('the file tail opens regular files only', () => {
  it('never follows a link a glob finds (said once), and reads the real files beside it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'logwarden.env'), 'SLACK_BOT_TOKEN=xoxb-SECRET\n');
    mkdirSync(join(dir, 'logs'));
    symlinkSync('../logwarden.env', join(dir, 'logs', 'zz.log'));
    writeFileSync(join(dir, 'logs', 'app.log'), 'first\n');
    const t = await tail({ id: 'apps', path: join(dir, 'logs', '*.log') });
    try {
      appendFileSync(join(dir, 'logs', 'app.log'), 'second\n');
      await expect.poll(() => t.text.join('')).toBe('first\nsecond\n');
      await expect
        .poll(() => t.problems)
        .toEqual([
          `${join(dir, 'logs', 'zz.log')}: ${join(dir, 'logs', 'zz.log')} is a symbolic link: only regular files are read`,
        ]);
      expect(t.text.join('')).not.toContain('SECRET');
    } finally {
      await t.stop();
    }
  });

  it('follows the configured path when it is a link', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'real.log'), 'through the link\n');
    symlinkSync(join(dir, 'real.log'), join(dir, 'app.log'));
    const t = await tail({ id: 'app', path: join(dir, 'app.log') });
    try {
      await expect.poll(() => t.text.join('')).toBe('through the link\n');
      expect(t.problems).toEqual([]);
    } finally {
      await t.stop();
    }
  });

  it('does not open a FIFO (which would block), says so once, and reads the file that replaces it', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    execFileSync('mkfifo', [path]);
    const t = await tail({ id: 'app', path });
    try {
      await expect
        .poll(() => t.problems)
        .toEqual([`${path}: ${path} is a FIFO (named pipe): only regular files are read`]);
      execFileSync('rm', [path]);
      writeFileSync(path, 'a file now\n');
      await expect.poll(() => t.text.join('')).toBe('a file now\n');
      expect(t.problems).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });
});
