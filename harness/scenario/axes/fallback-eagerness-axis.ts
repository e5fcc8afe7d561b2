import { z } from 'zod';
import { axisBaseShape, issue, type AxisDefinition } from './axis-base.ts';

// Fallback eagerness ×k: clients give up on WebSocket after k times fewer failures in a row
// (fallbackAfterFailures ÷k, at least 1), so a larger share of the retrying clients lands on the HTTP
// fallback. The share itself follows from the failures; this is the knob a client release turns.

export const fallbackEagernessAxisSchema = z.strictObject({ ...axisBaseShape, kind: z.literal('fallback-eagerness') });
export type FallbackEagernessAxis = z.output<typeof fallbackEagernessAxisSchema>;

export const fallbackEagernessAxis: AxisDefinition<FallbackEagernessAxis> = {
  kind: 'fallback-eagerness',
  describe: () => 'clients fall back to HTTP after ÷k the WebSocket failures in a row (at least 1): more of them fall back',
  check: (body) => (body.load.clients ? [] : [issue('kind', 'a fallback-eagerness axis needs load.clients to scale')]),
  apply: (body, _a, k) => {
    const out = structuredClone(body);
    const r = out.load.clients?.reconnect;
    if (r) r.fallbackAfterFailures = Math.max(1, Math.round(r.fallbackAfterFailures / k));
    return out;
  },
};
