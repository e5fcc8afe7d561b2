import type { PointRun, RunResult, SloPoint } from './point-run.ts';
import type { SearchPoint } from './search.ts';

// Recorded runs for the margin module's unit tests.

export const slo = (id: string, status: SloPoint['status'], value: number | null, threshold = 'rate<=0.01'): SloPoint => ({ id, title: `the ${id} SLO`, threshold, status, value, unit: 'ratio' });

export const run = (factor: number, result: RunResult, slos: SloPoint[], n = 1): PointRun => ({
  factor,
  result,
  status: result === 'met' ? 'held' : result === 'unmet' ? 'broken' : 'inconclusive',
  runDir: `/out/runs/x/x-remediated-clientsx${factor}-n${n}`,
  error: undefined,
  slos,
  wallMs: 75_000,
});

export const point = (factor: number, verdict: SearchPoint['verdict'], runs: PointRun[]): SearchPoint => ({ factor, verdict, runs });
