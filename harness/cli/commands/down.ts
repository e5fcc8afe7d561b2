import type { Command } from 'commander';
import { killHarnessK6, removeContainers } from '../../platform/cleanup.ts';
import { LABEL_MANAGED, LABEL_SESSION } from '../../platform/labels.ts';

export function registerDown(program: Command): void {
  program
    .command('down')
    .description('remove every container the harness started (by label) and any k6 it left running')
    .option('--session <id>', 'only what one test session started')
    .action(async (opts: { session?: string }) => {
      const labels: Record<string, string> = opts.session ? { [LABEL_SESSION]: opts.session } : { [LABEL_MANAGED]: 'true' };
      const removed = await removeContainers(labels);
      const killed = opts.session ? [] : await killHarnessK6();
      console.log(`removed ${removed.length} container(s)${removed.length ? `: ${removed.join(', ')}` : ''}; killed ${killed.length} k6 process(es)`);
    });
}
