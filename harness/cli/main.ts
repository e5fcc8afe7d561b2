import { Command, CommanderError } from 'commander';
import { applyHarnessEnv } from '../platform/env.ts';
import { recoverDeadRuns } from '../platform/recover-runs.ts';
import { registerOwner } from '../platform/run-registry.ts';
import { installInterruptHandlers, interruptExitCode } from '../platform/interrupts.ts';
import { registerCapacity } from './commands/capacity.ts';
import { registerConformance } from './commands/conformance.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerDown } from './commands/down.ts';
import { registerExport } from './commands/export.ts';
import { registerImages } from './commands/images.ts';
import { registerList } from './commands/list.ts';
import { registerMargin } from './commands/margin.ts';
import { registerNew } from './commands/new.ts';
import { registerReport } from './commands/report.ts';
import { registerRun } from './commands/run.ts';
import { EXIT } from '../platform/exit-codes.ts';

const RECOVERING_COMMANDS = new Set(['run', 'margin', 'capacity', 'conformance', 'report', 'down']);
const REGISTERED_COMMANDS = new Set(['run', 'margin', 'capacity', 'conformance']);

export function buildProgram(): Command {
  const program = new Command('harness')
    .description('Replays pub/sub incidents in containers under real load, and judges them against SLOs.')
    .showHelpAfterError()
    .exitOverride();
  registerList(program);
  registerNew(program);
  registerRun(program);
  registerMargin(program);
  registerReport(program);
  registerCapacity(program);
  registerConformance(program);
  registerDoctor(program);
  registerDown(program);
  registerImages(program);
  registerExport(program);
  // Crash-only recovery: what a dead run left is removed before a command that starts, judges or
  // removes things does anything else; commands that start things register themselves first.
  program.hook('preAction', async (_program, action) => {
    const name = action.name();
    if (!RECOVERING_COMMANDS.has(name)) return;
    await recoverDeadRuns((l) => console.error(l));
    if (REGISTERED_COMMANDS.has(name)) registerOwner(name);
  });
  return program;
}

/** Sets process.exitCode rather than exiting, so teardown code in finally blocks still runs. */
export async function main(argv: string[]): Promise<void> {
  applyHarnessEnv();
  installInterruptHandlers();
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    // An interrupt's own handler cleans up and exits 130/143; the error it caused is not a failure to report.
    const interrupted = interruptExitCode();
    if (interrupted !== undefined) {
      process.exitCode = interrupted;
      return;
    }
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
