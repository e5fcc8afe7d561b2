import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../platform/ports.ts';
import { startEdge, type StartedEdge } from './edge.ts';
import type { EdgeMode, EdgeRoute } from './haproxy-config.ts';
import type { RestartPolicyName } from './harness-container.ts';
import { startPod, type PodSpec, type StartedPod } from './pod.ts';
import { startRedis, type StartedRedis } from './redis.ts';
import type { ServerRuntime } from './server-runtime.ts';
import { sutRuntime } from './sut-runtime.ts';
import { startToxiproxy, type StartedToxiproxy } from './toxiproxy.ts';

/** What to start: plain data, resolved from a scenario variant by the run layer. */
export interface DeploymentSpec {
  name: string;
  roles: string[];
  replicas: number;
  appVersion: string;
  /** The config version deployed to the pods, separately from the app version (the 2019 lesson). */
  config?: { version: string; values: Record<string, unknown> };
  env: Record<string, string>;
  memoryMb?: number;
  cpus?: number;
  restartPolicy: RestartPolicyName;
  liveness?: { periodS: number; failureThreshold: number; timeoutMs: number };
}

export interface TopologySpec {
  runId: string;
  /** Scratch directory of the run (edge config, config versions); removed by the run layer. */
  workDir: string;
  images: { node: string; haproxy: string; redis: string; toxiproxy: string };
  /** The server the pods run (harness/servers/); default our own, on the node image. */
  server?: ServerRuntime;
  app: { id: string; key: string; secret: string };
  redis: boolean;
  deployments: DeploymentSpec[];
  edge?: {
    listeners: { name: string; mode: EdgeMode; routes: Partial<Record<EdgeRoute, Record<string, number>>> }[];
    healthCheck: { enabled: boolean; intervalMs: number; fall: number; rise: number };
    maxconn: number;
    /** HAProxy processes with the same backends and weights, each on its own ports (default 1). */
    processes?: number;
  };
  /** Where the webhook dispatcher POSTs; the run layer starts the receiver first. */
  webhookUrl?: string;
  /** Links through Toxiproxy, so faults can be injected on them. */
  links?: { redis?: boolean };
}

export interface StartedDeployment {
  /** As started; frozen. What faults changed since lives in their state (harness/faults/fault-state.ts). */
  readonly spec: Readonly<DeploymentSpec>;
  pods: StartedPod[];
}

export interface StartedTopology {
  /** As started; frozen, so no fault can rewrite what was started. */
  readonly spec: Readonly<TopologySpec>;
  redis?: StartedRedis;
  toxiproxy?: StartedToxiproxy;
  /** The Redis URL pods use: through Toxiproxy when the link is proxied. */
  podRedisUrl?: string;
  deployments: Map<string, StartedDeployment>;
  edge?: StartedEdge;
  /** Listener name → its port on each edge process, in process order. */
  edgePorts: Map<string, number[]>;
  /** The pods of a deployment, or every pod. */
  pods(deployment?: string): StartedPod[];
  /** Starts a pod of a deployment from `spec`, or else its started spec. */
  startPodOf(deployment: string, name: string, port: number, spec?: DeploymentSpec): Promise<StartedPod>;
  /**
   * Replaces pod `index` of a deployment: the old container is stopped the way a deploy stops it
   * (SIGTERM, SIGKILL after the grace), a new one starts with the same name and port, from `podSpec`
   * or else the deployment's started spec. Same port, so the edge's server entry stays valid; the
   * pod list (sampler, supervisor, probes) sees the new pod in the old one's place.
   */
  replacePod(deployment: string, index: number, podSpec?: PodSpec): Promise<StartedPod>;
  /**
   * Starts one more pod of a deployment (next free name, new port) from `current` (what faults
   * changed since start) or else its started spec, and adds it to the edge's backends.
   */
  addPod(deployment: string, current?: DeploymentSpec): Promise<StartedPod>;
  /** Takes pod `index` out of the edge's backends, then stops and forgets it. */
  removePod(deployment: string, index: number): Promise<void>;
  stop(): Promise<void>;
}

/** How long a deploy lets a pod drain after SIGTERM before SIGKILL (the server's own grace is 5 s). */
export const DEPLOY_STOP_GRACE_MS = 3000;

async function writeConfigVersion(workDir: string, deployment: string, config: NonNullable<DeploymentSpec['config']>): Promise<string> {
  const dir = join(workDir, 'config', deployment, config.version);
  await mkdir(dir, { recursive: true });
  // The version travels inside the file (a key every app version knows), so /healthz reports it.
  await writeFile(join(dir, 'config.json'), JSON.stringify({ configVersion: config.version, ...config.values }, null, 2));
  return dir;
}

export async function podSpecFor(topo: StartedTopology | { spec: TopologySpec; podRedisUrl?: string }, dep: DeploymentSpec, name: string, port: number): Promise<PodSpec> {
  const { spec } = topo;
  const server = serverOf(spec);
  const env: Record<string, string> = {
    APP_ID: spec.app.id,
    APP_KEY: spec.app.key,
    APP_SECRET: spec.app.secret,
    ROLES: dep.roles.join(','),
    APP_VERSION: dep.appVersion,
    ...(topo.podRedisUrl ? { REDIS_URL: topo.podRedisUrl } : {}),
    ...(spec.webhookUrl ? { WEBHOOK_URL: spec.webhookUrl } : {}),
    ...(dep.config ? { CONFIG_FILE: '/config/config.json' } : {}),
    // The pod.oom action's memory hook (server-under-test/src/memory-grow-hook.ts): harness pods only.
    HARNESS_MEMORY_HOOK: 'true',
    ...dep.env,
  };
  return {
    deployment: dep.name,
    name,
    port,
    ...(server.separateMetricsPort ? { metricsPort: await freePort() } : {}),
    env,
    memoryMb: dep.memoryMb,
    cpus: dep.cpus,
    restartPolicy: dep.restartPolicy,
    configDir: dep.config ? await writeConfigVersion(spec.workDir, dep.name, dep.config) : undefined,
  };
}

/**
 * Brings a topology up in dependency order (Redis, Toxiproxy, pods, edge). If any part fails to
 * start, whatever did start is stopped before the error is rethrown.
 */
/** The server the pods of a topology run. */
export function serverOf(spec: TopologySpec): ServerRuntime {
  return spec.server ?? sutRuntime(spec.images.node);
}

export async function startTopology(spec: TopologySpec): Promise<StartedTopology> {
  deepFreeze(spec);
  const server = serverOf(spec);
  const stops: (() => Promise<void>)[] = [];
  const topo: StartedTopology = {
    spec,
    deployments: new Map(),
    edgePorts: new Map(),
    pods: (deployment) =>
      deployment ? (topo.deployments.get(deployment)?.pods ?? []) : [...topo.deployments.values()].flatMap((d) => d.pods),
    startPodOf: async (deployment, name, port, override) => {
      const dep = override ?? topo.deployments.get(deployment)?.spec;
      if (!dep) throw new Error(`no deployment named ${deployment}`);
      return startPod({ server, runId: spec.runId, spec: await podSpecFor(topo, dep, name, port) });
    },
    replacePod: async (deployment, index, podSpec) => {
      const dep = startedDeployment(topo, deployment);
      const old = dep.pods[index];
      if (!old) throw new Error(`deployment ${deployment} has ${dep.pods.length} pod(s); there is no pod ${index}`);
      const next = podSpec ?? (await podSpecFor(topo, dep.spec, old.spec.name, old.spec.port));
      await old.stopGracefully(DEPLOY_STOP_GRACE_MS);
      const pod = await startPod({ server, runId: spec.runId, spec: next });
      dep.pods[index] = pod;
      return pod;
    },
    addPod: async (deployment, current) => {
      const dep = startedDeployment(topo, deployment);
      const taken = new Set(topo.pods().map((p) => p.spec.name));
      let n = dep.pods.length + 1;
      while (taken.has(`${deployment}-${n}`)) n++;
      const pod = await topo.startPodOf(deployment, `${deployment}-${n}`, await freePort(), current);
      dep.pods.push(pod);
      try {
        await topo.edge?.addPod(deployment, { name: pod.spec.name, port: pod.spec.port });
      } catch (err) {
        dep.pods.pop();
        await pod.remove();
        throw err;
      }
      return pod;
    },
    removePod: async (deployment, index) => {
      const dep = startedDeployment(topo, deployment);
      const pod = dep.pods[index];
      if (!pod) throw new Error(`deployment ${deployment} has ${dep.pods.length} pod(s); there is no pod ${index}`);
      await topo.edge?.removePod(deployment, pod.spec.name);
      dep.pods.splice(index, 1);
      await pod.stopGracefully(DEPLOY_STOP_GRACE_MS);
    },
    stop: async () => {
      // Reverse order; keep going on errors so one stuck container does not leak the rest.
      const errors: unknown[] = [];
      for (const s of stops.reverse()) await s().catch((e: unknown) => errors.push(e));
      for (const pod of topo.pods()) await pod.remove().catch((e: unknown) => errors.push(e));
      if (errors.length) throw new AggregateError(errors, 'topology: some parts did not stop cleanly');
    },
  };
  try {
    if (spec.redis) {
      topo.redis = await startRedis({ image: spec.images.redis, runId: spec.runId });
      stops.push(() => topo.redis!.stop());
      topo.podRedisUrl = topo.redis.url;
    }
    if (spec.links?.redis && topo.redis) {
      topo.toxiproxy = await startToxiproxy({ image: spec.images.toxiproxy, runId: spec.runId });
      stops.push(() => topo.toxiproxy!.stop());
      const listen = await freePort();
      await topo.toxiproxy.client.createProxy({ name: 'redis', listen: `127.0.0.1:${listen}`, upstream: `127.0.0.1:${topo.redis.port}` });
      topo.podRedisUrl = `redis://127.0.0.1:${listen}`;
    }
    for (const dep of spec.deployments) {
      const pods = await Promise.all(
        Array.from({ length: dep.replicas }, async (_, i) => topo.startPodOf(dep.name, `${dep.name}-${i + 1}`, await freePort(), dep)),
      );
      topo.deployments.set(dep.name, { spec: dep, pods });
    }
    if (spec.edge) {
      const ports: Record<string, number>[] = [];
      for (let i = 0; i < (spec.edge.processes ?? 1); i++) {
        ports.push(Object.fromEntries(await Promise.all(spec.edge.listeners.map(async (l) => [l.name, await freePort()] as const))));
      }
      for (const l of spec.edge.listeners) topo.edgePorts.set(l.name, ports.map((p) => p[l.name]!));
      topo.edge = await startEdge({
        image: spec.images.haproxy,
        runId: spec.runId,
        workDir: join(spec.workDir, 'edge'),
        ports,
        spec: {
          listeners: spec.edge.listeners,
          deployments: spec.deployments.map((d) => ({
            name: d.name,
            pods: topo.pods(d.name).map((p) => ({ name: p.spec.name, port: p.spec.port })),
          })),
          healthCheck: { ...spec.edge.healthCheck, path: server.readyPath },
          maxconn: spec.edge.maxconn,
        },
      });
      stops.push(() => topo.edge!.stop());
    }
    return topo;
  } catch (err) {
    await topo.stop().catch(() => undefined);
    throw err;
  }
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

function startedDeployment(topo: StartedTopology, name: string): StartedDeployment {
  const dep = topo.deployments.get(name);
  if (!dep) throw new Error(`no deployment named ${name}`);
  return dep;
}
