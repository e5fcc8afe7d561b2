import { readdir } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { HarnessError, ScenarioLoadError } from './errors.ts';
import { loadScenario, loadScenarioModule } from './load-scenario.ts';
import type { ValidatedScenario } from './resolve.ts';

/**
 * The scenarios folder of the project the command runs in: `$HARNESS_SCENARIOS_DIR`, else
 * `scenarios/` of the current directory (this checkout's, or a team's repo that installed the harness).
 */
export function scenariosDir(): string {
  return resolve(process.env.HARNESS_SCENARIOS_DIR || 'scenarios');
}

export class UnknownScenarioError extends HarnessError {
  readonly code = 'SCENARIO_UNKNOWN';
  constructor(name: string, known: string[]) {
    super(`no scenario ${JSON.stringify(name)}: expected a file path or one of ${known.join(', ') || '(none yet)'} (see \`harness list\`)`);
  }
}

/** Tests and type declarations beside the scenarios are never scenario modules (and are not imported). */
const notAScenarioModule = (file: string) => file.endsWith('.test.ts') || file.endsWith('.d.ts');

/** Modules at the top of a scenarios folder that may hold a scenario: `*.ts`, not tests or declarations. */
async function candidateFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  return entries.filter((f) => f.endsWith('.ts') && !notAScenarioModule(f)).sort().map((f) => resolve(dir, f));
}

export interface ScenarioFolder {
  scenarios: ValidatedScenario[];
  /** Modules without a scenario object as their default export: helpers the scenarios import. */
  helpers: string[];
}

/**
 * Every scenario of a folder: its top-level `.ts` modules whose default export is a scenario object
 * (made with defineScenario). A module without one is a helper and is skipped; a default-exported
 * object that is not a valid scenario is an error, as is one id in two files.
 */
export async function loadScenarioFolder(dir: string = scenariosDir()): Promise<ScenarioFolder> {
  const folder = await loadModules(await candidateFiles(dir));
  checkUniqueIds(folder.scenarios);
  return folder;
}

/** Scenarios and helpers among the files, in order; a test file is not imported. */
async function loadModules(files: readonly string[]): Promise<ScenarioFolder> {
  const scenarios: ValidatedScenario[] = [];
  const helpers: string[] = [];
  for (const file of files) {
    const loaded = notAScenarioModule(file) ? { kind: 'helper' as const, label: relative(process.cwd(), file) || file } : await loadScenarioModule(file);
    if (loaded.kind === 'helper') helpers.push(loaded.label);
    else scenarios.push(loaded.scenario);
  }
  return { scenarios, helpers };
}

/**
 * Files named on the command line (a shell glob such as `./incidents/*.ts` may take in a helper
 * module): helpers are set aside, but naming only helpers is an error, as naming one file is.
 */
export async function loadNamedScenarios(files: string[]): Promise<ScenarioFolder> {
  const named = await loadModules(files);
  if (named.scenarios.length === 0 && named.helpers.length > 0) throw new ScenarioLoadError(named.helpers[0]!, 'expected a default export made with defineScenario(...)');
  checkUniqueIds(named.scenarios);
  return named;
}

/** The files of a folder's scenarios (helpers left out). */
export async function scenarioFiles(dir: string = scenariosDir()): Promise<string[]> {
  return (await loadScenarioFolder(dir)).scenarios.map((s) => resolve(s.file!));
}

/** Extensions of files that can hold a scenario module (TypeScript or JavaScript, ESM or not). */
export const SCENARIO_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs'];
const EXPECTED = 'expected a scenario module: a .ts file whose default export is defineScenario({...}) (see harness/scenario/README.md), or a scenario id from `harness list`';

/** The argument names something on disk that is not a scenario module: say what it is and what is expected. */
export class NotAScenarioModuleError extends HarnessError {
  readonly code = 'SCENARIO_NOT_A_MODULE';
  constructor(arg: string, what: string) {
    super(`${arg}: ${what}; ${EXPECTED}`);
    this.name = 'NotAScenarioModuleError';
  }
}

/** `connection-limit` → scenarios/connection-limit.ts; a path is taken as it is. */
export async function resolveScenarioArg(arg: string): Promise<string> {
  const asPath = resolve(arg);
  if (existsSync(asPath)) {
    const rel = relative(process.cwd(), asPath);
    const label = rel && !rel.startsWith('..') ? rel : asPath;
    if (statSync(asPath).isDirectory()) throw new NotAScenarioModuleError(label, 'is a directory, not a file');
    const ext = extname(asPath).toLowerCase();
    if (SCENARIO_EXTENSIONS.includes(ext)) return asPath;
    const kind = ext === '.json' ? 'a JSON file' : ext === '.yaml' || ext === '.yml' ? 'a YAML file' : ext ? `a ${ext} file` : 'a file without an extension';
    throw new NotAScenarioModuleError(label, `is ${kind}, not a scenario module (scenarios are code, so that variants can share values)`);
  }
  if (arg.includes('/') || SCENARIO_EXTENSIONS.includes(extname(arg))) throw new NotAScenarioModuleError(arg, 'file not found');
  const byId = resolve(scenariosDir(), `${arg}.ts`);
  if (existsSync(byId)) return byId;
  const known = (await loadScenarioFolder()).scenarios.map((s) => s.id);
  throw new UnknownScenarioError(arg, known);
}

/** Loads and validates every requested scenario before anything starts: one bad file stops all. */
export async function loadScenarios(files: string[]): Promise<ValidatedScenario[]> {
  const out: ValidatedScenario[] = [];
  for (const f of files) out.push(await loadScenario(f));
  checkUniqueIds(out);
  return out;
}

function checkUniqueIds(scenarios: readonly ValidatedScenario[]): void {
  const first = new Map<string, string>();
  for (const s of scenarios) {
    const other = first.get(s.id);
    if (other !== undefined && other !== s.file) throw new DuplicateScenarioIdError(s.id, other, s.file ?? '');
    first.set(s.id, s.file ?? '');
  }
}

/** Two files with one id: runs, reports and `list` would mix them up (one silently hides the other). */
export class DuplicateScenarioIdError extends HarnessError {
  readonly code = 'SCENARIO_DUPLICATE_ID';
  constructor(id: string, a: string, b: string) {
    const rel = (f: string) => relative(process.cwd(), f) || f;
    super(`${rel(b)}: id: ${JSON.stringify(id)} is also the id of ${rel(a)}: give each scenario file its own id`);
    this.name = 'DuplicateScenarioIdError';
  }
}
