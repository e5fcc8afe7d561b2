import { z } from 'zod';
import type { ScenarioIssue } from '../errors.ts';
import type { ScenarioBody } from '../scenario-schema.ts';
import { idSchema } from '../vocabulary.ts';

// What every stress axis shares: a name (`harness margin --axis NAME`), the range of factors the
// search may try, the resolution at which it stops, and why this axis matters for this scenario.
// Factor 1 is the scenario as written; each axis says what a factor k does to the resolved variant.

const factor = z.number({ error: 'expected a positive factor' }).positive();

export const axisBaseShape = {
  name: idSchema,
  /** Factors the search may try; the scenario as written is factor 1. */
  range: z
    .strictObject({ min: factor, max: factor })
    .refine((r) => r.max > r.min, { message: 'expected range.max > range.min' }),
  /** The search stops when the interval between the last good and the first bad factor is this narrow. */
  resolution: factor.default(0.05),
  /** Why this axis: what the next incident would look like along it. Shown in the margin report. */
  why: z.string().min(1),
};

export interface AxisDefinition<A extends { kind: string; name: string }> {
  kind: A['kind'];
  /** One line: what factor k does, for the report. */
  describe: (axis: A) => string;
  /** References the schema cannot check (deployments named, load the axis scales). */
  check: (body: ScenarioBody, axis: A) => ScenarioIssue[];
  /** The variant at factor k: a new body, the input left alone. */
  apply: (body: ScenarioBody, axis: A, k: number) => ScenarioBody;
}

export const issue = (path: string, message: string): ScenarioIssue => ({ path, message });

/** Deployments an axis names must exist; returns the issues for the ones that do not. */
export function unknownDeployments(body: ScenarioBody, names: readonly string[], path: string): ScenarioIssue[] {
  const known = body.topology.deployments.map((d) => d.name);
  return names.flatMap((n, i) => (known.includes(n) ? [] : [issue(`${path}[${i}]`, `expected a deployment name (${known.map((k) => JSON.stringify(k)).join(', ')}), got ${JSON.stringify(n)}`)]));
}
