import type { Fault } from './fault.ts';
import { describePodReport } from './pod-report.ts';
import { replaceAndReport } from './replace-pod.ts';
import { resolvePods } from './targets.ts';

/**
 * Restarts pods with environment variables set or unset (a new container on the same port). Aimed at
 * a whole deployment, the change also goes into its spec, so pods it starts later (scale, deploys)
 * carry it; aimed at one pod, it lasts until that pod is next replaced from the deployment's spec.
 */
export const podEnv: Fault<'pod.env'> = {
  type: 'pod.env',
  async apply(ctx, target, params) {
    const [deployment, index] = target.split('/');
    const pods = resolvePods(ctx.topology, target);
    if (index === undefined) {
      const spec = ctx.topology.deployments.get(deployment!)!.spec;
      Object.assign(spec.env, params.set);
      for (const k of params.unset) delete spec.env[k];
    }
    const results = await Promise.all(
      pods.map(async (old) => {
        const env = { ...old.spec.env, ...params.set };
        for (const k of params.unset) delete env[k];
        const { pod, report } = await replaceAndReport(ctx, deployment!, old.spec.name, { ...old.spec, env });
        // Read back from Docker what the container really runs with, for the keys asked about.
        const running = await pod.runningEnv().catch(() => ({}) as Record<string, string>);
        const keys = [...Object.keys(params.set), ...params.unset];
        ctx.history.record({ type: 'log.line', source: 'deploy', stream: 'stdout', tag: 'deploy.pod', line: `pod.env ${target}: ${describePodReport(report)}` });
        return { ...report, env: Object.fromEntries(keys.map((k) => [k, running[k] ?? null])) };
      }),
    );
    return { set: params.set, unset: params.unset, pods: results };
  },
};
