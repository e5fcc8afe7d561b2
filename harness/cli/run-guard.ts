import { relative } from 'node:path';
import { readBounds } from '../plan/bounds.ts';
import { formatPlan } from '../plan/format-plan.ts';
import { postmortemCheckNote } from '../plan/check-plan.ts';
import { checkOutPath } from '../plan/out-path.ts';
import { planAndCheck, type CheckedPlan } from '../plan/plan-runs.ts';
import { makeRunId } from '../run/run-variant.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { EXIT } from '../platform/exit-codes.ts';

// The `run` command's checks before the first container, and its last line of defence: whatever
// escapes the run path is exit 2 with its cause, never 0.

/** Plan every selected variant, check the plans and the output directory; throws with the fix. */
export function checkBeforeStart(scenarios: readonly ResolvedScenario[], out: string): CheckedPlan[] {
  const checked = planAndCheck(scenarios);
  const note = postmortemCheckNote();
  if (note) console.error(`harness: ${note}`);
  checkOutPath(out, scenarios.map((s) => ({ scenarioId: s.id, runId: makeRunId(s), file: s.file && (relative(process.cwd(), s.file) || s.file) })));
  return checked;
}

/** `run --dry-run`: the plans and their checks, printed; nothing is started. */
export function printDryRun(checked: readonly CheckedPlan[], out: string, log: (line: string) => void): void {
  const bounds = readBounds();
  for (const { plan } of checked) for (const line of formatPlan(plan, bounds)) log(line);
  log(`✔ ${checked.length} variant(s) planned and checked (bounds, references, postmortem files, --out ${out}); nothing started (--dry-run)`);
}

/** The first frame of the harness's own code in a stack: where an internal error came from. */
function origin(err: Error): string {
  const frame = err.stack?.split('\n').find((l) => /\/harness\/(?!cli\/run-guard\.ts)/.test(l));
  return frame ? ` (at ${frame.trim().replace(/^at /, '').replace(/^.*\((.*)\)$/, '$1')})` : '';
}

/** Harness errors that are bugs, not bad input or a broken set-up: reported as internal errors. */
const INTERNAL_CODES = new Set(['HISTORY_CLOSED']);

/** An error nobody meant to show a user: a bug or a broken part, not bad input. */
export class InternalRunError extends Error {
  readonly code = 'RUN_INTERNAL';
  constructor(cause: unknown) {
    const err = cause instanceof Error ? cause : new Error(String(cause));
    super(`internal error during the run: ${err.name}: ${err.message.split('\n')[0]}${origin(err)}; run with HARNESS_DEBUG=1 for the stack`, { cause });
    this.name = 'InternalRunError';
    if (err.stack) this.stack = err.stack;
  }
}

/**
 * Wraps the run action: a thrown error reaches the CLI's exit 2 with its cause named (an error with
 * a code, such as a `HarnessError` naming bad input, keeps its own message); an exception or rejection
 * that escapes to the process while the run is on (a timer, a stream callback) is reported and turns
 * a would-be exit 0 into exit 2, even when something calls process.exit(0).
 */
export function guardRun<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const escaped: unknown[] = [];
    const onEscape = (err: unknown) => {
      escaped.push(err);
      console.error(`harness: ${new InternalRunError(err).message}`);
      if (process.env.HARNESS_DEBUG) console.error((err as Error)?.stack);
    };
    const onExit = (code: number) => {
      if (escaped.length > 0 && code === 0) process.exitCode = EXIT.usage;
    };
    process.on('uncaughtExceptionMonitor', onEscape);
    process.on('unhandledRejection', onEscape);
    process.on('exit', onExit);
    try {
      await action(...args);
      if (escaped.length > 0 && !process.exitCode) process.exitCode = EXIT.usage;
    } catch (err) {
      const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
      if (code !== undefined && !INTERNAL_CODES.has(code)) throw err;
      throw new InternalRunError(err);
    } finally {
      process.off('uncaughtExceptionMonitor', onEscape);
      process.off('unhandledRejection', onEscape);
      process.off('exit', onExit);
    }
  };
}
