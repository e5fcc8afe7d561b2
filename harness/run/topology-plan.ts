import { APP } from '../load/app.ts';
import { readBounds } from '../plan/bounds.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { Role } from '../scenario/vocabulary.ts';
import type { EdgeRoute } from '../topology/haproxy-config.ts';
import type { ServerRuntime } from '../topology/server-runtime.ts';
import type { DeploymentSpec, TopologySpec } from '../topology/topology.ts';

/** The edge listener every scenario gets: all public traffic enters here. */
export const PUBLIC_LISTENER = 'public';
/** The harness-managed pod that reads the webhook stream and POSTs to the receiver. */
export const DISPATCHER_DEPLOYMENT = 'webhook-dispatcher';

/**
 * Where each kind of traffic goes: the scenario's weights over the deployments that serve that role.
 * A role none of whose deployments has a positive weight is spread evenly over them (e.g. the one
 * fallback deployment nobody listed in the weights).
 */
export function routeWeights(scenario: ResolvedScenario): Partial<Record<EdgeRoute, Record<string, number>>> {
  const routes: Partial<Record<EdgeRoute, Record<string, number>>> = {};
  for (const role of ['ws', 'fallback', 'rest'] as const satisfies readonly Role[]) {
    const serving = scenario.topology.deployments.filter((d) => d.roles.includes(role));
    if (serving.length === 0) continue;
    const weights = Object.fromEntries(serving.map((d) => [d.name, scenario.topology.edge.weights[d.name] ?? 0]));
    routes[role] = Object.values(weights).some((w) => w > 0) ? weights : Object.fromEntries(serving.map((d) => [d.name, 1]));
  }
  return routes;
}

function deploymentSpec(d: ResolvedScenario['topology']['deployments'][number]): DeploymentSpec {
  return {
    name: d.name,
    roles: [...d.roles],
    replicas: d.replicas,
    appVersion: d.appVersion,
    config: Object.keys(d.config).length > 0 ? { version: d.configVersion, values: d.config } : undefined,
    env: {
      ...(d.maxConnections !== undefined ? { MAX_CONNECTIONS: String(d.maxConnections) } : {}),
      ...(d.readiness?.mode !== undefined ? { READINESS_MODE: d.readiness.mode } : {}),
      ...d.env,
    },
    memoryMb: d.memoryMb,
    cpus: d.cpus,
    restartPolicy: d.restartPolicy,
    liveness: d.livenessProbe ? { periodS: d.livenessProbe.periodS, failureThreshold: d.livenessProbe.failureThreshold, timeoutMs: 1000 } : undefined,
  };
}

export function planTopology(
  scenario: ResolvedScenario,
  ctx: { runId: string; workDir: string; images: TopologySpec['images']; webhookUrl?: string; server?: ServerRuntime },
): TopologySpec {
  const t = scenario.topology;
  const deployments = t.deployments.map(deploymentSpec);
  if (t.webhooks.enabled && (ctx.server?.webhookDispatcher ?? true)) {
    deployments.push({
      name: DISPATCHER_DEPLOYMENT,
      roles: ['webhook-dispatcher'],
      replicas: 1,
      appVersion: 'v1',
      env: {},
      memoryMb: 128,
      cpus: 0.25,
      restartPolicy: 'always',
    });
  }
  return {
    runId: ctx.runId,
    workDir: ctx.workDir,
    images: ctx.images,
    ...(ctx.server ? { server: ctx.server } : {}),
    app: { ...APP },
    redis: t.redis.enabled,
    deployments,
    edge: {
      listeners: [{ name: PUBLIC_LISTENER, mode: t.edge.keepAlive ? 'keep-alive' : 'close', routes: routeWeights(scenario) }],
      healthCheck: { enabled: true, intervalMs: Math.round(t.edge.healthCheck.intervalS * 1000), fall: t.edge.healthCheck.fall, rise: t.edge.healthCheck.rise },
      // Checked against the descriptor budget before start (harness/plan/check-plan.ts).
      maxconn: readBounds().edgeMaxconn.value,
      processes: t.edge.processes,
    },
    webhookUrl: ctx.webhookUrl,
    links: { redis: t.links.some((l) => l.upstream === 'redis') },
  };
}
