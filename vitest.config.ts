import { availableParallelism } from 'node:os';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Tests against sockudo (a path naming it) run after every other integration test: set-up builds
 * sockudo in the background (12-15 min on 2 cores), and this way the build overlaps the rest of the
 * suite instead of delaying it; each of those tests waits for the build, bounded, in its beforeAll.
 */
class PeersLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const peer = (f: TestSpecification) => /sockudo/.test(f.moduleId);
    return [...sorted.filter((f) => !peer(f)), ...sorted.filter(peer)];
  }
}

// Two projects: pure-logic unit tests run in parallel; integration tests drive real Docker
// containers, k6 and Toxiproxy on a 2-core machine, so they run one file at a time, after the unit
// tests (vitest runs a project without file parallelism as a group of its own, last). The unit
// tests take one worker per core: vitest's default (cores - 1) is one worker on this machine, and
// two take the unit project from 165 s to 108 s (`npx vitest run --project unit --maxWorkers=N`).
export default defineConfig({
  test: {
    globalSetup: ['./harness/platform/test-scratch.global-setup.ts'],
    // Vitest reads the sequencer from the root config only (a project's own was ignored: the 4
    // December cold run had sockudo files from the 36th of 56 integration files on).
    sequence: { sequencer: PeersLastSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'server-under-test/src/**/*.test.ts', 'scenarios/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          testTimeout: 20_000,
          maxWorkers: availableParallelism(),
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
