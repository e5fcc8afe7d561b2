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
  // The log line comes just before the API listens: wait until it answers.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await fetch(`${apiUrl}/version`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await container.stop({ remove: true, timeout: 0 });
      throw new Error(`toxiproxy: API on ${apiUrl} did not answer within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    apiUrl,
    client: new Toxiproxy(apiUrl),
    container,
    stop: async () => {
      await container.stop({ remove: true, timeout: 0 });
    },
  };
}
