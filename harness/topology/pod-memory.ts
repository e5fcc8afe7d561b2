import { readFile } from 'node:fs/promises';
import { docker } from '../platform/docker.ts';

// Working-set memory, as Kubernetes counts it against a limit: usage minus inactive page cache.
// Read from the container's cgroup (microseconds) rather than `docker stats` (a second or more per call).
const CGROUP_FILES = [
  (id: string) => ({ usage: `/sys/fs/cgroup/memory/docker/${id}/memory.usage_in_bytes`, stat: `/sys/fs/cgroup/memory/docker/${id}/memory.stat`, inactive: 'total_inactive_file' }),
  (id: string) => ({ usage: `/sys/fs/cgroup/system.slice/docker-${id}.scope/memory.current`, stat: `/sys/fs/cgroup/system.slice/docker-${id}.scope/memory.stat`, inactive: 'inactive_file' }),
];

export async function podMemoryMb(containerId: string): Promise<number | undefined> {
  for (const files of CGROUP_FILES) {
    const f = files(containerId);
    try {
      const usage = Number((await readFile(f.usage, 'utf8')).trim());
      const stat = await readFile(f.stat, 'utf8');
      const inactive = Number(new RegExp(`^${f.inactive} (\\d+)`, 'm').exec(stat)?.[1] ?? 0);
      return Math.max(0, usage - inactive) / (1024 * 1024);
    } catch {
      // Not this cgroup layout, or the container is gone.
    }
  }
  try {
    const stats = (await (await docker()).getContainer(containerId).stats({ stream: false, 'one-shot': true } as never)) as unknown as {
      memory_stats?: { usage?: number };
    };
    return stats.memory_stats?.usage !== undefined ? stats.memory_stats.usage / (1024 * 1024) : undefined;
  } catch {
    return undefined;
  }
}
