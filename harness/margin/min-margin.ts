import { relative } from 'node:path';
import { AxisError, atFactor, findAxis } from '../scenario/axes/apply-axis.ts';
import type { Axis } from '../scenario/axes/registry.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { OptionError } from '../platform/option-error.ts';

// `harness run --min-margin K`: one extra run per variant (per axis) at the required factor, not a
// search. A variant that holds must still hold at ×K ("the fix holds with 20% to spare"); an incident
// must still reproduce at ×1/K (the replay is not on the edge of reproducing). Planned and checked
// with the other runs, before anything starts.

export interface MarginGate {
  base: ResolvedScenario;
  axis: Axis;
  factor: number;
  /** The variant at that factor, validated. */
  plan: ResolvedScenario;
}

export function parseMinMargin(text: string): number {
  const k = Number(text);
  if (!(Number.isFinite(k) && k >= 1)) throw new OptionError(`--min-margin ${text}: expected a factor of at least 1, e.g. 1.2 for 20% to spare`);
  return k;
}

/** The gate point of each variant along each of its axes (or the one named). */
export function planMarginGates(plans: readonly ResolvedScenario[], k: number, axisName?: string): MarginGate[] {
  return plans.flatMap((base) => {
    const axes = axisName !== undefined ? [findAxis(base, axisName)] : base.axes.length ? base.axes : [findAxis(base, '')];
    const factor = 'breach' in base.expectation ? Math.round((1 / k) * 1000) / 1000 : k;
    return axes.map((axis) => {
      try {
        return { base, axis, factor, plan: atFactor(base, axis, factor) };
      } catch (err) {
        if (err instanceof AxisError) throw new AxisError(`--min-margin ${k}: ${base.file ? relative(process.cwd(), base.file) || base.file : base.id}: ${err.message}`);
        throw err;
      }
    });
  });
}

export const gateLabel = (g: Pick<MarginGate, 'base' | 'axis' | 'factor'>) => `${g.base.id}/${g.base.variant} at ${g.axis.name} ×${g.factor}`;
