import { z } from 'zod';
import { defineAction, FaultError, none } from './fault.ts';
import { resolvePods } from './targets.ts';

/** Freezes the pod's processes (cgroup freezer); they resume after `durationS`, or at teardown. */
export const podPause = defineAction({
  type: 'pod.pause',
  target: 'pods',
  summary: 'freeze a pod (SIGSTOP) for a while',
  params: z.strictObject({ durationS: z.number().positive() }),
  waitsOn: none,
  names: none,
  async apply(ctx, target, params) {
    const pods = resolvePods(ctx.topology, target);
    await Promise.all(pods.map((p) => p.pause()));
    const states = await Promise.all(pods.map((p) => p.state()));
    return { durationS: params.durationS, pods: pods.map((p, i) => ({ pod: p.spec.name, status: states[i]!.status })) };
  },
  heal: {
    describe: (target) => `unpause ${target}`,
    afterS: (p) => p.durationS,
    async run(ctx, target) {
      // The pods the target names now, those still paused (one replaced or killed meanwhile is not).
      const pods = resolvePods(ctx.topology, target);
      const errors: string[] = [];
      for (const p of pods) {
        const paused = (await p.state().catch(() => undefined))?.status === 'paused';
        if (paused) await p.unpause().catch((e: Error) => errors.push(`${p.spec.name}: ${e.message}`));
      }
      const states = await Promise.all(pods.map((p) => p.state().catch(() => undefined)));
      const evidence = { pods: pods.map((p, i) => ({ pod: p.spec.name, status: states[i]?.status ?? 'unknown' })) };
      if (errors.length) throw new FaultError(`unpause failed: ${errors.join('; ')}`, evidence);
      return evidence;
    },
  },
});
