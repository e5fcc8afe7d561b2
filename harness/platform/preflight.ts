import { existsSync } from 'node:fs';
import { docker } from './docker.ts';
import { imageExists, resolveImages, type ImageName } from './images.ts';
import { K6MissingError, SETUP_COMMAND, toolPath } from './paths.ts';
import { phaseHook } from './phase-hook.ts';
import { serverBundleProblem } from './server-bundle.ts';

export class PreflightError extends Error {
  readonly code = 'PREFLIGHT_FAILED';
  constructor(readonly problems: string[]) {
    super(`cannot start: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * What this machine must have before a run or a capacity run starts anything: a Docker engine, the
 * server bundle, k6 when the run uses it, the local images. Each problem names its fix; the image
 * references to use come back with them.
 */
export async function environmentProblems(needs: { k6: boolean }): Promise<{ problems: string[]; images: Record<ImageName, string> }> {
  await phaseHook('images');
  const problems: string[] = [];
  try {
    await (await docker()).ping();
  } catch (err) {
    problems.push(`no Docker engine answers (${(err as Error).message.split('\n')[0]}); run \`${SETUP_COMMAND}\``);
  }
  const bundleProblem = serverBundleProblem();
  if (bundleProblem) problems.push(bundleProblem);
  if (needs.k6 && !existsSync(toolPath('k6'))) problems.push(new K6MissingError(toolPath('k6')).message);
  const images = {} as Record<ImageName, string>;
  if (problems.every((p) => !p.includes('Docker engine'))) {
    try {
      for (const image of Object.values(await resolveImages())) {
        images[image.name as ImageName] = image.ref;
        if (await imageExists(image.ref)) continue;
        const env = `HARNESS_IMAGE_${image.name.toUpperCase()}`;
        problems.push(
          image.overridden
            ? `image ${image.ref} (from ${env}) is not present; run \`docker pull ${image.ref}\` or unset ${env}`
            : `image ${image.ref} is missing; run \`${SETUP_COMMAND}\` (or \`harness images\`)`,
        );
      }
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  return { problems, images };
}

/** The environment check alone (capacity runs): throws PreflightError listing every problem. */
export async function checkEnvironment(needs: { k6: boolean }): Promise<Record<ImageName, string>> {
  const { problems, images } = await environmentProblems(needs);
  if (problems.length) throw new PreflightError(problems);
  return images;
}
