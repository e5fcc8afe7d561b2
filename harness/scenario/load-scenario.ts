import { access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScenarioLoadError } from './errors.ts';
import { validateScenario, type ValidatedScenario } from './resolve.ts';

/**
 * Import a scenario module (TypeScript, run under tsx) and validate it. The module's default export
 * (or a `scenario` export) is the `defineScenario(...)` object. Errors name the file relative to the
 * working directory, as a person would type it.
 */
export async function loadScenario(file: string, cwd: string = process.cwd()): Promise<ValidatedScenario> {
  const absolute = path.resolve(cwd, file);
  const label = path.relative(cwd, absolute) || file;
  try {
    await access(absolute);
  } catch {
    throw new ScenarioLoadError(label, 'file not found');
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (err) {
    throw new ScenarioLoadError(label, `could not be imported: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const value = mod.default ?? mod.scenario;
  if (value === undefined) throw new ScenarioLoadError(label, 'expected a default export made with defineScenario(...)');
  return validateScenario(value, label);
}
