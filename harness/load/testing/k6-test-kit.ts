import { existsSync } from 'node:fs';
import { afterEach } from 'vitest';
import { toolPath } from '../../platform/paths.ts';
import type { K6Point } from '../k6-runner.ts';
import type { ServerProcess } from './server-process.ts';

// What the k6 integration tests share: whether k6 is in the tool cache, the pods and clean-ups a
// test started (stopped after each test), and the total of a metric over k6's points.

export const hasK6 = existsSync(toolPath('k6'));

/** Registers an afterEach that runs every clean-up and stops every pod pushed during the test. */
export function stopAfterEach(): { servers: ServerProcess[]; cleanups: (() => void)[] } {
  const servers: ServerProcess[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });
  return { servers, cleanups };
}

/** The sum of a metric's point values, over the points carrying every given tag. */
export const sum = (points: K6Point[], metric: string, tags: Record<string, string> = {}): number =>
  points.filter((p) => p.metric === metric && Object.entries(tags).every(([k, v]) => p.tags[k] === v)).reduce((a, p) => a + p.value, 0);
