import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { validateScenario } from '../../scenario/resolve.ts';
import type { ResolvedScenario, ScenarioInput } from '../../scenario/scenario-schema.ts';
import { planAndCheck, PlanCheckError } from '../plan-runs.ts';

/** Every variant of a scenario input, resolved. */
export const variants = (input: ScenarioInput): ResolvedScenario[] => Object.values(validateScenario(input, 'x.ts').resolved);

/** What planning and checking the variants refuses, as `path: message` lines; [] when it passes. */
export function problems(input: ScenarioInput): string[] {
  try {
    planAndCheck(variants(input));
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(PlanCheckError);
    return (err as PlanCheckError).problems.map((p) => `${p.issue.path}: ${p.issue.message}`);
  }
}

/**
 * The postmortem check reads a folder: a test file brings its own, holding the one the malformed
 * base names, set for each test (and every stubbed variable undone after it). Returns the folder.
 */
export function usePostmortemsFolder(): string {
  const postmortems = mkdtempSync(join(tmpdir(), 'plan-postmortems-'));
  writeFileSync(join(postmortems, '001_47be3c2ebe891704.txt'), 'postmortem\n');
  beforeEach(() => vi.stubEnv('HARNESS_POSTMORTEMS_DIR', postmortems));
  afterEach(() => vi.unstubAllEnvs());
  return postmortems;
}
