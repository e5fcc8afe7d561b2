import { Command, CommanderError } from 'commander';
import { applyHarnessEnv } from '../platform/env.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerDown } from './commands/down.ts';
import { registerImages } from './commands/images.ts';
import { EXIT } from './exit-codes.ts';

export function buildProgram(): Command {
  const program = new Command('harness')
    .description('Replays pub/sub incidents in containers under real load, and judges them against SLOs.')
    .showHelpAfterError()
    .exitOverride();
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
    console.error(`harness: ${(err as Error).message}`);
    process.exitCode = EXIT.usage;
  }
}
