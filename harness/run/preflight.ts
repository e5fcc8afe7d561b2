import { existsSync } from 'node:fs';
import { K6MissingError } from '../load/k6-runner.ts';
import { docker } from '../platform/docker.ts';
import { phaseHook } from '../platform/phase-hook.ts';
import { imageExists, resolveImages, type ImageName } from '../platform/images.ts';
import { SETUP_COMMAND, toolPath } from '../platform/paths.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { serverBundleProblem } from '../topology/pod.ts';

export class PreflightError extends Error {
  readonly code = 'PREFLIGHT_FAILED';
  constructor(readonly problems: string[]) {
    super(`cannot start: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Everything a run needs, checked before anything starts, so a missing tool or image is named with
 * its fix and leaves no container, process or report behind. Returns the image references to use.
 */
export async function preflight(scenarios: readonly ResolvedScenario[]): Promise<Record<ImageName, string>> {
  await phaseHook('images');
  const problems: string[] = [];
  try {
    await (await docker()).ping();
  } catch (err) {
    problems.push(`no Docker engine answers (${(err as Error).message.split('\n')[0]}); run \`${SETUP_COMMAND}\``);
  }
  const bundleProblem = serverBundleProblem();
  if (bundleProblem) problems.push(bundleProblem);
  if (scenarios.some((s) => s.load.k6.length > 0) && !existsSync(toolPath('k6'))) problems.push(new K6MissingError(toolPath('k6')).message);
  const refs = {} as Record<ImageName, string>;
  if (problems.every((p) => !p.includes('Docker engine'))) {
    try {
      for (const image of Object.values(await resolveImages())) {
        refs[image.name] = image.ref;
        if (await imageExists(image.ref)) continue;
        const env = `HARNESS_IMAGE_${image.name.toUpperCase()}`;
        problems.push(
          image.overridden
            ? `image ${image.ref} (from ${env}) is not present; run \`docker pull ${image.ref}\` or unset ${env}`
            : `image ${image.ref} is missing; run \`${SETUP_COMMAND}\` (or \`node harness/cli/bin.js images\`)`,
        );
      }
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length) throw new PreflightError(problems);
  return refs;
}
