import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['node_modules', 'dist'],
    // 2 cores: two forks keep the suite parallel without thrashing.
    pool: 'forks',
    maxWorkers: 2,
    // Test files share their fork and its module cache instead of each starting a fresh one:
    // importing the sources again for every one of ~240 files was about half of the suite's
    // CPU time. Tests do not mock modules or change the environment, and each file closes
    // what it opens, so nothing carries over between files.
    isolate: false,
    // one PostgreSQL server for the run (tests/global-postgres.ts)
    globalSetup: ['tests/global-postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
