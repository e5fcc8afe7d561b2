import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadScenario } from '../scenario/load-scenario.ts';
import type { ValidatedScenario } from '../scenario/resolve.ts';
import { HarnessError } from '../scenario/errors.ts';

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

/** `connection-limit` → scenarios/connection-limit.ts; a path is taken as it is. */
export async function resolveScenarioArg(arg: string): Promise<string> {
  if (arg.endsWith('.ts') && existsSync(resolve(arg))) return resolve(arg);
  const byId = resolve(SCENARIOS_DIR, `${arg}.ts`);
  if (existsSync(byId)) return byId;
  const known = (await scenarioFiles()).map((f) => f.replace(/^.*\//, '').replace(/\.ts$/, ''));
  throw new UnknownScenarioError(arg, known);
}

/** Loads and validates every requested scenario before anything starts: one bad file stops all. */
export async function loadScenarios(files: string[]): Promise<ValidatedScenario[]> {
  const out: ValidatedScenario[] = [];
  for (const f of files) out.push(await loadScenario(f));
  return out;
}
