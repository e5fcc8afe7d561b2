import { Wait, type StartedTestContainer } from 'testcontainers';
import { freePort } from '../platform/ports.ts';
import { HarnessContainer } from './harness-container.ts';

export interface StartedRedis {
  url: string;
  port: number;
  container: StartedTestContainer;
  stop(): Promise<void>;
}

/** Redis shared by the pods: fan-out, occupancy, presence and the webhook stream. No persistence. */
export async function startRedis(opts: { image: string; runId: string; port?: number; memoryMb?: number }): Promise<StartedRedis> {
  const port = opts.port ?? (await freePort());
  const c = new HarnessContainer(opts.image, opts.runId, 'redis')
    .withCommand(['redis-server', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--protected-mode', 'no'])
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .withStartupTimeout(20_000);
  if (opts.memoryMb) c.withMemoryLimitMb(opts.memoryMb);
  const container = await c.start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    container,
    stop: async () => {
      await container.stop({ remove: true, timeout: 0 });
    },
  };
}
