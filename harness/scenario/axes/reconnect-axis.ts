import { z } from 'zod';
import { axisBaseShape, issue, type AxisDefinition } from './axis-base.ts';

// Reconnect aggressiveness ×k: clients retry k times sooner (base and maximum delay ÷k). The
// strategy, jitter and the failures before falling back stay as written.

export const reconnectAxisSchema = z.strictObject({ ...axisBaseShape, kind: z.literal('reconnect') });
export type ReconnectAxis = z.output<typeof reconnectAxisSchema>;

export const reconnectAxis: AxisDefinition<ReconnectAxis> = {
  kind: 'reconnect',
  describe: () => 'client reconnect delays ÷k (base and maximum): clients retry k times as fast',
  check: (body) => (body.load.clients ? [] : [issue('kind', 'a reconnect axis needs load.clients to scale')]),
  apply: (body, _a, k) => {
    const out = structuredClone(body);
    const r = out.load.clients?.reconnect;
    if (r) {
      r.baseMs = Math.round(r.baseMs / k);
      r.maxMs = Math.max(1, Math.round(r.maxMs / k));
    }
    return out;
  },
};
