import { relative } from 'node:path';
import type { Command } from 'commander';
import { loadScenarios, scenarioFiles } from '../../scenario/scenario-files.ts';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the scenarios and their variants (each file is validated)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const scenarios = await loadScenarios(await scenarioFiles());
      const rows = scenarios.map((s) => {
        const any = Object.values(s.resolved)[0]!;
        return { id: s.id, title: s.title, postmortem: any.postmortem, variants: s.variants, file: relative(process.cwd(), s.file ?? '') };
      });
      if (opts.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) console.log('no scenarios in scenarios/ yet');
      const idW = Math.max(...rows.map((r) => r.id.length));
      const varW = Math.max(...rows.map((r) => r.variants.join(', ').length));
      for (const r of rows) console.log(`${r.id.padEnd(idW)}  ${r.variants.join(', ').padEnd(varW)}  ${r.title}  (${r.postmortem})`);
    });
}
