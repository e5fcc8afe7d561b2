/** Probe kinds by name (the `kind` of a scenario's probe), each started from its own file. */
import type { Probe } from '../scenario/schema.ts';
import { startCapProbe } from './cap-probe.ts';
import { startDeliveryProbe } from './delivery-probe.ts';
import { startFallbackQueueProbe } from './fallback-queue-probe.ts';
import { startMemoryHeadroomProbe } from './memory-headroom-probe.ts';
import { startRestProbe } from './rest-probe.ts';
import { startWebhookProbe } from './webhook-probe.ts';
import type { ProbeContext, StartedProbe } from './probe.ts';

type Starters = { [K in Probe['kind']]: (spec: Extract<Probe, { kind: K }>, ctx: ProbeContext) => StartedProbe };

export const probeRegistry: Starters = {
  delivery: startDeliveryProbe,
  rest: startRestProbe,
  webhook: startWebhookProbe,
  cap: startCapProbe,
  'fallback-queue': startFallbackQueueProbe,
  'memory-headroom': startMemoryHeadroomProbe,
};

export function startProbe(spec: Probe, ctx: ProbeContext): StartedProbe {
  const start = probeRegistry[spec.kind] as (s: Probe, c: ProbeContext) => StartedProbe;
  return start(spec, ctx);
}

/** Starts every probe; if one cannot start, the ones already started are stopped first. */
export async function startProbes(specs: readonly Probe[], ctx: ProbeContext): Promise<StartedProbe[]> {
  const started: StartedProbe[] = [];
  try {
    for (const s of specs) started.push(startProbe(s, ctx));
  } catch (err) {
    await Promise.allSettled(started.map((p) => p.stop()));
    throw err;
  }
  return started;
}
