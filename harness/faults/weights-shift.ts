import { z } from 'zod';
import type { EdgeRoute } from '../topology/haproxy-config.ts';
import { idSchema } from '../scenario/vocabulary.ts';
import { disagreeing, readBackEntries } from './edge-read-back.ts';
import { defineAction, FaultError } from './fault.ts';
import { gateConditions, gateSchema, passGate } from './gate.ts';

/** Sets the edge weights (the reports' weighted DNS) on every edge process and reads them back from each one's live maps. */
export const weightsShift = defineAction({
  type: 'weights.shift',
  target: 'edge',
  summary: 'set edge weights (where new connections go)',
  params: z.strictObject({
    weights: z.record(idSchema, z.number().int().min(0).max(256)),
    /** Checked before shifting: a failed gate leaves the weights as they are (a guarded roll-out). */
    gate: gateSchema.optional(),
  }),
  waitsOn: gateConditions,
  names: (p) => Object.keys(p.weights).map((d) => ({ path: `weights.${d}`, deployment: d })),
  heal: null,
  async apply(ctx, _target, params) {
    const edge = ctx.topology.edge;
    if (!edge) throw new FaultError('the topology has no edge');
    // A guarded roll-out: the gate is checked before shifting, and a failed one leaves the weights.
    const gate = params.gate ? await passGate(ctx, params.gate) : undefined;
    if (gate && !gate.passed) {
      const kept: Record<string, Record<string, number>> = {};
      for (const l of edge.spec.listeners) {
        for (const route of Object.keys(l.routes) as EdgeRoute[]) readBackEntries(`${l.name}/${route}`, await edge.readWeights(l.name, route), kept);
      }
      return { requested: params.weights, shifted: false, gate, readBack: kept };
    }
    const readBack: Record<string, Record<string, number>> = {};
    for (const listener of edge.spec.listeners) {
      for (const route of Object.keys(listener.routes) as EdgeRoute[]) {
        const current = ctx.state.weightsOf(listener.name, route)!;
        // Only deployments already serving this route take part; others keep their place.
        const next = Object.fromEntries(Object.keys(current).map((d) => [d, params.weights[d] ?? current[d]!]));
        if (Object.values(next).every((w) => w === 0)) continue;
        const perProcess = await edge.setWeights(listener.name, route, next);
        readBackEntries(`${listener.name}/${route}`, perProcess, readBack);
        const split = disagreeing(perProcess);
        if (split.length > 0) throw new FaultError(`edge processes ${split.join(', ')} read back other ${listener.name}/${route} weights than ${edge.processes[0]!.name}: ${JSON.stringify(perProcess)}`);
        ctx.state.setWeights(listener.name, route, next);
      }
    }
    return { requested: params.weights, shifted: true, ...(gate ? { gate } : {}), ...(edge.processes.length > 1 ? { edgeProcesses: edge.processes.length } : {}), readBack };
  },
});
