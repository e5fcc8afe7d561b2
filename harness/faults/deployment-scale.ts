import { z } from 'zod';
import { defineAction, none } from './fault.ts';
import { reportPod, type PodReport } from './pod-report.ts';
import { pollUntil, requireDeployment } from './targets.ts';

/**
 * Adds pods (next free name, new port, from the deployment's current spec) or removes the newest
 * ones. New pods join the edge's backends live through HAProxy's runtime API (`add server`), removed
 * ones leave them (`del server`) before they stop, so no request is sent to a pod being removed.
 */
export const deploymentScale = defineAction({
  type: 'deployment.scale',
  target: 'deployment',
  summary: 'change the number of pods',
  params: z.strictObject({ replicas: z.int().min(0) }),
  waitsOn: none,
  names: none,
  heal: null,
  async apply(ctx, deployment, params) {
    requireDeployment(ctx.topology, deployment);
    const dep = ctx.topology.deployments.get(deployment)!;
    const before = dep.pods.map((p) => p.spec.name);
    const added: PodReport[] = [];
    const removed: string[] = [];
    ctx.state.setReplicas(deployment, params.replicas);
    // One at a time: each new pod takes the next free name, from the deployment as it is now.
    while (dep.pods.length < params.replicas && !ctx.signal.aborted) added.push(await reportPod(await ctx.topology.addPod(deployment, ctx.state.current(deployment)), 5000, ctx.signal));
    while (dep.pods.length > params.replicas && !ctx.signal.aborted) {
      removed.push(dep.pods.at(-1)!.spec.name);
      await ctx.topology.removePod(deployment, dep.pods.length - 1);
    }
    const names = dep.pods.map((p) => p.spec.name);
    const edge = ctx.topology.edge;
    // Evidence from HAProxy itself: its server list, once the new pods passed their health checks.
    const edgeServers = edge
      ? await pollUntil(
          () => edge.serversOf(deployment),
          // Up on every edge process, each with its own health checks.
          (servers) => added.filter((a) => a.outcome === 'up').every((a) => edge.processes.every((p) => servers.some((s) => s.process === p.name && s.server === a.pod && s.status.startsWith('UP')))),
          10_000,
          ctx.signal,
        )
      : [];
    return {
      replicas: params.replicas,
      before,
      after: names,
      added,
      removed,
      edgeServers: edgeServers.map((s) => ({ ...(edge!.processes.length > 1 ? { process: s.process } : {}), backend: s.backend, server: s.server, status: s.status })),
    };
  },
});
