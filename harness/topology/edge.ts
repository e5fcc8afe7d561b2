import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Wait, type StartedTestContainer } from 'testcontainers';
import { HarnessContainer } from './harness-container.ts';
import { backendName, mapFileName, renderHaproxyConfig, serverCheckArgs, weightsToMapLines, type EdgeConfigSpec, type EdgeListener, type EdgePod, type EdgeRoute } from './haproxy-config.ts';
import { HaproxyRuntime, type ServerState } from './haproxy-runtime.ts';

/** What every edge process shares: listeners (without ports), deployments, health checks, maxconn. */
export type EdgeSpec = Omit<EdgeConfigSpec, 'adminSocket' | 'mapDir' | 'listeners'> & { listeners: Omit<EdgeListener, 'port'>[] };

/** One HAProxy process of the edge: its own container, listener ports and admin socket. */
export interface EdgeProcess {
  /** `edge` when the edge is one process, else `edge-1`, `edge-2`, … */
  name: string;
  runtime: HaproxyRuntime;
  container: StartedTestContainer;
  /** Listener name → the port this process binds it on. */
  ports: Record<string, number>;
}

/** A read-back from every edge process, by process name. */
export type PerEdgeProcess<T> = Record<string, T>;

export interface StartedEdge {
  processes: EdgeProcess[];
  spec: EdgeSpec;
  /** Sets the weights on every process and reads each one back. */
  setWeights(listener: string, route: EdgeRoute, weights: Record<string, number>): Promise<PerEdgeProcess<Record<string, number>>>;
  readWeights(listener: string, route: EdgeRoute): Promise<PerEdgeProcess<Record<string, number>>>;
  /** A new pod joins every backend of its deployment on every process (with the edge's health checks), live. */
  addPod(deployment: string, pod: EdgePod): Promise<void>;
  /** A pod leaves every backend of its deployment on every process, live. */
  removePod(deployment: string, pod: string): Promise<void>;
  /** Takes a pod out of rotation in every backend of its deployment (`maint`), or puts it back (`ready`), on every process. */
  setPodState(deployment: string, pod: string, state: 'ready' | 'maint'): Promise<void>;
  /** The servers each process lists now in the deployment's backends (evidence for scaling). */
  serversOf(deployment: string): Promise<(ServerState & { process: string })[]>;
  stop(): Promise<void>;
}

// The container sees the work directory at this path; the harness reaches the same files on the host.
const IN_CONTAINER = '/edge';

/** The name of process `index` (0-based) of an edge of `count` processes. */
export function edgeProcessName(index: number, count: number): string {
  return count === 1 ? 'edge' : `edge-${index + 1}`;
}

/** One HAProxy in a container, its config, maps and admin socket in a bind-mounted work directory. */
async function startEdgeProcess(opts: { image: string; runId: string; workDir: string; name: string; spec: EdgeSpec; ports: Record<string, number> }): Promise<EdgeProcess> {
  await mkdir(opts.workDir, { recursive: true });
  const listeners = opts.spec.listeners.map((l) => ({ ...l, port: opts.ports[l.name]! }));
  const config = renderHaproxyConfig({ ...opts.spec, listeners, adminSocket: `${IN_CONTAINER}/admin.sock`, mapDir: IN_CONTAINER });
  await writeFile(join(opts.workDir, 'haproxy.cfg'), config);
  for (const l of listeners) {
    for (const [route, weights] of Object.entries(l.routes) as [EdgeRoute, Record<string, number>][]) {
      await writeFile(join(opts.workDir, mapFileName(l.name, route)), weightsToMapLines(weights, route).join('\n') + '\n');
    }
  }
  const container = await new HarnessContainer(opts.image, opts.runId, opts.name)
    .withBindMounts([{ source: opts.workDir, target: IN_CONTAINER, mode: 'rw' }])
    .withCommand(['haproxy', '-W', '-db', '-f', `${IN_CONTAINER}/haproxy.cfg`])
    .withWaitStrategy(Wait.forLogMessage(/Loading success/))
    .withStartupTimeout(20_000)
    .start();
  return { name: opts.name, runtime: new HaproxyRuntime(join(opts.workDir, 'admin.sock')), container, ports: opts.ports };
}

/**
 * The edge: one HAProxy process per entry of `ports`, each with the same backends, weights and health
 * checks, each on its own listener ports. Several processes because one cannot hold 10,000 proxied
 * connections here (two descriptors each, 20,000 per process); clients spread over them as weighted
 * DNS spread clients over load balancers. Every change (weights, pods) is applied to every process.
 */
export async function startEdge(opts: { image: string; runId: string; workDir: string; spec: EdgeSpec; ports: Record<string, number>[] }): Promise<StartedEdge> {
  if (opts.ports.length < 1) throw new Error('edge: at least one process');
  const processes: EdgeProcess[] = [];
  try {
    for (const [i, ports] of opts.ports.entries()) {
      const name = edgeProcessName(i, opts.ports.length);
      processes.push(await startEdgeProcess({ ...opts, name, ports, workDir: opts.ports.length === 1 ? opts.workDir : join(opts.workDir, name) }));
    }
  } catch (err) {
    await Promise.allSettled(processes.map((p) => p.container.stop({ remove: true, timeout: 0 })));
    throw err;
  }
  const mapPath = (listener: string, route: EdgeRoute) => `${IN_CONTAINER}/${mapFileName(listener, route)}`;
  // A deployment has a round-robin backend, plus a fallback one when it serves the fallback route.
  const backendsOf = async (runtime: HaproxyRuntime, deployment: string) => {
    const running = new Set(await runtime.backends());
    return (['ws', 'fallback'] as const).map((r) => backendName(deployment, r)).filter((b) => running.has(b));
  };
  const specPods = (deployment: string) => opts.spec.deployments.find((d) => d.name === deployment)?.pods;
  const eachProcess = async <T>(f: (p: EdgeProcess) => Promise<T>): Promise<PerEdgeProcess<T>> => {
    const out: PerEdgeProcess<T> = {};
    for (const p of processes) out[p.name] = await f(p);
    return out;
  };
  return {
    processes,
    spec: opts.spec,
    setWeights: (listener, route, weights) =>
      eachProcess(async (p) => {
        await p.runtime.setMapWeights(mapPath(listener, route), weights, route);
        return p.runtime.readMapWeights(mapPath(listener, route));
      }),
    readWeights: (listener, route) => eachProcess((p) => p.runtime.readMapWeights(mapPath(listener, route))),
    async addPod(deployment, pod) {
      for (const p of processes) {
        for (const b of await backendsOf(p.runtime, deployment)) await p.runtime.addServer(b, pod.name, `127.0.0.1:${pod.port}`, serverCheckArgs(opts.spec.healthCheck));
      }
      specPods(deployment)?.push(pod);
    },
    async removePod(deployment, pod) {
      for (const p of processes) {
        for (const b of await backendsOf(p.runtime, deployment)) await p.runtime.removeServer(b, pod);
      }
      const pods = specPods(deployment);
      if (pods) pods.splice(0, pods.length, ...pods.filter((x) => x.name !== pod));
    },
    async setPodState(deployment, pod, state) {
      for (const p of processes) {
        for (const b of await backendsOf(p.runtime, deployment)) await p.runtime.setServerState(b, pod, state);
      }
    },
    async serversOf(deployment) {
      const all = await eachProcess(async (p) => {
        const backends = new Set(await backendsOf(p.runtime, deployment));
        return (await p.runtime.serverStates()).filter((s) => backends.has(s.backend)).map((s) => ({ ...s, process: p.name }));
      });
      return Object.values(all).flat();
    },
    stop: async () => {
      const results = await Promise.allSettled(processes.map((p) => p.container.stop({ remove: true, timeout: 0 })));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length) throw new AggregateError(failed.map((r) => r.reason), 'edge: some processes did not stop cleanly');
    },
  };
}
