import { z } from 'zod';
import type { EdgeRoute } from '../topology/haproxy-config.ts';
import { idSchema } from '../scenario/vocabulary.ts';
import { defineAction, FaultError } from './fault.ts';
import { gateConditions, gateSchema, passGate } from './gate.ts';

/** Sets the edge weights (the reports' weighted DNS) and reads them back from HAProxy's live maps. */
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
        for (const route of Object.keys(l.routes) as EdgeRoute[]) kept[`${l.name}/${route}`] = await edge.readWeights(l.name, route);
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
        readBack[`${listener.name}/${route}`] = await edge.setWeights(listener.name, route, next);
        ctx.state.setWeights(listener.name, route, next);
      }
    }
    return { requested: params.weights, shifted: true, ...(gate ? { gate } : {}), readBack };
  },
});
