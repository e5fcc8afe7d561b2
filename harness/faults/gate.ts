import type { z } from 'zod';
import type { gateSchema } from '../scenario/actions.ts';
import type { FaultContext } from './fault.ts';

export type Gate = z.output<typeof gateSchema>;

export interface GateOutcome {
  passed: boolean;
  waitedS: number;
  detail: string;
  onFail: Gate['onFail'];
}

/**
 * A verification step of a roll-out: waits up to the gate's timeout for its condition. What a failed
 * gate means (leave the weights, stop the roll-out, roll back) is the action's to decide.
 */
export async function passGate(ctx: FaultContext, gate: Gate): Promise<GateOutcome> {
  const o = await ctx.conditions.waitFor(gate.condition, gate.timeoutS, ctx.signal);
  return { passed: o.met, waitedS: o.waitedS, detail: o.detail, onFail: gate.onFail };
}
