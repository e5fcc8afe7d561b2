import { z } from 'zod';
import type { ScenarioBody } from '../scenario-schema.ts';
import { idSchema } from '../vocabulary.ts';
import { axisBaseShape, issue, unknownDeployments, type AxisDefinition } from './axis-base.ts';

// Clients ×k: k times the Node clients, arriving over the same ramp, so the arrival rate scales with
// them. Connection caps are sized for a load, so none scales by default: a remediated cap that holds
// at 1× must show whether it still holds at 1.3×. An axis that models "the fleet grows with its
// traffic" names the caps that grow with it.

export const clientsAxisSchema = z.strictObject({
  ...axisBaseShape,
  kind: z.literal('clients'),
  scaleCaps: z
    .strictObject({
      /** Also scale load.maxConnections, the harness's bound on connections the load may open. */
      loadMaxConnections: z.boolean().default(false),
      /** Also scale these deployments' maxConnections (and the cap probes' limit on them). */
      deployments: z.array(idSchema).default([]),
    })
    .default({ loadMaxConnections: false, deployments: [] }),
  /**
   * A WebSocket deployment whose memory limit the capacity model sized (capacity/model.json): the
   * margin report sets the model's predicted margin for it beside the measured one.
   */
  sizedByModel: idSchema.optional(),
});
export type ClientsAxis = z.output<typeof clientsAxisSchema>;

export const clientsAxis: AxisDefinition<ClientsAxis> = {
  kind: 'clients',
  describe: (a) => {
    const caps = [...(a.scaleCaps.loadMaxConnections ? ['load.maxConnections'] : []), ...a.scaleCaps.deployments.map((d) => `${d}.maxConnections`)];
    return `clients ×k over the same ramp (arrival rate ×k); ${caps.length ? `also scaled: ${caps.join(', ')}` : 'connection caps not scaled'}`;
  },
  check: (body, a) => {
    const out = unknownDeployments(body, a.scaleCaps.deployments, 'scaleCaps.deployments');
    if (!body.load.clients || body.load.clients.count === 0) out.push(issue('kind', 'a clients axis needs load.clients with count > 0 to scale'));
    else if (Math.round(body.load.clients.count * a.range.min) < 1) out.push(issue('range.min', `at ×${a.range.min} no client is left of ${body.load.clients.count}: raise range.min`));
    if (a.sizedByModel !== undefined) {
      const d = body.topology.deployments.find((x) => x.name === a.sizedByModel);
      if (!d) out.push(...unknownDeployments(body, [a.sizedByModel], 'sizedByModel').map((i) => ({ ...i, path: 'sizedByModel' })));
      else if (!d.roles.includes('ws')) out.push(issue('sizedByModel', `deployment ${d.name} does not serve WebSocket (roles: ${d.roles.join(', ')}); the model sizes WebSocket pods`));
    }
    a.scaleCaps.deployments.forEach((name, i) => {
      const d = body.topology.deployments.find((x) => x.name === name);
      if (d && d.maxConnections === undefined) out.push(issue(`scaleCaps.deployments[${i}]`, `deployment ${name} has no maxConnections to scale; remove it from scaleCaps.deployments`));
    });
    return out;
  },
  apply: (body, a, k) => {
    const out = structuredClone(body);
    if (out.load.clients) out.load.clients.count = Math.round(out.load.clients.count * k);
    if (a.scaleCaps.loadMaxConnections) out.load.maxConnections = Math.ceil(out.load.maxConnections * k);
    for (const d of out.topology.deployments) {
      if (!a.scaleCaps.deployments.includes(d.name) || d.maxConnections === undefined) continue;
      d.maxConnections = Math.ceil(d.maxConnections * k);
      // A cap probe checks the configured cap: it moves with it, or the probe would judge the old one.
      for (const p of out.probes) if (p.kind === 'cap' && p.deployment === d.name) p.limit = d.maxConnections;
    }
    return out;
  },
};

