import { readdir, readFile } from 'node:fs/promises';
import { docker } from './docker.ts';
import { LABEL_MANAGED } from './labels.ts';
import { toolPath } from './paths.ts';

/**
 * Removes (forcefully, with volumes) every container carrying all the given labels.
 * Returns the names removed. Used by `harness down`, by a run's teardown and by the test wrapper.
 */
export async function removeContainers(labels: Record<string, string> = { [LABEL_MANAGED]: 'true' }): Promise<string[]> {
  const api = await docker();
  const filters = { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
  const found = await api.listContainers({ all: true, filters: JSON.stringify(filters) });
  await Promise.all(
    found.map(async (c) => {
      try {
        await api.getContainer(c.Id).remove({ force: true, v: true });
      } catch (err) {
        // Already gone (removed concurrently) is the outcome we wanted.
        if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      }
    }),
  );
  return found.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
}

/** PIDs of k6 processes started from the harness's own k6 binary (so nobody else's k6 is touched). */
export async function findHarnessK6(): Promise<number[]> {
  const k6 = toolPath('k6');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv0 = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0')[0];
      if (argv0 === k6) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

export async function killHarnessK6(): Promise<number[]> {
  const pids = await findHarnessK6();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already exited.
    }
  }
  return pids;
}
