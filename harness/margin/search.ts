import type { PointRun } from './point-run.ts';

// The margin search: bisection over an axis's range for the boundary between the factors at which a
// variant meets its expectation and those at which it does not. Pure: the runs come from `runPoint`,
// time from `now`, so it is tested on recorded outcomes.
//
// Noise: a point is decided by a majority of `repeats` runs (more than half of them met, or more than
// half did not), so one noisy run on a shared machine does not decide it; the point stops as soon as
// a majority is reached. An unknown run (inconclusive, or could not run) counts for neither side: the
// point is run again, up to 2 × repeats runs in all, within the budget; a point still without a
// majority is `undecided`, and the search stops there with its interval left open.

/** Where the expectation is met: a variant that holds, on the low side; an incident that reproduces, on the high side. */
export type MetSide = 'low' | 'high';

export type PointVerdict = 'met' | 'unmet' | 'undecided';

export interface SearchPoint {
  factor: number;
  runs: PointRun[];
  verdict: PointVerdict;
}

export interface SearchOptions {
  range: { min: number; max: number };
  resolution: number;
  repeats: number;
  metSide: MetSide;
  budgetMs: number;
  /** What one run is expected to take before any has run (the plan's replay plus set-up). */
  firstRunEstimateMs: number;
  now: () => number;
  runPoint: (factor: number) => Promise<PointRun>;
  onPoint?: (p: SearchPoint) => void;
}

export type SearchStop =
  /** The boundary is known to the axis's resolution. */
  | 'resolved'
  /** Met at both ends of the range: the margin is beyond it. */
  | 'met-across-range'
  /** Not met even at the end of the range where it should be: no margin inside the range. */
  | 'unmet-across-range'
  /** The next run would not fit in the budget. */
  | 'budget'
  /** A point had no majority after its allowed runs. */
  | 'undecided';

export interface SearchResult {
  metSide: MetSide;
  points: SearchPoint[];
  /** The decided factor closest to the boundary where the expectation was met; null if none. */
  met: number | null;
  /** The decided factor closest to the boundary where it was not met; null if none. */
  unmet: number | null;
  stop: SearchStop;
  /** True when the boundary is pinned to the resolution (or shown to lie outside the range). */
  complete: boolean;
  elapsedMs: number;
}

/** Majority of `repeats`: more than half. */
export const majorityOf = (repeats: number) => Math.floor(repeats / 2) + 1;

const round = (f: number) => Math.round(f * 1000) / 1000;

export async function searchMargin(o: SearchOptions): Promise<SearchResult> {
  if (!(o.repeats >= 1 && Number.isInteger(o.repeats))) throw new Error(`repeats must be a positive integer, got ${o.repeats}`);
  const started = o.now();
  const points: SearchPoint[] = [];
  let longestMs = o.firstRunEstimateMs;
  let outOfBudget = false;
  const fits = () => o.now() - started + longestMs <= o.budgetMs;

  const evaluate = async (factor: number): Promise<SearchPoint> => {
    const need = majorityOf(o.repeats);
    const runs: PointRun[] = [];
    const point: SearchPoint = { factor, runs, verdict: 'undecided' };
    points.push(point);
    for (;;) {
      const met = runs.filter((r) => r.result === 'met').length;
      const unmet = runs.filter((r) => r.result === 'unmet').length;
      if (met >= need) point.verdict = 'met';
      else if (unmet >= need) point.verdict = 'unmet';
      const left = 2 * o.repeats - runs.length;
      if (point.verdict !== 'undecided' || (met + left < need && unmet + left < need)) break;
      if (!fits()) {
        outOfBudget = true;
        break;
      }
      const run = await o.runPoint(factor);
      longestMs = Math.max(longestMs, run.wallMs);
      runs.push(run);
    }
    o.onPoint?.(point);
    return point;
  };

  const [metEnd, otherEnd] = o.metSide === 'low' ? [o.range.min, o.range.max] : [o.range.max, o.range.min];
  let met: number | null = null;
  let unmet: number | null = null;
  const finish = (stop: SearchStop, complete: boolean): SearchResult => ({ metSide: o.metSide, points: points.filter((p) => p.runs.length > 0), met, unmet, stop, complete, elapsedMs: o.now() - started });
  const stopFor = (p: SearchPoint): SearchStop => (outOfBudget && p.verdict === 'undecided' ? 'budget' : 'undecided');

  const first = await evaluate(metEnd);
  if (first.verdict === 'undecided') return finish(stopFor(first), false);
  if (first.verdict === 'unmet') {
    unmet = metEnd;
    return finish('unmet-across-range', true);
  }
  met = metEnd;
  const second = await evaluate(otherEnd);
  if (second.verdict === 'undecided') return finish(stopFor(second), false);
  if (second.verdict === 'met') {
    met = otherEnd;
    return finish('met-across-range', true);
  }
  unmet = otherEnd;
  for (;;) {
    const mid = round((met + unmet) / 2);
    // Rounded like the factors: 0.75 − 0.7 is 0.050000000000000044 in floating point, one resolution step.
    if (round(Math.abs(unmet - met)) <= o.resolution || mid === met || mid === unmet) return finish('resolved', true);
    if (!fits()) return finish('budget', false);
    const p = await evaluate(mid);
    if (p.verdict === 'undecided') return finish(stopFor(p), false);
    if (p.verdict === 'met') met = mid;
    else unmet = mid;
  }
}
