import { z } from 'zod';
import { defineAction, none } from './fault.ts';
import { pollUntil, resolvePods } from './targets.ts';

export const podKill = defineAction({
  type: 'pod.kill',
  target: 'pods',
  summary: 'kill a pod',
  params: z.strictObject({ signal: z.enum(['SIGKILL', 'SIGTERM']).default('SIGKILL') }),
  waitsOn: none,
  names: none,
  // Whether it comes back is its restart policy's (or the supervisor's) business: that is the incident.
  heal: null,
  async apply(ctx, target, params) {
    const pods = resolvePods(ctx.topology, target);
    const before = await Promise.all(pods.map((p) => p.state()));
    await Promise.all(pods.map((p) => p.kill(params.signal)));
    // Evidence: each container seen stopped (or restarted by its policy) after the signal.
    const after = await Promise.all(
      pods.map((p, i) => pollUntil(() => p.state(), (s) => !s.running || s.restartCount > before[i]!.restartCount || s.startedAt !== before[i]!.startedAt, 10_000, ctx.signal)),
    );
    return {
      signal: params.signal,
      pods: pods.map((p, i) => ({ pod: p.spec.name, running: after[i]!.running, exitCode: after[i]!.exitCode, oomKilled: after[i]!.oomKilled, restarts: after[i]!.restartCount })),
    };
  },
});
