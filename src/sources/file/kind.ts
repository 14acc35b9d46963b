// The file source kind: a path or a glob, tailed through rotations (file-source.ts, loaded only when one runs).
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { describeSystemError, SourceUnreadableError } from '../../core/errors.js';
import { notAFile } from '../open-log-file.js';
import { defineSourceKind, type RunningSource } from '../source.js';
import { fileSourceSchema } from './schema.js';

export const fileSourceKind = defineSourceKind({
  type: 'file',
  schema: fileSourceSchema,
  describe: (s) => `${s.path} (from ${s.from})`,
  checkOnHost(s) {
    const scan = picomatch.scan(s.path);
    if (scan.isGlob) {
      try {
        readdirSync(scan.base || '.');
      } catch (error) {
        return [`source ${s.id}: cannot list ${scan.base}: ${describeSystemError(error)}; logwarden will retry`];
      }
      return [];
    }
    try {
      accessSync(s.path, constants.R_OK);
    } catch (error) {
      return [`source ${s.id}: ${s.path}: ${describeSystemError(error)}; logwarden will wait for it and retry`];
    }
    return [];
  },
  // A path that is there but is no regular file (a FIFO, a device, a directory) would never be read (`run` says so
  // once and looks again, in case the path becomes a file).
  refuse(s, at) {
    if (picomatch.scan(s.path).isGlob) return [];
    let what: string | undefined;
    try {
      what = notAFile(statSync(s.path));
    } catch {
      return [];
    }
    if (!what) return [];
    const fix =
      what === 'a directory'
        ? `to read the files in it, write a glob such as ${join(s.path, '*.log')}`
        : 'point it at the log file itself (for the systemd journal, use type: journald)';
    return [{ path: `${at}.path`, message: `${s.path} is ${what}: logwarden reads regular files only; ${fix}` }];
  },
  async create(s, deps): Promise<RunningSource> {
    const { createFileSource } = await import('./file-source.js');
    const { logger, positions } = deps;
    return createFileSource(
      s,
      { ...deps.tail, timers: deps.timers },
      {
        clock: deps.clock,
        readOffset: (dev, ino) => positions.readOffset(dev, ino),
        readOffsetsForPath: (path) => positions.readOffsetsForPath(path),
        onChunk: deps.onChunk,
        onFileDone: (_path, dev, ino) => positions.forgetOffset(dev, ino),
        onProblem: (path, error) => {
          const problem = new SourceUnreadableError(s.id, path, describeSystemError(error), { cause: error });
          logger.warn({ source: s.id, path, code: problem.code }, problem.message);
        },
        onRecovered: (path) => logger.info({ source: s.id, path }, 'source file is readable again'),
        onNotice: (message, details) => logger.info({ source: s.id, ...details }, message),
      },
    );
  },
});
