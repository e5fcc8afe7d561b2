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
  const found: { file: string; variant: string; issue: ScenarioIssue }[] = [];
  const variantsOf = new Map<string, Set<string>>();
  const out: CheckedPlan[] = [];
  for (const s of scenarios) {
    const plan = planRun(s, bounds.edgeMaxconn.value);
    const file = s.file ? relative(cwd, s.file) || s.file : s.id;
    variantsOf.set(file, (variantsOf.get(file) ?? new Set()).add(s.variant));
    for (const issue of checkPlan(s, plan, bounds)) found.push({ file, variant: s.variant, issue });
    out.push({ scenario: s, plan });
  }
  if (found.length > 0) throw new PlanCheckError(collapse(found, variantsOf));
  return out;
}

/**
 * A problem every selected variant of a file has comes from the shared part: name that field once,
 * unprefixed, as the author wrote it. One that only some variants have is named per variant.
 */
function collapse(found: { file: string; variant: string; issue: ScenarioIssue }[], variantsOf: Map<string, Set<string>>): { file: string; issue: ScenarioIssue }[] {
  const out: { file: string; issue: ScenarioIssue }[] = [];
  const key = (f: { file: string; issue: ScenarioIssue }) => `${f.file}\0${f.issue.path}\0${f.issue.message}`;
  const seen = new Set<string>();
  for (const f of found) {
    if (seen.has(key(f))) continue;
    seen.add(key(f));
    const variants = new Set(found.filter((g) => key(g) === key(f)).map((g) => g.variant));
    const everywhere = variants.size === variantsOf.get(f.file)!.size;
    const path = everywhere || f.issue.path === 'postmortem' ? f.issue.path : joinPath(`variants.${f.variant}`, f.issue.path);
    for (const v of everywhere ? [undefined] : [...variants]) {
      out.push({ file: f.file, issue: { ...f.issue, path: v === undefined ? path : joinPath(`variants.${v}`, f.issue.path) } });
    }
  }
  return out;
}
