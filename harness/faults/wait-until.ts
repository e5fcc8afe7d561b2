import { FaultError, type Fault } from './fault.ts';

/** Holds the timeline until a condition holds; not holding by the timeout is a failed action. */
export const waitUntil: Fault<'wait.until'> = {
  type: 'wait.until',
  async apply(ctx, _target, params) {
    const o = await ctx.conditions.waitFor(params.condition, params.timeoutS, ctx.signal);
    const evidence = { condition: params.condition, met: o.met, waitedS: o.waitedS, seen: o.detail };
    if (!o.met) throw new FaultError(`condition not met within ${params.timeoutS} s: ${o.detail}`, evidence);
    return evidence;
  },
};
