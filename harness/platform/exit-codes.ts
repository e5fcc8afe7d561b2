// Every exit code of the harness's commands, in one place: the CI gate's contract.

export const EXIT = {
  /** Every requested variant met its expectation (and `doctor`: every prerequisite is there). */
  ok: 0,
  /** At least one variant did not (a red incident that stopped reproducing counts: the gate has rotted). */
  expectationNotMet: 1,
  /** Usage or set-up error, a plan over a bound, or a variant that could not run. */
  usage: 2,
  /** An exception nobody caught: reported as an internal error, never 0. */
  internalError: 2,
  /** Interrupted and cleaned up: the shell's 128 + signal number. */
  SIGINT: 130,
  SIGTERM: 143,
} as const;

/** The exit code of a run from its variants' verdicts; no verdict at all is a usage error, never green. */
export function exitCodeFor(verdicts: readonly { met: boolean }[]): number {
  if (verdicts.length === 0) return EXIT.usage;
  return verdicts.every((v) => v.met) ? EXIT.ok : EXIT.expectationNotMet;
}
