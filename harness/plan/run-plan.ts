import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { k6Runs } from '../scenario/k6-runs.ts';
import { k6RunLoad } from './k6-runs.ts';

// A variant resolved into what it will start and open: every pod, every container, the connections
// through the edge and the descriptors each process needs. Pure: computed from the scenario alone,
// before anything starts, so it can be checked (check-plan.ts) and printed (`run --dry-run`).

export interface PlannedPod {
  deployment: string;
  /** 0-based, as in a `deployment/<index>` target. */
  index: number;
  memoryMb: number;
}

export interface PlannedProcess {
  kind: 'harness' | 'edge' | 'pod' | 'k6';
  name: string;
  /** Processes alike (a k6 run split over execution segments); `fds` is for each of them. */
  count?: number;
  /** Where the scenario sets it, for messages (`load.k6[0]`, `load.publish`). */
  path?: string;
  /** Descriptors it may need at the peak: its sockets plus a fixed reserve for files and pipes. */
  fds: number;
  why: string;
}

export interface RunPlan {
  scenarioId: string;
  variant: string;
  durationS: number;
  /** The pods at the start; `peakPods` counts those a `deployment.scale` adds later. */
  pods: PlannedPod[];
  peakPods: number;
  /** Replicas per deployment at the most, over the timeline. */
  peakReplicas: Record<string, number>;
  containers: { name: string; count: number; memoryMb: number | undefined }[];
  containerCount: number;
  memoryMb: number;
  clients: number;
  /** Whether clients may fall back to HTTP (some deployment serves `fallback`): two sockets each then. */
  socketsPerClient: 1 | 2;
  probeConnections: number;
  /** Connections the limit checks (cap, fallback-queue, memory-headroom probes) open straight to one pod each, at the most. */
  limitCheckConnections: number;
  k6Vus: number;
  /** What the k6 runs hold open through the edge: WebSockets of ws-subscribers, a keep-alive connection per HTTP VU. */
  k6Connections: number;
  /** Connections through the edge at the peak: clients' sockets, probes and k6 connections. */
  edgeConnections: number;
  /** HAProxy processes (topology.edge.processes): clients and k6 sockets spread over them in turn. */
  edgeProcesses: number;
  /** Connections the busiest edge process holds at the peak: the first, which also takes every probe. */
  edgeConnectionsPerProcess: number;
  edgeMaxconn: number;
  processes: PlannedProcess[];
  /** Ports the run binds on 127.0.0.1: one per pod, edge listener and admin, Redis, Toxiproxy, receiver. */
  ports: number;
}

/** Sockets aside, what any of our processes keeps open (libraries, logs, pipes, admin sockets). */
export const FD_RESERVE = 200;
export const DISPATCHER_MEMORY_MB = 128;

function probeConnections(s: ResolvedScenario): number {
  let n = 0;
  for (const p of s.probes) {
    // A delivery probe: its subscribers plus the keep-alive connection it publishes on.
    if (p.kind === 'delivery') n += p.subscribers + 1;
    // A webhook probe: the connection that triggers activity and its REST publisher.
    else if (p.kind === 'webhook') n += 2;
    // A REST probe: its keep-alive connection. Limit checks go straight to a pod (limitCheckConnections).
    else if (p.kind === 'rest') n += 1;
  }
  return n;
}

/**
 * What a limit check holds open straight to its pod (not through the edge), per deployment: a cap
 * check up to its limit plus one batch past it, a fallback-queue check one connection per request, a
 * memory-headroom check its connections plus one batch. Summed, as if they overlapped.
 */
function limitCheckConnections(s: ResolvedScenario): Map<string, number> {
  const byDeployment = new Map<string, number>();
  const add = (deployment: string, n: number) => byDeployment.set(deployment, (byDeployment.get(deployment) ?? 0) + n);
  for (const p of s.probes) {
    if (p.kind === 'cap') add(p.deployment, p.limit + p.batch);
    else if (p.kind === 'fallback-queue') add(p.deployment, p.maxConcurrent + p.queueLimit + p.extra);
    else if (p.kind === 'memory-headroom') add(p.deployment, p.connections + p.batch);
  }
  return byDeployment;
}

/** Replicas per deployment at the most: the start, raised by any `deployment.scale` on the timeline. */
export function peakReplicas(s: ResolvedScenario): Record<string, number> {
  const peak = Object.fromEntries(s.topology.deployments.map((d) => [d.name, d.replicas]));
  for (const a of s.timeline) {
    if (a.type === 'deployment.scale' && a.target in peak) peak[a.target] = Math.max(peak[a.target]!, a.params.replicas);
  }
  return peak;
}

export function planRun(s: ResolvedScenario, edgeMaxconn: number): RunPlan {
  const t = s.topology;
  const pods = t.deployments.flatMap((d) => Array.from({ length: d.replicas }, (_, index) => ({ deployment: d.name, index, memoryMb: d.memoryMb })));
  const peak = peakReplicas(s);
  const peakPods = Object.values(peak).reduce((a, b) => a + b, 0);
  const containers: RunPlan['containers'] = [
    ...t.deployments.map((d) => ({ name: `pods of ${d.name}`, count: peak[d.name]!, memoryMb: d.memoryMb })),
    { name: 'edge (HAProxy)', count: t.edge.processes, memoryMb: undefined },
  ];
  // Redis runs without a memory limit (the schema refuses topology.redis.memoryMb), so it is not counted.
  if (t.redis.enabled) containers.push({ name: 'Redis', count: 1, memoryMb: undefined });
  if (t.links.length > 0) containers.push({ name: 'Toxiproxy', count: 1, memoryMb: undefined });
  if (t.webhooks.enabled) containers.push({ name: 'webhook dispatcher', count: 1, memoryMb: DISPATCHER_MEMORY_MB });

  const clients = s.load.clients?.count ?? 0;
  const fallback = t.deployments.some((d) => d.roles.includes('fallback'));
  const socketsPerClient = fallback ? 2 : 1;
  const probes = probeConnections(s);
  const direct = limitCheckConnections(s);
  const directTotal = [...direct.values()].reduce((a, b) => a + b, 0);
  const k6 = k6Runs(s).map((run) => ({ run, load: k6RunLoad(run, s.load.maxConnections) }));
  const vus = k6.reduce((sum, k) => sum + k.run.vus, 0);
  const k6Connections = k6.reduce((sum, k) => sum + k.load.connections, 0);
  const clientSockets = clients * socketsPerClient;
  const edgeConnections = clientSockets + probes + k6Connections;
  // Clients and k6 connections take the edge processes in turn; the probes all enter through the first.
  const edgeProcesses = t.edge.processes;
  const edgeConnectionsPerProcess = Math.ceil(clientSockets / edgeProcesses) + Math.ceil(k6Connections / edgeProcesses) + probes;
  // A pod may end up with every connection of the run (the others killed); its own cap bounds that.
  // A limit check's connections reach its own deployment's pod besides; a cap still bounds the total.
  const podPeak = (deployment: string, cap: number | undefined) => {
    const all = edgeConnections + (direct.get(deployment) ?? 0);
    return cap === undefined ? all : Math.min(cap, all);
  };
  const processes: PlannedProcess[] = [
    {
      kind: 'harness',
      name: 'harness (Node: clients, probes)',
      fds: clientSockets + probes + directTotal + FD_RESERVE,
      why: `${clients} clients × ${socketsPerClient} socket(s) + ${probes} probe connections${directTotal > 0 ? ` + ${directTotal} limit-check connections straight to pods` : ''}`,
    },
    ...Array.from({ length: edgeProcesses }, (_, i): PlannedProcess => ({
      kind: 'edge',
      name: edgeProcesses === 1 ? 'edge (HAProxy)' : `edge-${i + 1} (HAProxy)`,
      fds: 2 * edgeMaxconn + FD_RESERVE,
      why: `maxconn ${edgeMaxconn} × 2 (client side and server side)${edgeProcesses > 1 ? `; ${i === 0 ? edgeConnectionsPerProcess : edgeConnectionsPerProcess - probes} connections at the peak` : ''}`,
    })),
    ...t.deployments.map((d): PlannedProcess => ({
      kind: 'pod',
      name: `pod of ${d.name}`,
      fds: podPeak(d.name, d.maxConnections) + FD_RESERVE,
      why:
        d.maxConnections === undefined
          ? `every connection of the run (${podPeak(d.name, undefined)}) on one pod`
          : `its cap of ${d.maxConnections} connections`,
    })),
  ];
  // Each process of a split run is its own open-file limit: descriptors are per process.
  for (const { run, load } of k6) {
    processes.push({
      kind: 'k6',
      name: `k6 ${run.script} (${run.path})`,
      count: run.instances,
      path: run.path,
      fds: load.connectionsPerProcess * load.fdsPerConnection + FD_RESERVE,
      why: `${load.why}${run.instances > 1 ? ` in each of ${run.instances} processes (execution segments of ${run.vus} VUs)` : ''}`,
    });
  }
  const memoryMb = containers.reduce((sum, c) => sum + (c.memoryMb ?? 0) * c.count, 0);
  return {
    scenarioId: s.id,
    variant: s.variant,
    durationS: s.durationS,
    pods,
    peakPods,
    peakReplicas: peak,
    containers,
    containerCount: containers.reduce((sum, c) => sum + c.count, 0),
    memoryMb,
    clients,
    socketsPerClient,
    probeConnections: probes,
    limitCheckConnections: directTotal,
    k6Vus: vus,
    k6Connections,
    edgeConnections,
    edgeProcesses,
    edgeConnectionsPerProcess,
    edgeMaxconn,
    processes,
    ports: peakPods + 2 * edgeProcesses + (t.redis.enabled ? 1 : 0) + (t.links.length > 0 ? 1 + t.links.length : 0) + (t.webhooks.enabled ? 1 : 0),
  };
}
