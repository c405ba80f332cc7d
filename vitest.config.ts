import { defineConfig } from 'vitest/config';

// One runner for every workspace. Tests live next to the code they prove
// (app/test, extensions/*/test) and cross-cutting ones in test/.
export default defineConfig({
  // Vite 8 transforms with oxc; the cards use React 18's automatic JSX runtime.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    include: ['app/test/**/*.test.{ts,tsx}', 'extensions/*/test/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup/nock-setup.ts'],
    // Fails the run when a test leaves a process listening or a temporary folder behind.
    globalSetup: ['test/setup/hygiene-global-setup.ts'],
    environment: 'node',
    // In CI also write a machine-readable summary; .ci/run prints its closing line from it.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.data/ci/vitest.json' }]] : ['default'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // 2-core machines: keep parallelism modest so PostgreSQL-backed suites do not starve.
    maxWorkers: 2,
  },
});
