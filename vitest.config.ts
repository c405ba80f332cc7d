import { defineConfig } from 'vitest/config';

// One runner for every workspace. Tests live next to the code they prove
// (app/test, extensions/test) and cross-cutting ones in test/.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['app/test/**/*.test.{ts,tsx}', 'extensions/test/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup/nock-setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // 2-core machines: keep parallelism modest so PostgreSQL-backed suites do not starve.
    maxWorkers: 2,
  },
});
