import type { ImageName } from '../platform/images.ts';
import { InterruptedError } from '../platform/creation-gate.ts';
import { runAndReport } from '../run/run-and-report.ts';
import { atFactor } from '../scenario/axes/apply-axis.ts';
import type { Axis } from '../scenario/axes/registry.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { resultOf, type PointRun } from './point-run.ts';

// Runs one point of a margin search: the variant at factor k along the axis, as a normal run with
// its own run directory and reports under `outRoot`. A run that cannot complete is an unknown
// outcome (the search may run the point again), never a red or a green; an interrupt ends the search.

export interface PointRunnerOptions {
  scenario: ResolvedScenario;
  axis: Axis;
  images: Record<ImageName, string>;
  outRoot: string;
  seed: number | undefined;
  log: (line: string) => void;
  now?: () => number;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** `<scenario>-<variant>-<axis>x<factor>-n<run number>-<time>`: unique even for repeats of one point. */
export const pointRunId = (s: ResolvedScenario, axis: Axis, factor: number, n: number, at = new Date()) => `${s.id}-${s.variant}-${axis.name}x${factor}-n${n}-${stamp(at)}`;

export function pointRunner(o: PointRunnerOptions): (factor: number) => Promise<PointRun> {
  const now = o.now ?? Date.now;
  let n = 0;
  return async (factor) => {
    n += 1;
    const started = now();
    const plan = atFactor(o.scenario, o.axis, factor);
    o.log(`◆ ${o.scenario.id}/${o.scenario.variant} at ${o.axis.name} ×${factor} (run ${n})`);
    try {
      const { run, judgement } = await runAndReport(plan, { images: o.images, outRoot: o.outRoot, seed: o.seed, log: o.log, runId: pointRunId(o.scenario, o.axis, factor, n) });
      const v = judgement.verdict;
      o.log(`  ${o.axis.name} ×${factor}: ${v.status} (${resultOf(v)}) ${run.runDir}`);
      return {
        factor,
        result: resultOf(v),
        status: v.status,
        runDir: run.runDir,
        error: undefined,
        slos: judgement.slos.map((s) => ({ id: s.id, title: s.title, threshold: s.threshold, status: s.status, value: s.value, unit: s.unit })),
        wallMs: now() - started,
      };
    } catch (err) {
      if (err instanceof InterruptedError) throw err;
      const message = (err as Error).message.split('\n')[0]!;
      o.log(`  ${o.axis.name} ×${factor}: could not run (${message}): unknown`);
      return { factor, result: 'unknown', status: 'error', runDir: undefined, error: message, slos: [], wallMs: now() - started };
    }
  };
}
