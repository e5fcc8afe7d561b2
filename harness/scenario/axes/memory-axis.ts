import { z } from 'zod';
import { idSchema } from '../vocabulary.ts';
import { axisBaseShape, type AxisDefinition, unknownDeployments } from './axis-base.ts';

// Memory per pod ÷k for the named deployments: the same load on pods k times smaller, i.e. the
// per-connection cost k times what was measured. The other deployments keep their limits.

export const memoryAxisSchema = z.strictObject({
  ...axisBaseShape,
  kind: z.literal('memory'),
  deployments: z.array(idSchema).min(1),
});
export type MemoryAxis = z.output<typeof memoryAxisSchema>;

export const memoryAxis: AxisDefinition<MemoryAxis> = {
  kind: 'memory',
  describe: (a) => `memory limit per pod ÷k on ${a.deployments.join(', ')}`,
  check: (body, a) => unknownDeployments(body, a.deployments, 'deployments'),
  apply: (body, a, k) => {
    const out = structuredClone(body);
    for (const d of out.topology.deployments) {
      if (!a.deployments.includes(d.name)) continue;
      d.memoryMb = Math.max(1, Math.round(d.memoryMb / k));
      // A memory-headroom probe checks the configured size: it moves with it, or the probe would judge the old one.
      for (const p of out.probes) if (p.kind === 'memory-headroom' && p.deployment === d.name) p.memoryMb = d.memoryMb;
    }
    return out;
  },
};
