import { z } from 'zod';
import { idSchema } from '../vocabulary.ts';
import { axisBaseShape, issue, type AxisDefinition } from './axis-base.ts';

// Weight-step size ×k: every weights.shift of the timeline sends k times its share of new connections
// to `deployment` (capped at 100%), the rest split among the other deployments it names as before.
// A roll-out that moves 70% becomes one that moves 84% at ×1.2. The initial edge weights stay.

export const weightStepAxisSchema = z.strictObject({ ...axisBaseShape, kind: z.literal('weight-step'), deployment: idSchema });
export type WeightStepAxis = z.output<typeof weightStepAxisSchema>;

/** One shift's weights with `deployment`'s share ×k, as percentages. */
export function scaleStep(weights: Record<string, number>, deployment: string, k: number): Record<string, number> {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  const mine = weights[deployment];
  if (mine === undefined || total === 0) return { ...weights };
  const share = Math.min(1, (mine / total) * k);
  const rest = total - mine;
  return Object.fromEntries(
    Object.entries(weights).map(([name, w]) => [name, name === deployment ? Math.round(share * 100) : rest === 0 ? 0 : Math.round((w / rest) * (1 - share) * 100)]),
  );
}

export const weightStepAxis: AxisDefinition<WeightStepAxis> = {
  kind: 'weight-step',
  describe: (a) => `each weights.shift sends ×k its share of new connections to ${a.deployment} (at most 100%)`,
  check: (body, a) =>
    body.timeline.some((t) => t.type === 'weights.shift' && a.deployment in (t.params.weights as Record<string, number>))
      ? []
      : [issue('deployment', `no weights.shift in the timeline names ${JSON.stringify(a.deployment)}: name a deployment the roll-out moves`)],
  apply: (body, a, k) => {
    const out = structuredClone(body);
    for (const t of out.timeline) if (t.type === 'weights.shift') t.params.weights = scaleStep(t.params.weights as Record<string, number>, a.deployment, k);
    return out;
  },
};
