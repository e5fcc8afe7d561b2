import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Wait, type StartedTestContainer } from 'testcontainers';
import { HarnessContainer } from './harness-container.ts';
import { backendName, mapFileName, renderHaproxyConfig, serverCheckArgs, weightsToMapLines, type EdgeConfigSpec, type EdgePod, type EdgeRoute } from './haproxy-config.ts';
import { HaproxyRuntime, type ServerState } from './haproxy-runtime.ts';

export type EdgeSpec = Omit<EdgeConfigSpec, 'adminSocket' | 'mapDir'>;

export interface StartedEdge {
  runtime: HaproxyRuntime;
  container: StartedTestContainer;
  spec: EdgeSpec;
  setWeights(listener: string, route: EdgeRoute, weights: Record<string, number>): Promise<Record<string, number>>;
  readWeights(listener: string, route: EdgeRoute): Promise<Record<string, number>>;
  /** A new pod joins every backend of its deployment (with the edge's health checks), live. */
  addPod(deployment: string, pod: EdgePod): Promise<void>;
  /** A pod leaves every backend of its deployment, live. */
  removePod(deployment: string, pod: string): Promise<void>;
  /** Takes a pod out of rotation in every backend of its deployment (`maint`), or puts it back (`ready`). */
  setPodState(deployment: string, pod: string, state: 'ready' | 'maint'): Promise<void>;
  /** The servers HAProxy lists now in the deployment's backends (evidence for scaling). */
  serversOf(deployment: string): Promise<ServerState[]>;
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
  // A deployment has a round-robin backend, plus a fallback one when it serves the fallback route.
  const backendsOf = async (deployment: string) => {
    const running = new Set(await runtime.backends());
    return (['ws', 'fallback'] as const).map((r) => backendName(deployment, r)).filter((b) => running.has(b));
  };
  const specPods = (deployment: string) => opts.spec.deployments.find((d) => d.name === deployment)?.pods;
  return {
    runtime,
    container,
    spec: opts.spec,
    async setWeights(listener, route, weights) {
      await runtime.setMapWeights(mapPath(listener, route), weights, route);
      return runtime.readMapWeights(mapPath(listener, route));
    },
    readWeights: (listener, route) => runtime.readMapWeights(mapPath(listener, route)),
    async addPod(deployment, pod) {
      for (const b of await backendsOf(deployment)) await runtime.addServer(b, pod.name, `127.0.0.1:${pod.port}`, serverCheckArgs(opts.spec.healthCheck));
      specPods(deployment)?.push(pod);
    },
    async removePod(deployment, pod) {
      for (const b of await backendsOf(deployment)) await runtime.removeServer(b, pod);
      const pods = specPods(deployment);
      if (pods) pods.splice(0, pods.length, ...pods.filter((p) => p.name !== pod));
    },
    async setPodState(deployment, pod, state) {
      for (const b of await backendsOf(deployment)) await runtime.setServerState(b, pod, state);
    },
    async serversOf(deployment) {
      const backends = new Set(await backendsOf(deployment));
      return (await runtime.serverStates()).filter((s) => backends.has(s.backend));
    },
    stop: async () => {
      await container.stop({ remove: true, timeout: 0 });
    },
  };
}
