import { z } from 'zod';
import { conditionSchema } from '../scenario/conditions.ts';
import { defineAction, FaultError, none } from './fault.ts';

/** Holds the timeline until a condition holds; not holding by the timeout is a failed action. */
export const waitUntil = defineAction({
  type: 'wait.until',
  target: 'any',
  summary: 'hold the timeline until a condition holds',
  params: z.strictObject({ condition: conditionSchema, timeoutS: z.number().positive() }),
  waitsOn: (p) => [{ path: 'condition', condition: p.condition }],
  names: none,
  heal: null,
  async apply(ctx, _target, params) {
    const o = await ctx.conditions.waitFor(params.condition, params.timeoutS, ctx.signal);
    const evidence = { condition: params.condition, met: o.met, waitedS: o.waitedS, seen: o.detail };
    if (!o.met) throw new FaultError(`condition not met within ${params.timeoutS} s: ${o.detail}`, evidence);
    return evidence;
  },
});
