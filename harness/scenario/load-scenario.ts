import { access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScenarioLoadError, ScenarioValidationError, type ScenarioIssue } from './errors.ts';
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
  const validated = validateScenario(value, label);
  await checkLoadScripts(validated, path.dirname(absolute), label, cwd);
  return validated;
}

/** k6 scripts are named relative to `<scenario dir>/load/`; a missing one fails now, not mid-run. */
async function checkLoadScripts(s: ValidatedScenario, dir: string, label: string, cwd: string): Promise<void> {
  const issues: ScenarioIssue[] = [];
  for (const [variant, plan] of Object.entries(s.resolved)) {
    for (const [i, k6] of plan.load.k6.entries()) {
      const file = path.join(dir, 'load', k6.script);
      try {
        await access(file);
      } catch {
        issues.push({ path: `variants.${variant}.load.k6[${i}].script`, message: `expected a file in ${path.relative(cwd, path.join(dir, 'load')) || 'load'}/, got ${JSON.stringify(k6.script)}` });
      }
    }
  }
  if (issues.length > 0) throw new ScenarioValidationError(label, dedupeByMessage(issues));
}

function dedupeByMessage(issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = i.message + i.path.replace(/^variants\.[^.]+\./, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
