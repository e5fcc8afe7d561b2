import { z } from 'zod';
import { defineAction, none } from './fault.ts';
import { recordDeployPod } from './pod-report.ts';
import { replaceAndReport } from './replace-pod.ts';
import { resolvePods } from './targets.ts';

/**
 * Restarts pods with environment variables set or unset (a new container on the same port). Aimed at
 * a whole deployment, the change is kept in the fault state, so pods it starts later (scale, deploys)
 * carry it; aimed at one pod, it lasts until that pod is next replaced from its deployment.
 */
export const podEnv = defineAction({
  type: 'pod.env',
  target: 'pods',
  summary: "change a pod's environment (restarts it)",
  params: z.strictObject({
    set: z.record(z.string(), z.string()).default({}),
    unset: z.array(z.string()).default([]),
  }),
  waitsOn: none,
  names: none,
  heal: null,
  async apply(ctx, target, params) {
    const [deployment, index] = target.split('/');
    const pods = resolvePods(ctx.topology, target);
    if (index === undefined) ctx.state.changeEnv(deployment!, params.set, params.unset);
    const results = await Promise.all(
      pods.map(async (old) => {
        const env = { ...old.spec.env, ...params.set };
        for (const k of params.unset) delete env[k];
        const { pod, report } = await replaceAndReport(ctx, deployment!, old.spec.name, { ...old.spec, env });
        // Read back from Docker what the container really runs with, for the keys asked about.
        const running = await pod.runningEnv().catch(() => ({}) as Record<string, string>);
        const keys = [...Object.keys(params.set), ...params.unset];
        recordDeployPod(ctx, `pod.env ${target}`, deployment!, report);
        return { ...report, env: Object.fromEntries(keys.map((k) => [k, running[k] ?? null])) };
      }),
    );
    return { set: params.set, unset: params.unset, pods: results };
  },
});
