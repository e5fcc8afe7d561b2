import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Wait, type StartedTestContainer } from 'testcontainers';
import { HarnessContainer } from './harness-container.ts';
import { mapFileName, renderHaproxyConfig, weightsToMapLines, type EdgeConfigSpec, type EdgeRoute } from './haproxy-config.ts';
import { HaproxyRuntime } from './haproxy-runtime.ts';

export type EdgeSpec = Omit<EdgeConfigSpec, 'adminSocket' | 'mapDir'>;

export interface StartedEdge {
  runtime: HaproxyRuntime;
  container: StartedTestContainer;
  spec: EdgeSpec;
  setWeights(listener: string, route: EdgeRoute, weights: Record<string, number>): Promise<Record<string, number>>;
  readWeights(listener: string, route: EdgeRoute): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

// The container sees the work directory at this path; the harness reaches the same files on the host.
const IN_CONTAINER = '/edge';

/** HAProxy in a container, its config, maps and admin socket in a bind-mounted work directory. */
export async function startEdge(opts: { image: string; runId: string; workDir: string; spec: EdgeSpec }): Promise<StartedEdge> {
  await mkdir(opts.workDir, { recursive: true });
  const config = renderHaproxyConfig({ ...opts.spec, adminSocket: `${IN_CONTAINER}/admin.sock`, mapDir: IN_CONTAINER });
  await writeFile(join(opts.workDir, 'haproxy.cfg'), config);
  for (const l of opts.spec.listeners) {
    for (const [route, weights] of Object.entries(l.routes) as [EdgeRoute, Record<string, number>][]) {
      await writeFile(join(opts.workDir, mapFileName(l.name, route)), weightsToMapLines(weights, route).join('\n') + '\n');
    }
  }
  const container = await new HarnessContainer(opts.image, opts.runId, 'edge')
    .withBindMounts([{ source: opts.workDir, target: IN_CONTAINER, mode: 'rw' }])
    .withCommand(['haproxy', '-W', '-db', '-f', `${IN_CONTAINER}/haproxy.cfg`])
    .withWaitStrategy(Wait.forLogMessage(/Loading success/))
    .withStartupTimeout(20_000)
    .start();
  const runtime = new HaproxyRuntime(join(opts.workDir, 'admin.sock'));
  const mapPath = (listener: string, route: EdgeRoute) => `${IN_CONTAINER}/${mapFileName(listener, route)}`;
  return {
    runtime,
    container,
    spec: opts.spec,
    async setWeights(listener, route, weights) {
      await runtime.setMapWeights(mapPath(listener, route), weights, route);
      return runtime.readMapWeights(mapPath(listener, route));
    },
    readWeights: (listener, route) => runtime.readMapWeights(mapPath(listener, route)),
    stop: async () => {
      await container.stop({ remove: true, timeout: 0 });
    },
  };
}
