import { describe, expect, it } from 'vitest';
import type { MessageRunResult, MessageStep } from './capacity-schema.ts';
import { deliveredAtUtilisation, fitMessageModel, measuredAtUtilisation, predictedMaxDelivered } from './model.ts';

const slo = { connectP99Ms: 1000, publishP99Ms: 250, minDeliveredRatio: 0.95, maxCpuUtilisation: 0.6 };

/**
 * A message run on a known cost: CPU = 0.05 + 1e-5 × delivered/s (100,000 delivered/s per core),
 * fan-out 100, each rate repeated with the utilisation of repeat k shifted by `jitter[k]`.
 */
function run(id: string, cpus: number, use: 'fit' | 'holdout', rates: number[], jitter = [0]): MessageRunResult {
  const steps: MessageStep[] = rates.flatMap((rate, i) =>
    jitter.map((j, k) => {
      const delivered = rate * 100;
      const cpuCores = 0.05 + 1e-5 * delivered + j * cpus;
      return { atS: i * 5 + k, offeredRatePerS: rate, repeat: k, windowS: 3, publishes: rate * 4, publishP99Ms: 20, unexpected: 0, dropped: 0, deliveredPerS: delivered, deliveredRatio: 1, cpuCores, utilisation: cpuCores / cpus, memoryMb: 100 };
    }),
  );
  return { id, memoryMb: 256, cpus, use, subscribers: 200, channels: 2, fanOut: 100, steps, break: { kind: 'cpu-target', atS: steps.at(-1)!.atS, value: rates.at(-1)!, reason: 'past 60%' }, pod: { oomKilled: false, exitCode: null, running: true } };
}

describe('deliveredAtUtilisation', () => {
  it('interpolates between the last point below and the first at or above', () => {
    expect(deliveredAtUtilisation([{ delivered: 1000, utilisation: 0.2 }, { delivered: 2000, utilisation: 0.4 }, { delivered: 3000, utilisation: 0.8 }], 0.6)).toBeCloseTo(2500, 9);
  });

  it('says nothing without a point below or one reaching it', () => {
    expect(deliveredAtUtilisation([{ delivered: 1000, utilisation: 0.7 }], 0.6)).toBeUndefined();
    expect(deliveredAtUtilisation([{ delivered: 1000, utilisation: 0.2 }, { delivered: 2000, utilisation: 0.5 }], 0.6)).toBeUndefined();
  });
});

describe('measuredAtUtilisation', () => {
  it('takes the median of each rate’s repeats, and the spread from each repeat alone', () => {
    // 0.3 CPU: 60% = 0.18 cores = 13,000 delivered/s on the line; repeats ±0.02 utilisation around it.
    const r = run('m', 0.3, 'holdout', [40, 80, 120, 160], [0, -0.02, 0.02]);
    const m = measuredAtUtilisation(r, 0.6)!;
    expect(m.value).toBeCloseTo(13_000, 6);
    expect(m.spread!.n).toBe(3);
    expect(m.spread!.min).toBeLessThan(13_000);
    expect(m.spread!.max).toBeGreaterThan(13_000);
  });
});

describe('fitMessageModel', () => {
  it('predicts a held-out pod size from the fit pods’ CPU cost at the planned utilisation', () => {
    const runs = [run('small', 0.2, 'fit', [20, 40, 60, 80]), run('large', 0.5, 'fit', [50, 100, 150, 200, 250, 300]), run('held', 0.35, 'holdout', [30, 60, 90, 120, 150, 180])];
    const m = fitMessageModel(runs, slo);
    expect(m.basis).toBe('cpu-utilisation');
    expect(m.utilisationAtSlo).toBe(0.6);
    expect(m.messagesPerSPerCore).toBeCloseTo(100_000, 3);
    expect(m.cpuFit.intercept).toBeCloseTo(0.05, 9);
    const held = m.predictions.find((p) => p.run === 'held')!;
    // (0.35 × 0.6 − 0.05) / 1e-5 = 16,000 delivered/s, measured on the same line.
    expect(held.predicted).toBeCloseTo(16_000, 6);
    expect(held.measured).toBeCloseTo(16_000, 6);
    expect(Math.abs(held.error!)).toBeLessThan(1e-9);
    expect(predictedMaxDelivered(m, 1)).toBeCloseTo(55_000, 6);
  });

  it('says why a run measured nothing: past the target at its first rate, or never reaching it', () => {
    const runs = [run('fit', 0.3, 'fit', [40, 80, 120, 160]), run('hot', 0.1, 'holdout', [60, 80]), run('cold', 1, 'holdout', [10, 20])];
    const m = fitMessageModel(runs, slo);
    expect(m.predictions.find((p) => p.run === 'hot')).toMatchObject({ measured: null, error: null, note: 'already past 60% CPU at its first rate: lower startRatePerS' });
    expect(m.predictions.find((p) => p.run === 'cold')).toMatchObject({ measured: null, error: null, note: 'never reached 60% CPU (past 60%)' });
  });

  it('refuses a fit whose smallest pod is idle above the planned utilisation', () => {
    const idle = run('idle', 0.05, 'fit', [1, 2]);
    expect(() => fitMessageModel([idle, run('fit', 0.5, 'fit', [50, 100])], slo)).toThrow(/idle above 60% of its CPU/);
  });
});
