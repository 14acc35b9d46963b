// The benchmarks that call logwarden's internals (not its CLI) load them from the TypeScript sources, bundled here:
// dist/ holds only the CLI's bundle, whose modules have no names to import.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/** Imports names from modules, in one bundle: { 'src/rules/match.ts': ['SourceMatcher'], … } (paths from the root). */
export async function loadSources(modules) {
  const contents = Object.entries(modules)
    .map(([path, names]) => `export { ${names.join(', ')} } from './${path}';`)
    .join('\n');
  // Inside the repository (bench/.out/, ignored by git), where the packages left outside the bundle resolve.
  mkdirSync(join(root, 'bench', '.out'), { recursive: true });
  const outfile = join(mkdtempSync(join(root, 'bench', '.out', 'sources-')), 'sources.mjs');
  await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    outfile,
    packages: 'external',
    // Migrations are SQL files, bundled as text as scripts/build.mjs does.
    loader: { '.sql': 'text' },
    logLevel: 'warning',
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dirname(outfile), { recursive: true, force: true });
  }
}
