import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The rotation tests run a real writer process at 10,000 lines/s: keep them from competing with each other.
    fileParallelism: true,
    maxWorkers: 2,
    setupFiles: ['test/helpers/fail-on-warnings.ts'],
  },
});
