import { defineConfig } from 'vitest/config';

// Two projects: pure-logic unit tests run in parallel; integration tests drive real Docker
// containers, k6 and Toxiproxy on a 2-core machine, so they run one file at a time.
export default defineConfig({
  test: {
    globalSetup: ['./harness/platform/test-scratch.global-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'server-under-test/src/**/*.test.ts', 'scenarios/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
