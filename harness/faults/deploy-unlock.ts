import { z } from 'zod';
import { defineAction, none } from './fault.ts';
import { requireDeployment } from './targets.ts';

/** The manual bypass of the 2019-12 report: clears the deploy locks left on a deployment's pods. */
export const deployUnlock = defineAction({
  type: 'deploy.unlock',
  target: 'deployment',
  summary: 'clear a stale deploy lock',
  params: z.strictObject({}),
  waitsOn: none,
  names: none,
  heal: null,
  async apply(ctx, deployment) {
    requireDeployment(ctx.topology, deployment);
    const { locks } = ctx.state;
    const names = ctx.topology.pods(deployment).map((p) => p.spec.name);
    const cleared = locks.clear(names);
    return { cleared: cleared.map((l) => ({ pod: l.pod, heldBy: l.heldBy })), locksLeft: locks.on(names).map((l) => l.pod) };
  },
});
