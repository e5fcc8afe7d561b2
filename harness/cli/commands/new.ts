import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import type { Command } from 'commander';
import { scaffoldScenario, ScaffoldError } from '../../scenario/scaffold.ts';
import { scenariosDir } from '../../scenario/scenario-files.ts';

export function registerNew(program: Command): void {
  program
    .command('new')
    .description('write a new scenario from the template: the scenario file, its doc page and its integration test')
    .argument('<id>', 'the scenario id, e.g. eu-cap-2021 (also its file name)')
    .option('--dir <dir>', 'the scenarios folder (default: scenarios/, or $HARNESS_SCENARIOS_DIR)')
    .option('--postmortem <file>', 'the postmortem it replays, a .txt file name (default: <id>.txt)')
    .action(async (id: string, opts: { dir?: string; postmortem?: string }) => {
      const files = scaffoldScenario(id, { scenariosDir: opts.dir ?? scenariosDir(), postmortem: opts.postmortem });
      const shown = (p: string) => relative(process.cwd(), p) || p;
      // All or nothing: an existing file is never overwritten, and then nothing is written.
      const existing = files.filter((f) => existsSync(f.path));
      if (existing.length > 0) throw new ScaffoldError(`harness new ${id}: ${existing.map((f) => shown(f.path)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; choose another id or remove ${existing.length === 1 ? 'it' : 'them'}`);
      for (const f of files) {
        await mkdir(dirname(f.path), { recursive: true });
        await writeFile(f.path, f.text, { flag: 'wx' });
        console.log(`wrote ${shown(f.path)}`);
      }
      console.log(`next: \`harness run ${shown(files[0]!.path)} --dry-run\`, then replace the template with the postmortem's mechanism`);
    });
}
