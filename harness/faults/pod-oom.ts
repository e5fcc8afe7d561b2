import { z } from 'zod';
import { sleep } from '../load/timing.ts';
import { watchContainerEvents } from '../topology/container-events.ts';
import type { StartedPod } from '../topology/pod.ts';
import { defineAction, FaultError, none } from './fault.ts';
import { resolvePods } from './targets.ts';

async function heldMb(pod: StartedPod): Promise<number | undefined> {
  try {
    const res = await fetch(`${pod.url}/_harness/memory`, { signal: AbortSignal.timeout(500) });
    return ((await res.json()) as { heldMb: number }).heldMb;
  } catch {
    return undefined;
  }
}

/**
 * Makes memory grow inside the pod (the server's HARNESS_MEMORY_HOOK) until the kernel OOM-kills it
 * under the container's memory limit, or until `maxMb` when that is below the limit. Evidence is
 * Docker's: the `oom` event, the exit code 137 and State.OOMKilled.
 */
export const podOom = defineAction({
  type: 'pod.oom',
  target: 'pods',
  summary: 'let pod memory grow until the kernel OOM-kills it',
  params: z.strictObject({
    /** Extra memory allocated per second inside the pod. */
    growMbPerS: z.number().positive(),
    /** Stop growing at this many MB (the limit decides whether that is an OOM kill). */
    maxMb: z.number().positive().optional(),
  }),
  waitsOn: none,
  names: none,
  // A killed pod stays killed unless its restart policy brings it back: that is the incident.
  heal: null,
  async apply(ctx, target, params) {
    const pods = resolvePods(ctx.topology, target);
    const results = await Promise.all(
      pods.map(async (pod) => {
        const limitMb = pod.spec.memoryMb;
        const watch = await watchContainerEvents(pod.id, ['oom', 'die']);
        const started = ctx.history.now();
        try {
          const query = `mbPerS=${params.growMbPerS}${params.maxMb ? `&maxMb=${params.maxMb}` : ''}`;
          const res = await fetch(`${pod.url}/_harness/memory/grow?${query}`, { method: 'POST', signal: AbortSignal.timeout(2000) }).catch((e: Error) => e);
          if (res instanceof Error || res.status !== 202) {
            throw new FaultError(`${pod.spec.name}: the memory hook did not start (${res instanceof Error ? res.message : `HTTP ${res.status}`}); is HARNESS_MEMORY_HOOK=true set?`);
          }
          // Long enough to fill the limit at the asked rate, with room for a slow machine.
          const budgetMs = ((params.maxMb ?? limitMb ?? 1024) / params.growMbPerS) * 1500 + 10_000;
          let lastHeld: number | undefined;
          const deadline = Date.now() + budgetMs;
          while (!watch.seen.has('die') && Date.now() < deadline && !ctx.signal.aborted) {
            lastHeld = (await heldMb(pod)) ?? lastHeld;
            if (params.maxMb && lastHeld !== undefined && lastHeld >= params.maxMb) break;
            await sleep(200, ctx.signal);
          }
          await sleep(300, ctx.signal); // the die event and the inspect state settle together
          const state = await pod.state();
          return {
            pod: pod.spec.name,
            limitMb,
            lastHeldMb: lastHeld,
            oomEvent: watch.seen.has('oom'),
            died: watch.seen.has('die'),
            exitCode: watch.exitCode() ?? state.exitCode,
            // Docker resets OOMKilled when a restart policy restarts the container; the event stays.
            oomKilled: state.oomKilled,
            restarts: state.restartCount,
            secondsToKill: watch.seen.has('die') ? Math.round((ctx.history.now() - started) / 100) / 10 : undefined,
          };
        } finally {
          watch.close();
        }
      }),
    );
    const evidence = { growMbPerS: params.growMbPerS, maxMb: params.maxMb, pods: results };
    const survived = results.filter((r) => !r.oomEvent && !r.oomKilled);
    // Below the limit by request (maxMb), surviving is the expected outcome; otherwise it is a failed fault.
    if (survived.length && !(params.maxMb && survived.every((r) => r.lastHeldMb !== undefined && r.lastHeldMb >= params.maxMb!))) {
      throw new FaultError(`no OOM kill of ${survived.map((r) => r.pod).join(', ')} within the time budget`, evidence);
    }
    return evidence;
  },
});
