import type { Status, VariantStatus } from '../verdict/types.ts';

// One run of the margin search: a normal run of the variant at one factor, reduced to what the search
// and its report need. `met` is whether the variant did what it promises at that factor (a remediated
// variant held, an incident reproduced); an inconclusive run or one that could not run is neither.

export type RunResult = 'met' | 'unmet' | 'unknown';

export interface SloPoint {
  id: string;
  title: string;
  threshold: string;
  status: Status;
  value: number | null;
  unit: string;
}

export interface PointRun {
  factor: number;
  result: RunResult;
  /** The verdict's status, or `error` when the run could not complete. */
  status: VariantStatus | 'error';
  /** The run's own directory (a normal run directory); absent when it failed before writing one. */
  runDir: string | undefined;
  /** Why the run could not complete, when it could not. */
  error: string | undefined;
  slos: SloPoint[];
  wallMs: number;
}

export const resultOf = (verdict: { status: VariantStatus; met: boolean }): RunResult =>
  verdict.status === 'inconclusive' ? 'unknown' : verdict.met ? 'met' : 'unmet';
