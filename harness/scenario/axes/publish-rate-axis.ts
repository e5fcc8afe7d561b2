import { z } from 'zod';
import { axisBaseShape, issue, type AxisDefinition } from './axis-base.ts';

// Publish rate ×k: the REST publishing load (load.publish) k times as fast, same payload and channels.
// The probes keep their own rate: they measure, they are not the load.

export const publishRateAxisSchema = z.strictObject({ ...axisBaseShape, kind: z.literal('publish-rate') });
export type PublishRateAxis = z.output<typeof publishRateAxisSchema>;

export const publishRateAxis: AxisDefinition<PublishRateAxis> = {
  kind: 'publish-rate',
  describe: () => 'REST publish rate (load.publish.ratePerS) ×k; probes keep their rate',
  check: (body) => (body.load.publish && body.load.publish.ratePerS > 0 ? [] : [issue('kind', 'a publish-rate axis needs load.publish with ratePerS > 0 to scale')]),
  apply: (body, _a, k) => {
    const out = structuredClone(body);
    if (out.load.publish) out.load.publish.ratePerS = out.load.publish.ratePerS * k;
    return out;
  },
};
