import type { PodSpec, StartedPod } from '../topology/pod.ts';
import { podSpecFor } from '../topology/topology.ts';
import type { FaultContext } from './fault.ts';
import { reportPod, type PodReport } from './pod-report.ts';

/**
 * Replaces one pod the way a deploy does: out of the edge's rotation first, the old container
 * stopped (SIGTERM, then SIGKILL), a new one on the same port from `podSpec` or else the deployment
 * as faults left it (release, env), back under the edge's health checks; then what the new pod
 * reports (or why it refused).
 */
export async function replaceAndReport(ctx: FaultContext, deployment: string, name: string, podSpec?: PodSpec): Promise<{ pod: StartedPod; report: PodReport }> {
  const index = ctx.topology.pods(deployment).findIndex((p) => p.spec.name === name);
  if (index < 0) throw new Error(`deployment ${deployment} has no pod ${name}`);
  const old = ctx.topology.pods(deployment)[index]!;
  const next = podSpec ?? (await podSpecFor(ctx.topology, ctx.state.current(deployment), name, old.spec.port));
  await edgeState(ctx, deployment, name, 'maint');
  let pod: StartedPod;
  try {
    pod = await ctx.topology.replacePod(deployment, index, next);
  } finally {
    await edgeState(ctx, deployment, name, 'ready');
  }
  return { pod, report: await reportPod(pod, 5000, ctx.signal) };
}

async function edgeState(ctx: FaultContext, deployment: string, pod: string, state: 'maint' | 'ready'): Promise<void> {
  // Not every deployment is behind the edge (the webhook dispatcher): nothing to drain then.
  await ctx.topology.edge?.setPodState(deployment, pod, state).catch(() => undefined);
}
