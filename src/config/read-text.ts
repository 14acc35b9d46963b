// Reading the files a config names besides itself (fail2ban filters and their includes), for the compilers of the
// rules, which read no files themselves.
import { readFileSync } from 'node:fs';

/** A file's text; undefined when it does not exist. Other failures (permissions, a directory) throw. */
export type ReadText = (path: string) => string | undefined;

export const readTextIfExists: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};
