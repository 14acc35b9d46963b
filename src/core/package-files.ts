// Files the package ships beside its code (the demo's web page, the worker threads' entry points), found from
// wherever the running module sits: src/… under the tests, a bundled chunk in dist/… when installed.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let root: URL | undefined;

/** The package's root: the nearest folder above this module holding package.json. */
function packageRoot(): URL {
  if (root) return root;
  let dir = new URL('./', import.meta.url);
  while (!existsSync(fileURLToPath(new URL('package.json', dir)))) {
    const parent = new URL('../', dir);
    if (parent.href === dir.href) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  root = dir;
  return root;
}

/** A file of the package, by its path from the package's root ("web/demo/", "dist/cli/replay-worker.js"). */
export function packageFile(path: string): URL {
  return new URL(path, packageRoot());
}

/** The version package.json gives (the one place it is written). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
}
