// Builds dist/: the CLI and its two worker threads bundled with esbuild, split at every dynamic import so a command
// loads only its own code. Measured against tsc's one file per module (npm run bench, start-up): `--help` 123 ms
// against 136, an empty `replay` 288 ms against 368, a million-line replay 0.74 s against 0.80 — Node's loader pays
// per module, and zod alone is 95 of them. Types are checked by `npm run typecheck`, not here.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);

rmSync(new URL('dist', root), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root.pathname,
  entryPoints: ['src/cli/cli.ts', 'src/cli/replay-worker.ts', 'src/queries/query-worker.ts'],
  outbase: 'src',
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // better-sqlite3 finds its compiled addon beside its own files.
  external: ['better-sqlite3'],
  // The SQLite migrations are .sql files, bundled as their text.
  loader: { '.sql': 'text' },
  // Bundled CommonJS packages (Bolt, nodemailer…) call require; in an ES module it has to be made.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
  // The notices go into one file (below), as the licences of the bundled packages ask.
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

// Every package whose code went into the bundle, with its licence text.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.add(m[1]);
}
const notices = [...packages].sort().map((dir) => {
  const pkg = JSON.parse(readFileSync(new URL(`${dir}/package.json`, root), 'utf8'));
  const file = readdirSync(new URL(dir, root)).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  const text = file ? readFileSync(new URL(`${dir}/${file}`, root), 'utf8').trim() : `License: ${pkg.license}`;
  return `${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}\n`;
});
if (!existsSync(new URL('dist', root))) throw new Error('esbuild wrote no dist/');
writeFileSync(
  new URL('dist/THIRD-PARTY-LICENSES.txt', root),
  `logwarden's dist/ bundles the following packages.\n\n${notices.join(`\n${'-'.repeat(80)}\n\n`)}`,
);
