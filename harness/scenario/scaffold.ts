import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { HarnessError } from './errors.ts';
import { idSchema } from './vocabulary.ts';

// `harness new <id>`: a scenario file, its doc page and its integration test, from the templates in
// templates/. The scenario is a small working red/green pair to replace with the postmortem's own.

const TEMPLATES = resolve(import.meta.dirname, 'templates');
/** The harness's own files: a checkout, or node_modules/incident-replay-harness in a team's repo. */
const HARNESS_ROOT = resolve(import.meta.dirname, '../..');
export const PACKAGE_NAME = 'incident-replay-harness';

export class ScaffoldError extends HarnessError {
  readonly code = 'SCAFFOLD_REFUSED';
}

export interface ScaffoldFile {
  path: string;
  text: string;
}

function inside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !rel.split(sep).includes('node_modules');
}

/** How a file at `from` imports a module of the harness: a relative path inside the checkout, the package name elsewhere. */
function harnessImport(from: string, checkoutPath: string, packagePath: string): string {
  if (!inside(HARNESS_ROOT, from)) return packagePath;
  const rel = relative(dirname(from), join(HARNESS_ROOT, checkoutPath)).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function fill(template: string, values: Record<string, string>): string {
  return readFileSync(join(TEMPLATES, template), 'utf8').replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * The three files of a new scenario: `<scenariosDir>/<id>.ts`, `<scenariosDir>/<id>.int.test.ts` and
 * `<scenariosDir>/../docs/scenarios/<id>.md`. Pure: the caller writes them (and refuses to overwrite).
 */
export function scaffoldScenario(id: string, opts: { scenariosDir: string; postmortem?: string; cwd?: string }): ScaffoldFile[] {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new ScaffoldError(`harness new ${JSON.stringify(id)}: ${parsed.error.issues[0]!.message}`);
  const postmortem = opts.postmortem ?? `${id}.txt`;
  if (!/^[\w.-]+\.txt$/.test(postmortem)) throw new ScaffoldError(`--postmortem ${JSON.stringify(postmortem)}: expected a postmortem file name ending in .txt`);
  const cwd = opts.cwd ?? process.cwd();
  const scenarioPath = resolve(opts.scenariosDir, `${id}.ts`);
  const testPath = resolve(opts.scenariosDir, `${id}.int.test.ts`);
  const docPath = resolve(opts.scenariosDir, '..', 'docs', 'scenarios', `${id}.md`);
  const shown = (p: string) => relative(cwd, p).split(sep).join('/') || p;
  const values = {
    id,
    postmortem,
    harness: harnessImport(scenarioPath, 'harness/index.ts', PACKAGE_NAME),
    testing: harnessImport(testPath, 'scenarios/testing/replay.ts', `${PACKAGE_NAME}/testing`),
    scenarioFile: shown(scenarioPath),
    testFile: shown(testPath),
  };
  return [
    { path: scenarioPath, text: fill('scenario.ts.tmpl', values) },
    { path: docPath, text: fill('scenario.md.tmpl', values) },
    { path: testPath, text: fill('scenario.int.test.ts.tmpl', values) },
  ];
}
