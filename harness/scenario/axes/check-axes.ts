import { crossCheck } from '../cross-check.ts';
import type { ScenarioIssue } from '../errors.ts';
import { toScenarioIssues } from '../format-issues.ts';
import { bodySchema, type ScenarioBody } from '../scenario-schema.ts';
import type { Expectation } from '../schema.ts';
import { applyAxisToBody } from './apply-axis.ts';
import { axisDefinition } from './registry.ts';

// Axes are checked when the variant is resolved, like everything else: names are unique, what an
// axis scales exists, and the variant at both ends of the range is still a valid variant (a factor
// that makes a count 0 or pushes the clients over load.maxConnections is refused here, not mid-search).

export function checkAxes(body: ScenarioBody, expectation: Expectation | undefined): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const seen = new Set<string>();
  body.axes.forEach((axis, i) => {
    const at = `axes[${i}]`;
    if (seen.has(axis.name)) issues.push({ path: `${at}.name`, message: `duplicate axis name ${JSON.stringify(axis.name)}` });
    seen.add(axis.name);
    const refs = axisDefinition(axis).check(body, axis);
    issues.push(...refs.map((r) => ({ path: `${at}.${r.path}`, message: r.message })));
    if (refs.length > 0) return;
    for (const k of [axis.range.min, axis.range.max]) {
      const end = k === axis.range.min ? 'range.min' : 'range.max';
      const parsed = bodySchema.safeParse(applyAxisToBody(body, axis, k));
      const found = parsed.success ? crossCheck(parsed.data, expectation) : toScenarioIssues(parsed.error);
      issues.push(...found.map((f) => ({ path: `${at}.${end}`, message: `at ×${k} the variant is invalid: ${f.path}: ${f.message}` })));
    }
  });
  return issues;
}
