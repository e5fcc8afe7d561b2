import { z } from 'zod';
import { defineAction, none } from './fault.ts';
import { resolvePods } from './targets.ts';

export const podRestart = defineAction({
  type: 'pod.restart',
  target: 'pods',
  summary: 'restart a pod',
  params: z.strictObject({}),
  waitsOn: none,
  names: none,
  heal: null,
  async apply(ctx, target) {
    const pods = resolvePods(ctx.topology, target);
    const before = await Promise.all(pods.map((p) => p.state()));
    await Promise.all(pods.map((p) => p.restart()));
    const after = await Promise.all(pods.map((p) => p.state()));
    return {
      pods: pods.map((p, i) => ({ pod: p.spec.name, startedBefore: before[i]!.startedAt, startedAfter: after[i]!.startedAt, running: after[i]!.running })),
    };
  },
});
