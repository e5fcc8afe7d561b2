import { unimplementedActions } from '../faults/registry.ts';
import type { ImageName } from '../platform/images.ts';
import { environmentProblems, PreflightError } from '../platform/preflight.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';

/**
 * Everything a run needs, checked before anything starts, so a missing tool or image is named with
 * its fix and leaves no container, process or report behind. Returns the image references to use.
 */
export async function preflight(scenarios: readonly ResolvedScenario[]): Promise<Record<ImageName, string>> {
  const problems: string[] = [];
  for (const s of scenarios) {
    const missing = unimplementedActions(s.timeline.map((a) => a.type));
    if (missing.length) problems.push(`${s.id}/${s.variant}: timeline uses ${missing.join(', ')}, which the harness cannot apply yet (harness/faults/registry.ts)`);
  }
  const environment = await environmentProblems({ k6: scenarios.some((s) => s.load.k6.length > 0) });
  problems.push(...environment.problems);
  if (problems.length) throw new PreflightError(problems);
  return environment.images;
}
