import { relative } from 'node:path';
import { HarnessError, type ScenarioIssue } from '../scenario/errors.ts';
import { joinPath } from '../scenario/format-issues.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { readBounds, type Bounds } from './bounds.ts';
import { checkPlan } from './check-plan.ts';
import { planRun, type RunPlan } from './run-plan.ts';

/** One or more selected variants cannot run on this machine as planned; nothing was started. */
export class PlanCheckError extends HarnessError {
  readonly code = 'PLAN_INVALID';
  constructor(readonly problems: { file: string; issue: ScenarioIssue }[]) {
    const line = (p: { file: string; issue: ScenarioIssue }) => `${p.file}: ${p.issue.path}: ${p.issue.message}`;
    super(problems.length === 1 ? line(problems[0]!) : `${problems.length} problems in the run plan\n${problems.map((p) => `  ${line(p)}`).join('\n')}`);
    this.name = 'PlanCheckError';
  }
}

export interface CheckedPlan {
  scenario: ResolvedScenario;
  plan: RunPlan;
}

/** Plan every selected variant and check them all, before the first container: one problem stops all. */
export function planAndCheck(scenarios: readonly ResolvedScenario[], bounds: Bounds = readBounds(), cwd = process.cwd()): CheckedPlan[] {
  const problems: { file: string; issue: ScenarioIssue }[] = [];
  const out: CheckedPlan[] = [];
  for (const s of scenarios) {
    const plan = planRun(s, bounds.edgeMaxconn.value);
    const file = s.file ? relative(cwd, s.file) || s.file : s.id;
    // Metadata belongs to the file, not the variant: name it once.
    for (const issue of checkPlan(s, plan, bounds)) {
      const path = issue.path === 'postmortem' ? issue.path : joinPath(`variants.${s.variant}`, issue.path);
      if (!problems.some((p) => p.file === file && p.issue.path === path && p.issue.message === issue.message)) problems.push({ file, issue: { ...issue, path } });
    }
    out.push({ scenario: s, plan });
  }
  if (problems.length > 0) throw new PlanCheckError(problems);
  return out;
}
