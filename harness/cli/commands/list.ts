import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadNamedScenarios, loadScenarioFolder, resolveScenarioArg, scenariosDir, type ScenarioFolder } from '../../scenario/scenario-files.ts';

/** The folder (default: the project's scenarios/), or the files and folders named. */
async function listed(paths: string[]): Promise<ScenarioFolder> {
  if (paths.length === 0) return loadScenarioFolder();
  const folders = paths.filter((p) => existsSync(p) && statSync(p).isDirectory());
  const files = await Promise.all(paths.filter((p) => !folders.includes(p)).map(resolveScenarioArg));
  const parts = [...(await Promise.all(folders.map((d) => loadScenarioFolder(resolve(d))))), ...(files.length ? [await loadNamedScenarios(files)] : [])];
  return { scenarios: parts.flatMap((p) => p.scenarios), helpers: parts.flatMap((p) => p.helpers) };
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the scenarios and their variants (each file is validated)')
    .argument('[paths...]', 'scenario files or folders (default: scenarios/, or $HARNESS_SCENARIOS_DIR)')
    .option('--json', 'print as JSON')
    .action(async (paths: string[], opts: { json?: boolean }) => {
      const { scenarios, helpers } = await listed(paths);
      const rows = scenarios.map((s) => {
        const any = Object.values(s.resolved)[0]!;
        return { id: s.id, title: s.title, postmortem: any.postmortem, variants: s.variants, file: relative(process.cwd(), resolve(s.file ?? '')) };
      });
      if (opts.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) console.log(`no scenarios in ${paths.length ? paths.join(' ') : `${relative(process.cwd(), scenariosDir()) || '.'}/`} yet (\`harness new <id>\` writes one)`);
      const idW = Math.max(...rows.map((r) => r.id.length));
      const varW = Math.max(...rows.map((r) => r.variants.join(', ').length));
      for (const r of rows) console.log(`${r.id.padEnd(idW)}  ${r.variants.join(', ').padEnd(varW)}  ${r.title}  (${r.postmortem})`);
      if (helpers.length > 0) console.log(`(not scenarios, no scenario as their default export: ${helpers.join(', ')})`);
    });
}
