import { HarnessError } from '../errors.ts';
import { bodySchema, type ResolvedScenario, type ScenarioBody } from '../scenario-schema.ts';
import { axisDefinition, type Axis } from './registry.ts';

// A resolved variant at factor k along one of its axes: the axis transforms the body, and the result
// is validated again as strictly as the file was (a factor can make a number invalid).

export class AxisError extends HarnessError {
  readonly code = 'AXIS_INVALID';
}

/** The named axis of a variant, or an error listing the axes it has. */
export function findAxis(scenario: Pick<ResolvedScenario, 'id' | 'variant' | 'axes'>, name: string): Axis {
  const axis = scenario.axes.find((a) => a.name === name);
  if (axis) return axis;
  const known = scenario.axes.map((a) => a.name);
  throw new AxisError(
    known.length === 0
      ? `${scenario.id}/${scenario.variant} declares no stress axes; add \`axes: [{ name, kind, range, why }]\` to the scenario (harness/scenario/README.md, "Stress axes")`
      : `${scenario.id}/${scenario.variant} has no axis "${name}" (its axes: ${known.join(', ')})`,
  );
}

/** Applies an axis to a body at factor k; no validation (check-axes.ts and atFactor validate). */
export function applyAxisToBody(body: ScenarioBody, axis: Axis, k: number): ScenarioBody {
  return axisDefinition(axis).apply(body, axis, k);
}

/** The variant at factor k along `axis`, validated; the description says which point it is. */
export function atFactor(scenario: ResolvedScenario, axis: Axis, k: number): ResolvedScenario {
  if (!(k >= axis.range.min && k <= axis.range.max)) {
    throw new AxisError(`factor ${k} is outside axis ${axis.name}'s range ${axis.range.min}..${axis.range.max} (${scenario.id}/${scenario.variant}); widen range in the scenario or ask for a factor inside it`);
  }
  const moved = applyAxisToBody(scenario, axis, k) as unknown as Record<string, unknown>;
  const parsed = bodySchema.safeParse(Object.fromEntries(Object.keys(bodySchema.shape).map((key) => [key, moved[key]])));
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new AxisError(`axis ${axis.name} at ×${k} makes ${scenario.id}/${scenario.variant} invalid: ${first.path.join('.')}: ${first.message}`);
  }
  const described = `${scenario.variantDescription ?? scenario.variant} [axis ${axis.name} ×${k}]`;
  return { ...scenario, ...parsed.data, variantDescription: described };
}
