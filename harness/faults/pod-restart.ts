import type { Fault } from './fault.ts';
import { resolvePods } from './targets.ts';

export const podRestart: Fault<'pod.restart'> = {
  type: 'pod.restart',
  async apply(ctx, target) {
    const pods = resolvePods(ctx.topology, target);
    const before = await Promise.all(pods.map((p) => p.state()));
    await Promise.all(pods.map((p) => p.restart()));
    const after = await Promise.all(pods.map((p) => p.state()));
    return {
      pods: pods.map((p, i) => ({ pod: p.spec.name, startedBefore: before[i]!.startedAt, startedAfter: after[i]!.startedAt, running: after[i]!.running })),
    };
  },
};
