import { access } from 'node:fs/promises';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { ScenarioLoadError, ScenarioValidationError } from './errors.ts';
import { validateScenario, type ValidatedScenario } from './resolve.ts';
import { sourceProblems } from './source-check.ts';

/** Seconds a scenario module may take to settle (a top-level await that never resolves). */
export function loadTimeoutS(): number {
  const raw = process.env.HARNESS_SCENARIO_LOAD_TIMEOUT_S;
  const n = raw === undefined || raw === '' ? 10 : Number(raw);
  if (!(n > 0)) throw new Error(`HARNESS_SCENARIO_LOAD_TIMEOUT_S=${JSON.stringify(raw)}: expected a positive number of seconds`);
  return n;
}

/**
 * tsx's own import, not the host's: it compiles the file wherever it is (another repo, /tmp) and
 * loads it as a module of its own, so a scenario that imports the harness by package name does not
 * re-enter the harness's module graph (Node refuses that cycle as "Cannot require() ES Module").
 */
async function importWithDeadline(file: string, label: string): Promise<Record<string, unknown>> {
  const seconds = loadTimeoutS();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ScenarioLoadError(label, `did not finish loading within ${seconds} s (a top-level await that never settles?): make the module settle, or set HARNESS_SCENARIO_LOAD_TIMEOUT_S to wait longer`)),
      seconds * 1000,
    );
  });
  try {
    return (await Promise.race([tsImport(file, import.meta.url), deadline])) as Record<string, unknown>;
  } finally {
    clearTimeout(timer);
  }
}

/** A file outside any `"type": "module"` package is compiled as CommonJS: its export sits one level down. */
function scenarioExport(mod: Record<string, unknown>): unknown {
  const value = mod.default ?? mod.scenario;
  // Its exports object is marked __esModule; a helper's holds no default export at all.
  const compiledToCommonJs = value && typeof value === 'object' && (value as { __esModule?: unknown }).__esModule === true;
  if (compiledToCommonJs || (value && typeof value === 'object' && !('id' in value) && ('default' in value || 'scenario' in value))) {
    const inner = value as Record<string, unknown>;
    return inner.default ?? inner.scenario;
  }
  return value;
}

/** A module of a scenarios folder: a scenario, or a helper the scenarios import (no scenario object as its default export). */
export type LoadedModule = { kind: 'scenario'; scenario: ValidatedScenario } | { kind: 'helper'; label: string };

/**
 * Import a scenario module (TypeScript, run under tsx) and validate it. The module's default export
 * (or a `scenario` export) is the `defineScenario(...)` object. Errors name the file relative to the
 * working directory, as a person would type it.
 */
export async function loadScenario(file: string, cwd: string = process.cwd()): Promise<ValidatedScenario> {
  const loaded = await loadScenarioModule(file, cwd);
  if (loaded.kind === 'helper') throw new ScenarioLoadError(loaded.label, 'expected a default export made with defineScenario(...)');
  return loaded.scenario;
}

/**
 * Like loadScenario, but a module whose default export is not an object (none, a function, a
 * value) is a helper, not an error: a scenarios folder may hold shared values its scenarios import.
 * A default-exported object is a scenario and is validated, so a misspelt scenario is never skipped.
 */
export async function loadScenarioModule(file: string, cwd: string = process.cwd()): Promise<LoadedModule> {
  const absolute = path.resolve(cwd, file);
  // Outside the working directory (another repo), the absolute path reads better than ../../.
  const relative = path.relative(cwd, absolute);
  const label = relative && !relative.startsWith('..') ? relative : absolute;
  try {
    await access(absolute);
  } catch {
    throw new ScenarioLoadError(label, 'file not found');
  }
  const problems = await sourceProblems(absolute);
  if (problems.length > 0) throw new ScenarioValidationError(label, problems);
  let mod: Record<string, unknown>;
  try {
    mod = await importWithDeadline(absolute, label);
  } catch (err) {
    if (err instanceof ScenarioLoadError) throw err;
    throw new ScenarioLoadError(label, `could not be imported: ${err instanceof Error ? err.message : String(err)}${importHint(err)}`, { cause: err });
  }
  const value = scenarioExport(mod);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'helper', label };
  return { kind: 'scenario', scenario: validateScenario(value, label) };
}

/** The two mistakes a scenario kept in another repo runs into, with their fix. */
function importHint(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/Cannot find (module|package) 'incident-replay-harness'/.test(message)) {
    return '; install the harness in that repo (npm install <path or git URL of the harness>) so `incident-replay-harness` resolves (harness/scenario/README.md)';
  }
  if (/Top-level await is currently not supported with the "cjs" output format/.test(message)) {
    return '; the file is compiled as CommonJS: add "type": "module" to the package.json of its repo, or name it .mts';
  }
  return '';
}
