import { runK6, type K6Outcome, type K6Result, type K6RunOptions } from './k6-runner.ts';

/**
 * k6's own mechanism for a run split over several processes: each runs the same script with
 * `--execution-segment from:to` of one shared `--execution-segment-sequence`, and k6 gives each its
 * share of the VUs and of the arrival rate, so together they make exactly the load of one process.
 * Several processes are how the load outgrows one process's open-file limit (20,000 here).
 */
export interface K6ExecutionSegments {
  /** The cut points, `0,1/3,2/3,1`: every process gets the same sequence. */
  sequence: string;
  /** One per process, in order: `0:1/3`, `1/3:2/3`, `2/3:1`. */
  segments: string[];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** i/n as k6 reads it, reduced: 0, 1/2, 1. */
function fraction(i: number, n: number): string {
  if (i === 0) return '0';
  if (i === n) return '1';
  const d = gcd(i, n);
  return `${i / d}/${n / d}`;
}

/** N equal execution segments. Throws a RangeError unless N is a whole number ≥ 1. */
export function executionSegments(instances: number): K6ExecutionSegments {
  if (!Number.isInteger(instances) || instances < 1) {
    throw new RangeError(`k6 instances: ${instances} is not a whole number of processes ≥ 1 (one process is instances: 1)`);
  }
  const cuts = Array.from({ length: instances + 1 }, (_, i) => fraction(i, instances));
  return { sequence: cuts.join(','), segments: cuts.slice(0, -1).map((from, i) => `${from}:${cuts[i + 1]}`) };
}

/** The `k6 run` flags of each process; none for a single process (its run is exactly as before). */
export function segmentArgs(instances: number): string[][] {
  if (instances === 1) return [[]];
  const { sequence, segments } = executionSegments(instances);
  return segments.map((segment) => ['--execution-segment', segment, '--execution-segment-sequence', sequence]);
}

export interface K6SegmentedResult extends K6Result {
  /** Each process's own result, in segment order. */
  instances: K6Result[];
}

/** From best to worst: the merged run is as bad as its worst process. */
const OUTCOME_RANK: Record<K6Outcome, number> = { passed: 0, 'thresholds-failed': 1, killed: 2, error: 3 };

/**
 * One result for the processes of a split run: the worst outcome (and its exit code), the points
 * summed, and every process's stderr tail, each line prefixed with its instance.
 */
export function mergeK6Results(results: readonly K6Result[]): K6SegmentedResult {
  if (results.length === 0) throw new RangeError('mergeK6Results: no k6 results to merge');
  if (results.length === 1) return { ...results[0]!, instances: [...results] };
  const worst = results.reduce((w, r) => (OUTCOME_RANK[r.outcome] > OUTCOME_RANK[w.outcome] ? r : w));
  return {
    exitCode: worst.exitCode,
    outcome: worst.outcome,
    points: results.reduce((sum, r) => sum + r.points, 0),
    stderrTail: results.flatMap((r, i) => r.stderrTail.map((line) => `[instance ${i + 1}/${results.length}] ${line}`)),
    instances: [...results],
  };
}

export interface K6SegmentedRunOptions extends K6RunOptions {
  /** How many k6 processes share the load (1: a single process, as runK6). */
  instances: number;
}

/**
 * Runs the script as `instances` k6 processes, one execution segment each, all streaming into the
 * same onPoint. With more than one process every point carries an `instance` tag (1…N) saying
 * which process measured it; a single process's points are unchanged. If a process cannot start,
 * the others are stopped and the error is thrown once they have ended.
 */
export async function runK6Segmented(opts: K6SegmentedRunOptions, run: (o: K6RunOptions) => Promise<K6Result> = runK6): Promise<K6SegmentedResult> {
  const { instances, ...single } = opts;
  const perProcess = segmentArgs(instances);
  if (instances === 1) return mergeK6Results([await run(single)]);
  const stopAll = new AbortController();
  const onAbort = () => stopAll.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) stopAll.abort();
  try {
    const settled = await Promise.allSettled(
      perProcess.map((args, i) => {
        const instance = String(i + 1);
        return run({
          ...single,
          args: [...(single.args ?? []), ...args],
          signal: stopAll.signal,
          onPoint: single.onPoint && ((p) => single.onPoint!({ ...p, tags: { ...p.tags, instance } })),
        }).catch((err: unknown) => {
          stopAll.abort();
          throw err;
        });
      }),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return mergeK6Results(settled.map((s) => (s as PromiseFulfilledResult<K6Result>).value));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
