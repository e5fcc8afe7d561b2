import { creationGate, InterruptedError, type StopSignal } from './creation-gate.ts';
import { EXIT } from './exit-codes.ts';

/** What ends a run, and what it must leave behind: nothing. */
export interface Cleanable {
  run(): Promise<string[]>;
  readonly currentStep: string | undefined;
  readonly runId: string;
}

export const EXIT_FOR_SIGNAL: Record<StopSignal, number> = { SIGINT: EXIT.SIGINT, SIGTERM: EXIT.SIGTERM };
const EXIT_CRASH = EXIT.internalError;

const active = new Set<Cleanable>();
let installed = false;
let signals = 0;
let log: (line: string) => void = (l) => console.error(l);

export function trackTeardown(t: Cleanable): () => void {
  installInterruptHandlers();
  active.add(t);
  return () => active.delete(t);
}

async function cleanUpAndExit(code: number): Promise<never> {
  const results = await Promise.all([...active].map((t) => t.run()));
  for (const e of results.flat()) log(`harness: cleanup: ${e}`);
  process.exit(code);
}

function stillRemoving(): string {
  const steps = [...active].map((t) => `${t.runId}: ${t.currentStep ?? 'starting'}`);
  const creating = creationGate.pending();
  return [...steps, ...(creating.length ? [`waiting for ${creating.length} creation(s) in flight: ${creating.join(', ')}`] : [])].join('; ') || 'nothing';
}

function onSignal(signal: StopSignal): void {
  signals++;
  const code = EXIT_FOR_SIGNAL[signal];
  if (signals === 1) {
    // Nothing new starts from here; what is being created is waited for, then everything removed.
    creationGate.close(signal);
    process.exitCode = code;
    const inFlight = creationGate.pending().length;
    log(`harness: interrupted (${signal}): starting nothing more${inFlight ? `, waiting for ${inFlight} creation(s) in flight` : ''}; removing the run's containers and processes…`);
    void cleanUpAndExit(code);
    return;
  }
  if (signals === 2) {
    log(`harness: still removing: ${stillRemoving()}. Interrupt once more to leave now (the next harness command removes what is left).`);
    return;
  }
  log(`harness: leaving without finishing the clean-up; \`harness down\` (or the next run) removes what is left`);
  process.exit(code);
}

function onCrash(err: unknown): void {
  // Rejections caused by the interrupt itself (a refused start, an aborted wait) are expected.
  if (err instanceof InterruptedError || creationGate.closedSignal) return;
  log(`harness: internal error: ${(err as Error)?.stack ?? String(err)}`);
  if (signals > 0) return;
  signals++;
  creationGate.close('SIGTERM');
  process.exitCode = EXIT_CRASH;
  void cleanUpAndExit(EXIT_CRASH);
}

/**
 * SIGINT/SIGTERM at any moment of a command: close the creation gate, wait for creations in
 * flight, run every tracked teardown, exit 130/143. Installed once per process, before the command
 * does anything, so an interrupt while planning is handled like one during the replay.
 */
export function installInterruptHandlers(logTo?: (line: string) => void): void {
  if (logTo) log = logTo;
  if (installed) return;
  installed = true;
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
}

/** The exit code for an interrupt that has begun, or undefined. */
export function interruptExitCode(): number | undefined {
  const s = creationGate.closedSignal;
  return s && signals > 0 && process.exitCode !== EXIT_CRASH ? EXIT_FOR_SIGNAL[s] : undefined;
}

/** Throws when an interrupt has begun: for the start of each step that would create something. */
export function throwIfInterrupted(what: string): void {
  const s = creationGate.closedSignal;
  if (s) throw new InterruptedError(s, `not starting ${what}`);
}
