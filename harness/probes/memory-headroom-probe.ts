/**
 * Memory-headroom probe: checks a pod's memory limit at the connections it was sized for. At `atS`
 * it reads how many WebSocket connections the pod holds, opens the rest up to `connections` in
 * batches, holds them `holdS` seconds while the pod sampler reads the pod's working set, records
 * one `memory.checked` event with the hold's window, and closes everything it opened. Bounded:
 * never more than `connections` attempts, never past the probe's time bound.
 */
import { sleep } from '../load/timing.ts';
import type { PusherConnection } from '../load/pusher-client/index.ts';
import type { Probe } from '../scenario/schema.ts';
import { endpointFor, ProbeTargetError, type ProbeContext, type StartedProbe } from './probe.ts';
import { fillPod, podReading } from './pod-fill.ts';
import { startTimedCheck } from './timed-check.ts';

export type MemoryHeadroomProbeSpec = Extract<Probe, { kind: 'memory-headroom' }>;

export function startMemoryHeadroomProbe(spec: MemoryHeadroomProbeSpec, ctx: ProbeContext): StartedProbe {
  return startTimedCheck(spec, ctx, 'memory headroom check', async ({ signal, deadline, open }) => {
    const endpoint = endpointFor(ctx.targets, spec.deployment);
    if (!endpoint || endpoint.pod === undefined) throw new ProbeTargetError(`memory-headroom probe ${spec.id}: deployment ${spec.deployment} has no pod to fill`);
    const before = await podReading(ctx, endpoint);
    // No reading, no finding: the SLO is unknown without the event, never a guess.
    if (!before) return;
    const admitted: PusherConnection[] = [];
    const attempts = Math.max(0, spec.connections - before.open);
    const { refusal } = await fillPod(ctx, { probe: spec.id, endpoint, attempts, batch: spec.batch, signal, deadline }, admitted, open);
    const heldFromMs = ctx.history.now();
    if (refusal === undefined) await sleep(spec.holdS * 1000, signal);
    const atEnd = await podReading(ctx, endpoint);
    ctx.history.record({
      type: 'memory.checked',
      probe: spec.id,
      deployment: spec.deployment,
      pod: endpoint.pod,
      transport: 'ws',
      sizedFor: spec.connections,
      memoryMb: spec.memoryMb,
      baseMb: spec.baseMb,
      perConnectionMb: spec.perConnectionMb,
      openBefore: before.open,
      admitted: admitted.length,
      ...(refusal !== undefined ? { refusal } : {}),
      ...(atEnd ? { openAtEnd: atEnd.open } : {}),
      heldFromMs,
      heldToMs: ctx.history.now(),
    });
  });
}
