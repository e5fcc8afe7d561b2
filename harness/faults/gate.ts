import { z } from 'zod';
import { conditionSchema } from '../scenario/conditions.ts';
import type { ConditionRef, FaultContext } from './fault.ts';

/** A verification step between pods (or deployments) during a roll-out. */
export const gateSchema = z.strictObject({
  condition: conditionSchema,
  /** How long to wait for the condition before declaring the gate failed. */
  timeoutS: z.number().positive(),
  /** A failed gate halts the roll-out, or halts and rolls back what was already done. */
  onFail: z.enum(['halt', 'rollback']).default('halt'),
});

export type Gate = z.output<typeof gateSchema>;

/** The gate an action's params may carry, as the cross-checks and the live fold see it. */
export const gateConditions = (params: { gate?: Gate | undefined }): ConditionRef[] => (params.gate ? [{ path: 'gate.condition', condition: params.gate.condition }] : []);

export interface GateOutcome {
  passed: boolean;
  waitedS: number;
  detail: string;
  onFail: Gate['onFail'];
}

/**
 * A verification step of a roll-out: waits up to the gate's timeout for its condition, and records
 * what it saw (gate.checked). What a failed gate means (leave the weights, stop the roll-out, roll
 * back) is the action's to decide.
 */
export async function passGate(ctx: FaultContext, gate: Gate, afterPods?: string[]): Promise<GateOutcome> {
  const o = await ctx.conditions.waitFor(gate.condition, gate.timeoutS, ctx.signal);
  const outcome = { passed: o.met, waitedS: o.waitedS, detail: o.detail, onFail: gate.onFail };
  const { index, type, target } = ctx.action;
  ctx.history.record({ type: 'gate.checked', index, action: type, target, ...outcome, ...(afterPods ? { afterPods } : {}) });
  return outcome;
}
