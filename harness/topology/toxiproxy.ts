import { Wait, type StartedTestContainer } from 'testcontainers';
import { Toxiproxy } from 'toxiproxy-node-client';
import { freePort } from '../platform/ports.ts';
import { HarnessContainer } from './harness-container.ts';

export interface StartedToxiproxy {
  /** e.g. http://127.0.0.1:41234 */
  apiUrl: string;
  client: Toxiproxy;
  container: StartedTestContainer;
  stop(): Promise<void>;
}

/** A real Toxiproxy server in a container from the local image, its API bound to loopback. */
export async function startToxiproxy(opts: { image: string; runId: string; apiPort?: number }): Promise<StartedToxiproxy> {
  const apiPort = opts.apiPort ?? (await freePort());
  const container = await new HarnessContainer(opts.image, opts.runId, 'toxiproxy')
    .withCommand(['toxiproxy-server', '-host', '127.0.0.1', '-port', String(apiPort)])
    .withWaitStrategy(Wait.forLogMessage(/Starting Toxiproxy HTTP server/))
    .withStartupTimeout(30_000)
    .start();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  return {
    apiUrl,
    client: new Toxiproxy(apiUrl),
    container,
    stop: async () => {
      await container.stop({ remove: true, timeout: 0 });
    },
  };
}
