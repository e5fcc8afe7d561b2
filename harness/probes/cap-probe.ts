/**
 * Cap probe: checks a pod's connection cap at its boundary. At `atS` it reads how many connections
 * the pod has open (its own gauge), opens WebSocket connections to it in batches until the pod
 * refuses one, asks a few of the admitted ones to receive a message published through the REST API,
 * and records one `limit.checked` event with what it found. Then it closes everything it opened.
 * Bounded: never more than limit + one batch attempts, never past the probe's time bound.
 */
import type { PusherConnection } from '../load/pusher-client/index.ts';
import type { Probe } from '../scenario/schema.ts';
import { endpointFor, ProbeTargetError, type ProbeContext, type StartedProbe } from './probe.ts';
import { fillPod, podReading, refusedDelta } from './pod-fill.ts';
import { firstMiddleLast, receiveCheck } from './receive-check.ts';
import { startTimedCheck } from './timed-check.ts';

export type CapProbeSpec = Extract<Probe, { kind: 'cap' }>;

export function startCapProbe(spec: CapProbeSpec, ctx: ProbeContext): StartedProbe {
  return startTimedCheck(spec, ctx, 'cap check', async ({ signal, deadline, open }) => {
    const endpoint = endpointFor(ctx.targets, spec.deployment);
    if (!endpoint || endpoint.pod === undefined) throw new ProbeTargetError(`cap probe ${spec.id}: deployment ${spec.deployment} has no pod to check`);
    const before = await podReading(ctx, endpoint);
    // No reading, no finding: the SLO is unknown without the event, never a guess.
    if (!before) return;
    const admittedConns: PusherConnection[] = [];
    const attempts = Math.max(0, spec.limit - before.open) + spec.batch;
    const { refusal } = await fillPod(ctx, { probe: spec.id, endpoint, attempts, batch: spec.batch, signal, deadline }, admittedConns, open);
    const after = await podReading(ctx, endpoint);
    const working = await receiveCheck(spec.id, ctx, firstMiddleLast(admittedConns));
    ctx.history.record({
      type: 'limit.checked',
      probe: spec.id,
      deployment: spec.deployment,
      pod: endpoint.pod,
      transport: 'ws',
      limit: spec.limit,
      openBefore: before.open,
      ...(after ? { openAfter: after.open } : {}),
      admitted: admittedConns.length,
      ...(refusal !== undefined ? { refusal } : {}),
      refusedByServer: refusedDelta(before.refused, after?.refused ?? {}),
      checked: working.checked,
      working: working.ok,
    });
  });
}
