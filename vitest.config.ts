import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The SQLite migrations are .sql files imported as their text, as esbuild's text loader does in scripts/build.mjs.
  plugins: [
    {
      name: 'sql-as-text',
      transform: (code, id) =>
        id.endsWith('.sql') ? { code: `export default ${JSON.stringify(code)};`, map: null } : null,
    },
  ],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The rotation tests run a real writer process at 10,000 lines/s: keep them from competing with each other.
    fileParallelism: true,
    maxWorkers: 2,
    setupFiles: ['test/helpers/fail-on-warnings.ts'],
    // What a test waits for (a mail through the outbox, a Slack post) can take seconds on a loaded CI machine; a
    // poll returns as soon as it holds, so a long ceiling costs nothing when all is well.
    expect: { poll: { timeout: 10_000 } },
  },
});
