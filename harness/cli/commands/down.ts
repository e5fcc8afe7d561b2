import { resolve } from 'node:path';
import type { Command } from 'commander';
import { killHarnessK6, removeContainers } from '../../platform/cleanup.ts';
import { LABEL_MANAGED, LABEL_SESSION } from '../../platform/labels.ts';
import { removeStrayPartialDirs } from '../../platform/recover-runs.ts';
import { DEFAULT_OUT } from './run.ts';

export function registerDown(program: Command): void {
  program
    .command('down')
    .description('remove every container the harness started (by label), any k6 it left running, and unfinished run directories of dead runs')
    .option('--session <id>', 'only what one test session started')
    .option('--out <dir>', 'where to look for unfinished (.partial) run directories', DEFAULT_OUT)
    .action(async (opts: { session?: string; out: string }) => {
      // Dead registered runs were already recovered (the preAction hook); this removes the rest.
      const labels: Record<string, string> = opts.session ? { [LABEL_SESSION]: opts.session } : { [LABEL_MANAGED]: 'true' };
      const removed = await removeContainers(labels);
      const killed = opts.session ? [] : await killHarnessK6();
      const dirs = await removeStrayPartialDirs([resolve(opts.out)]);
      console.log(`removed ${removed.length} container(s)${removed.length ? `: ${removed.join(', ')}` : ''}; killed ${killed.length} k6 process(es); removed ${dirs.length} unfinished run dir(s)${dirs.length ? `: ${dirs.join(', ')}` : ''}`);
    });
}
