import type { Command } from 'commander';
import { formatChecks, runDoctor } from '../../platform/doctor.ts';
import { EXIT } from '../../platform/exit-codes.ts';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check every prerequisite; exit 0 only when all are ✔')
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { json?: boolean }) => {
      const checks = await runDoctor();
      console.log(opts.json ? JSON.stringify(checks, null, 2) : formatChecks(checks));
      process.exitCode = checks.every((c) => c.ok) ? EXIT.ok : EXIT.usage;
    });
}
