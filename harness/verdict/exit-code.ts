import type { VariantVerdict } from './types.ts';

// Exit codes, as the issue fixes them: 0 every requested variant met its expectation, 1 at least one
// did not (a red incident that stopped reproducing counts: the gate has rotted), 2 usage or set-up.
export const EXIT_OK = 0;
export const EXIT_UNMET = 1;
export const EXIT_USAGE = 2;

export function exitCodeFor(verdicts: readonly Pick<VariantVerdict, 'met'>[]): number {
  if (verdicts.length === 0) return EXIT_USAGE;
  return verdicts.every((v) => v.met) ? EXIT_OK : EXIT_UNMET;
}

