import { creationGate, InterruptedError } from './creation-gate.ts';

/**
 * TEST-ONLY hooks at fixed points of a run. With HARNESS_PAUSE_AT=<phase>, the command prints `harness: paused at <phase>` on
 * stderr when it reaches that phase and waits there until it is interrupted, so the interrupt tests
 * can signal it in a known phase. Phases: plan, images, setup (while the second container of the
 * run is being created, the first still in flight), replay, judge, report. Unset, it costs nothing.
 */
export const HOOK_PHASES = ['plan', 'images', 'setup', 'replay', 'judge', 'report'] as const;
export type HookPhase = (typeof HOOK_PHASES)[number];

/** TEST-ONLY: the error HARNESS_FAIL_AT=<phase> throws there, standing for a bug in that phase. */
export class InjectedFailure extends Error {
  constructor(readonly phase: HookPhase) {
    super(`injected failure at ${phase} (HARNESS_FAIL_AT, test-only)`);
    this.name = 'InjectedFailure';
  }
}

/**
 * The same points serve both test-only hooks: HARNESS_FAIL_AT=<phase> throws an InjectedFailure
 * there (the exit-2-and-nothing-left test), HARNESS_PAUSE_AT=<phase> waits there for a signal.
 */
export async function phaseHook(phase: HookPhase): Promise<void> {
  if (process.env.HARNESS_FAIL_AT === phase) throw new InjectedFailure(phase);
  if (process.env.HARNESS_PAUSE_AT !== phase) return;
  const signal = creationGate.signal;
  process.stderr.write(`harness: paused at ${phase} (HARNESS_PAUSE_AT, test-only)\n`);
  // A timer keeps the event loop alive: a bare pending promise would let the process exit 0.
  const keepAlive = setInterval(() => undefined, 60_000);
  await new Promise<never>((_, reject) => {
    const onAbort = () => {
      clearInterval(keepAlive);
      reject(signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError('SIGINT'));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
