// Real executables for response-action tests: links to recorder.mjs under the names a config runs, in a bin
// directory put first on PATH, and what each was started with.
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_BIN } from './fixtures.js';

export interface RecordedCall {
  name: string;
  args: string[];
  env: string[];
}

export function createFakeCommands(dir: string, names: readonly string[]) {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const name of names) symlinkSync(join(FIXTURE_BIN, 'recorder.mjs'), join(bin, name));
  const file = join(bin, 'calls.jsonl');
  return {
    bin,
    /** logwarden's environment: the fakes first on PATH, and a secret commands must not see. */
    env: { PATH: `${bin}:${process.env.PATH}`, SLACK_BOT_TOKEN: 'xoxb-secret', HOME: dir },
    calls(): RecordedCall[] {
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RecordedCall);
    },
  };
}
