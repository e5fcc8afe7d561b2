import type { ImageName } from '../platform/images.ts';
import { environmentProblems, PreflightError } from '../platform/preflight.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';

/**
 * Everything a run needs, checked before anything starts, so a missing tool or image is named with
 * its fix and leaves no container, process or report behind. Returns the image references to use.
 * (Every action type has its registry entry, so a timeline needs no check here.)
 */
export async function preflight(scenarios: readonly ResolvedScenario[]): Promise<Record<ImageName, string>> {
  const environment = await environmentProblems({ k6: scenarios.some((s) => s.load.k6.length > 0) });
  if (environment.problems.length) throw new PreflightError(environment.problems);
  return environment.images;
}
