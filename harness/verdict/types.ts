import type { Expectation } from '../scenario/schema.ts';

/** Jepsen's three outcomes. Unknown is never folded into pass. */
export type Status = 'pass' | 'fail' | 'unknown';

export interface SloResult {
  id: string;
  title: string;
  kind: string;
  why: string;
  threshold: string;
  status: Status;
  /** The observed value (ratio, ms, count, seconds); null when there was none. */
  value: number | null;
  unit: 'ratio' | 'ms' | 'count' | 's' | 'value';
  /** How the value was obtained, in words: "981 of 1000 connect attempts succeeded". */
  detail: string;
  window: { from: number; to: number } | undefined;
}

export interface Detection {
  slo: string;
  alert: string;
  /** When the fault first showed in the history (seconds); null if it never happened. */
  faultAtS: number | null;
  firedAtS: number | null;
  /** firedAtS - faultAtS; null when not detected or no fault. */
  seconds: number | null;
}

export type VariantStatus = 'reproduced' | 'rotted' | 'held' | 'broken' | 'inconclusive';

export interface VariantVerdict {
  variant: string;
  expectation: Expectation;
  status: VariantStatus;
  /** Did the variant do what it promised (incident reproduced / remediated held)? */
  met: boolean;
  /** Why, one line per SLO that decided it. */
  reasons: string[];
  /** SLOs that breached without being expected to (incident variant): worth a look, not a failure. */
  unexpectedBreaches: string[];
  /**
   * What the run failed to show, apart from any SLO: an incomplete history, a fault that never took
   * effect. Non-empty means the variant cannot be green. Absent on verdicts composed before the check.
   */
  evidenceGaps?: string[];
}
