// Whether a program a config names can be started: an executable in one of PATH's folders. A name with a slash is
// taken as the path it is (whether it runs shows when it is started).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function isOnPath(program: string, env: NodeJS.ProcessEnv): boolean {
  if (program.includes('/')) return true;
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
