import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ScenarioIssue } from '../scenario/errors.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { K6_RATE_SCRIPTS, RATE_MIN_VUS_PER_PROCESS } from '../scenario/k6-scripts.ts';
import { MAX_EDGE_PROCESSES } from '../scenario/schema.ts';
import { raiseHint, type Bound, type Bounds } from './bounds.ts';
import { k6Runs } from '../scenario/k6-runs.ts';
import { k6RunLoad } from './k6-runs.ts';
import { FD_RESERVE, type RunPlan } from './run-plan.ts';

// Checks of a whole run plan that the schema and the cross-check cannot make: bounds of this
// machine, the pods a target names as they will exist at that second, the links the topology can
// really build, files the scenario points at. Each message says what to change.

/**
 * The postmortems live beside the checkout (`../shared/postmortems`), or where HARNESS_POSTMORTEMS_DIR
 * says. `checked` is false only when neither was given nor exists: a team's own checkout or a CI clone
 * elsewhere may have no postmortems folder, and the name alone is then all there is to go on.
 */
export function postmortemsDir(): { dir: string; checked: boolean } {
  const explicit = process.env.HARNESS_POSTMORTEMS_DIR;
  if (explicit !== undefined && explicit !== '') return { dir: resolve(explicit), checked: true };
  const beside = resolve(import.meta.dirname, '../../../shared/postmortems');
  return { dir: beside, checked: existsSync(beside) };
}

/** Said once per run when postmortem names cannot be checked, so nobody takes it for a pass. */
export function postmortemCheckNote(): string | undefined {
  const { dir, checked } = postmortemsDir();
  return checked ? undefined : `postmortem files not checked: no folder ${dir}; set HARNESS_POSTMORTEMS_DIR to the folder with the postmortems to check them`;
}

/** The only Toxiproxy link the topology builds: between the pods and Redis. */
export const SUPPORTED_LINK = { name: 'redis', upstream: 'redis' } as const;

export function checkPlan(s: ResolvedScenario, plan: RunPlan, bounds: Bounds): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const over = (path: string, value: number, bound: Bound, what: string) => {
    if (value > bound.value) add(path, `${what} ${value} is over the bound: ${raiseHint(bound)}`);
  };

  over('durationS', s.durationS, bounds.durationS, 'durationS');
  s.topology.deployments.forEach((d, i) => {
    // Name the field that set the peak: the deployment's replicas, or the scale action that raised them.
    const j = s.timeline.findIndex((a) => a.type === 'deployment.scale' && a.target === d.name && a.params.replicas === plan.peakReplicas[d.name] && a.params.replicas > d.replicas);
    const path = j >= 0 ? `timeline[${j}].params.replicas` : `topology.deployments[${i}].replicas`;
    over(path, plan.peakReplicas[d.name]!, bounds.pods, `${d.name}: replicas`);
  });
  if (s.topology.deployments.length > 1) over('topology.deployments', plan.peakPods, bounds.pods, 'pods in all deployments:');
  // Containers are pods plus a few; over the pod bound, that one message says it.
  if (plan.peakPods <= bounds.pods.value) over('topology', plan.containerCount, bounds.containers, 'containers:');
  over('topology', plan.memoryMb, bounds.memoryMb, 'container memory (MB, every pod at its memoryMb, the webhook dispatcher):');

  const clients = s.load.clients;
  if (clients) {
    if (clients.count > s.load.maxConnections) {
      add('load.clients.count', `expected at most load.maxConnections (${s.load.maxConnections}), got ${clients.count}: lower the count or raise load.maxConnections`);
    }
    over('load.clients.count', clients.count, bounds.clients, 'load.clients.count');
  }
  // Over the client bound, that message says it; the descriptors it would cost follow from it.
  if (plan.clients > bounds.clients.value) return finish();

  if (plan.edgeMaxconn * 2 + FD_RESERVE > bounds.fdsPerProcess.value) {
    add('topology.edge', `the edge's maxconn ${plan.edgeMaxconn} (${bounds.edgeMaxconn.env}) needs ${plan.edgeMaxconn * 2 + FD_RESERVE} descriptors, two per proxied connection, over ${bounds.fdsPerProcess.value} per process (${bounds.fdsPerProcess.env}): lower ${bounds.edgeMaxconn.env}`);
  }
  if (plan.edgeConnectionsPerProcess > plan.edgeMaxconn) {
    const needed = edgeProcessesNeeded(plan);
    const where = plan.edgeProcesses === 1 ? 'through the edge' : `through the busiest of ${plan.edgeProcesses} edge processes`;
    const fix = needed === undefined ? `${raiseHint(bounds.edgeMaxconn)}, or lower load.clients.count` : `raise topology.edge.processes to ${needed} (one HAProxy process holds at most ${plan.edgeMaxconn}), or lower the load`;
    add(plan.edgeProcesses === 1 && needed === undefined ? 'load' : 'topology.edge.processes', `${plan.edgeConnectionsPerProcess} connections ${where} at the peak (${plan.edgeConnections} in all: ${plan.clients} clients × ${plan.socketsPerClient} socket(s), ${plan.probeConnections} probe connections, ${plan.k6Connections} k6 connections) are over one process's maxconn ${plan.edgeMaxconn}: ${fix}`);
  }
  // The edge's descriptors follow from its maxconn, checked just above; k6's are checked per process.
  for (const p of plan.processes.filter((x) => x.kind !== 'edge' && x.kind !== 'k6')) {
    if (p.fds > bounds.fdsPerProcess.value) add('load', `${p.name} would need ${p.fds} file descriptors (${p.why}): ${raiseHint(bounds.fdsPerProcess)}, or lower load.clients.count`);
  }
  checkK6Processes(s, plan, bounds, add);

  return finish();

  function finish(): ScenarioIssue[] {
    checkReferences(s, add);
    return issues;
  }
}

/**
 * A k6 run split over N processes: N within the bound and at most its VUs (k6 gives each process a
 * share of the VUs; a process with none holds no load), and each process within its open-file limit,
 * else the run needs more processes: the fix names how many.
 */
function checkK6Processes(s: ResolvedScenario, plan: RunPlan, bounds: Bounds, add: (path: string, message: string) => void): void {
  const runs = k6Runs(s);
  const fix = (path: string, n: number) => `--load-instances ${n}${path === 'load.publish' ? '' : ` (or ${path}.instances: ${n})`}`;
  for (const p of plan.processes.filter((x) => x.kind === 'k6')) {
    const run = runs.find((r) => r.path === p.path)!;
    if (run.instances > bounds.k6Instances.value) {
      add(`${run.path}.instances`, `${run.instances} k6 processes for ${run.script} are over the bound: ${raiseHint(bounds.k6Instances)}`);
      continue;
    }
    if (run.instances > run.vus) {
      add(`${run.path}.instances`, `${run.instances} k6 processes for ${run.script} but only ${run.vus} VUs: k6 gives each process a share of the VUs and one without any holds no load; use at most ${run.vus} processes (${run.path}.instances or --load-instances) or raise ${run.path}.vus`);
      continue;
    }
    if (run.instances > 1 && K6_RATE_SCRIPTS.includes(run.script) && run.vus < RATE_MIN_VUS_PER_PROCESS * run.instances) {
      const most = Math.max(1, Math.floor(run.vus / RATE_MIN_VUS_PER_PROCESS));
      add(
        `${run.path}.instances`,
        `${run.instances} k6 processes for ${run.script} with ${run.vus} VUs: a rate run split over processes needs at least ${RATE_MIN_VUS_PER_PROCESS} VUs in each, or a slow answer holds a process's only VU and its share of the rate is dropped; raise ${run.path}.vus to ${RATE_MIN_VUS_PER_PROCESS * run.instances} or use at most ${most} process${most === 1 ? '' : 'es'}`,
      );
      continue;
    }
    if (p.fds <= bounds.fdsPerProcess.value) continue;
    // The processes it takes for each to stay within the limit (descriptors scale with the VUs per process).
    const load = k6RunLoad(run, s.load.maxConnections);
    const perVu = (load.connectionsPerProcess * load.fdsPerConnection) / load.vusPerProcess;
    const vusFit = Math.floor((bounds.fdsPerProcess.value - FD_RESERVE) / perVu);
    const needed = vusFit === 0 ? Infinity : Math.ceil(run.vus / vusFit);
    const most = Math.min(run.vus, bounds.k6Instances.value);
    const split =
      needed <= most
        ? `use ${fix(run.path, needed)}: each k6 process has its own limit`
        : `no split fits (${vusFit === 0 ? 'one VU alone is over it' : `${needed} processes needed`}, at most ${most}): more VUs with fewer sockets each, or ${raiseHint(bounds.fdsPerProcess)}`;
    add(
      `${run.path}.instances`,
      `${p.name}${run.instances > 1 ? `, each of its ${run.instances} processes,` : ''} would need ${p.fds} file descriptors (${p.why}), over ${bounds.fdsPerProcess.value} per process (${bounds.fdsPerProcess.env}): ${split}`,
    );
  }
}

/** The fewest edge processes under which the busiest one stays within maxconn, if any within MAX_EDGE_PROCESSES. */
export function edgeProcessesNeeded(plan: RunPlan): number | undefined {
  const clientSockets = plan.clients * plan.socketsPerClient;
  for (let n = 1; n <= MAX_EDGE_PROCESSES; n++) {
    if (Math.ceil(clientSockets / n) + Math.ceil(plan.k6Connections / n) + plan.probeConnections <= plan.edgeMaxconn) return n;
  }
  return undefined;
}

function checkReferences(s: ResolvedScenario, add: (path: string, message: string) => void): void {
  const weights = Object.values(s.topology.edge.weights);
  if (weights.length > 0 && weights.every((w) => w === 0)) {
    add('topology.edge.weights', 'every weight is 0, so no deployment is meant to receive traffic: give at least one deployment a positive weight');
  }
  s.topology.links.forEach((l, i) => {
    if (l.name !== SUPPORTED_LINK.name || l.upstream !== SUPPORTED_LINK.upstream) {
      add(`topology.links[${i}]`, `the topology builds one Toxiproxy link, { name: "redis", upstream: "redis" } (pods to Redis), got { name: ${JSON.stringify(l.name)}, upstream: ${JSON.stringify(l.upstream)} }: use that link`);
    } else if (!s.topology.redis.enabled) {
      add(`topology.links[${i}]`, 'the "redis" link leads to Redis, but topology.redis.enabled is false: enable Redis or remove the link');
    }
  });
  checkPodTargets(s, add);

  const postmortems = postmortemsDir();
  if (postmortems.checked && !existsSync(resolve(postmortems.dir, s.postmortem))) {
    add('postmortem', `expected a file in ${postmortems.dir}, got ${JSON.stringify(s.postmortem)} (not found): fix the name, or set HARNESS_POSTMORTEMS_DIR to the folder that holds it`);
  }
}

/** `web/7` must name a pod that exists at that second: replicas at the start, changed by earlier scale actions. */
function checkPodTargets(s: ResolvedScenario, add: (path: string, message: string) => void): void {
  const replicas = new Map(s.topology.deployments.map((d) => [d.name, d.replicas]));
  const order = s.timeline.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i);
  for (const { a, i } of order) {
    if (a.type === 'deployment.scale') {
      replicas.set(a.target, a.params.replicas);
      continue;
    }
    const m = /^([^/]+)\/(\d+)$/.exec(a.target);
    if (!m || !replicas.has(m[1]!)) continue;
    const n = replicas.get(m[1]!)!;
    if (Number(m[2]) >= n) {
      add(`timeline[${i}].target`, `expected a pod index below ${n} (${m[1]} has ${n} pod(s) at ${a.at} s; indexes start at 0), got ${JSON.stringify(a.target)}: target ${m[1]}/0..${m[1]}/${Math.max(0, n - 1)} or raise replicas`);
    }
  }
}
