import { Command, CommanderError } from 'commander';
import { applyHarnessEnv } from '../platform/env.ts';
import { registerCapacity } from './commands/capacity.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerDown } from './commands/down.ts';
import { registerImages } from './commands/images.ts';
import { registerList } from './commands/list.ts';
import { registerReport } from './commands/report.ts';
import { registerRun } from './commands/run.ts';
import { EXIT } from './exit-codes.ts';

export function buildProgram(): Command {
  const program = new Command('harness')
    .description('Replays pub/sub incidents in containers under real load, and judges them against SLOs.')
    .showHelpAfterError()
    .exitOverride();
  registerList(program);
  registerRun(program);
  registerReport(program);
  registerCapacity(program);
  registerDoctor(program);
  registerDown(program);
  registerImages(program);
  return program;
}

/** Sets process.exitCode rather than exiting, so teardown code in finally blocks still runs. */
export async function main(argv: string[]): Promise<void> {
  applyHarnessEnv();
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : EXIT.usage;
      return;
    }
    // Usage and set-up errors (bad scenario, missing tool or image, port in use) name the fix; exit 2.
    console.error(`harness: ${(err as Error).message}`);
    if (process.env.HARNESS_DEBUG) console.error((err as Error).stack);
    process.exitCode = EXIT.usage;
  }
}
