import type { Fault } from './fault.ts';
import { resolvePods } from './targets.ts';

/** Freezes the pod's processes (cgroup freezer); they resume after `durationS`, or at teardown. */
export const podPause: Fault<'pod.pause'> = {
  type: 'pod.pause',
  async apply(ctx, target, params) {
    const pods = resolvePods(ctx.topology, target);
    await Promise.all(pods.map((p) => p.pause()));
    const states = await Promise.all(pods.map((p) => p.state()));
    const resume = async () => {
      for (const p of pods) await p.unpause().catch(() => undefined);
    };
    const timer = setTimeout(() => void resume(), params.durationS * 1000);
    ctx.teardown.add(`unpause ${target}`, async () => {
      clearTimeout(timer);
      await resume();
    });
    return { durationS: params.durationS, pods: pods.map((p, i) => ({ pod: p.spec.name, status: states[i]!.status })) };
  },
};
