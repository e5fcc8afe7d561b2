import { readdir } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { HarnessError } from './errors.ts';
import { loadScenario } from './load-scenario.ts';
import type { ValidatedScenario } from './resolve.ts';

export const SCENARIOS_DIR = resolve(import.meta.dirname, '../../scenarios');

export class UnknownScenarioError extends HarnessError {
  readonly code = 'SCENARIO_UNKNOWN';
  constructor(name: string, known: string[]) {
    super(`no scenario ${JSON.stringify(name)}: expected a file path or one of ${known.join(', ') || '(none yet)'} (see \`harness list\`)`);
  }
}

/** Scenario files: every `scenarios/*.ts` module (k6 scripts live in scenarios/load/, tests end in .test.ts). */
export async function scenarioFiles(): Promise<string[]> {
  const entries = await readdir(SCENARIOS_DIR).catch(() => [] as string[]);
  return entries.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts')).sort().map((f) => resolve(SCENARIOS_DIR, f));
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
  const byId = resolve(SCENARIOS_DIR, `${arg}.ts`);
  if (existsSync(byId)) return byId;
  const known = (await scenarioFiles()).map((f) => f.replace(/^.*\//, '').replace(/\.ts$/, ''));
  throw new UnknownScenarioError(arg, known);
}

/** Loads and validates every requested scenario before anything starts: one bad file stops all. */
export async function loadScenarios(files: string[]): Promise<ValidatedScenario[]> {
  const out: ValidatedScenario[] = [];
  for (const f of files) out.push(await loadScenario(f));
  const first = new Map<string, string>();
  for (const s of out) {
    const other = first.get(s.id);
    if (other !== undefined && other !== s.file) throw new DuplicateScenarioIdError(s.id, other, s.file ?? '');
    first.set(s.id, s.file ?? '');
  }
  return out;
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
