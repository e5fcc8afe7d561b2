import { describe, expect, it } from 'vitest';
import { beyond, decisiveSlos, slosAlongAxis } from './slos-along-axis.ts';
import { point, run, slo } from './testing.ts';

describe('SLO values along the axis', () => {
  it('gives each SLO its median value per point, points in factor order, and its limit', () => {
    const points = [
      point(2, 'unmet', [run(2, 'unmet', [slo('drops', 'fail', 0.3), slo('lat', 'pass', 200, 'p(99)<1500')]), run(2, 'unmet', [slo('drops', 'fail', 0.1), slo('lat', 'pass', 400, 'p(99)<1500')])]),
      point(1, 'met', [run(1, 'met', [slo('drops', 'pass', 0), slo('lat', 'pass', 150, 'p(99)<1500')])]),
      point(1.5, 'met', [run(1.5, 'met', [slo('drops', 'pass', null), slo('lat', 'pass', 180, 'p(99)<1500')])]),
    ];
    const along = slosAlongAxis(points);
    expect(along.map((s) => s.id)).toEqual(['drops', 'lat']);
    expect(along[0]!.limit).toBe(0.01);
    expect(along[0]!.points).toEqual([
      { factor: 1, value: 0, statuses: ['pass'] },
      { factor: 1.5, value: null, statuses: ['pass'] },
      { factor: 2, value: 0.2, statuses: ['fail', 'fail'] },
    ]);
    expect(along[1]!.points.map((p) => p.value)).toEqual([150, 180, 300]);
    expect(along[1]!.limit).toBe(1500);
  });
});

describe('the SLOs that decided the boundary', () => {
  it('for a variant that holds: the SLOs that failed in most red runs at the first factor not met, the largest excess first', () => {
    const points = [
      point(1, 'met', [run(1, 'met', [slo('drops', 'pass', 0), slo('503', 'pass', 0)])]),
      point(2, 'unmet', [
        run(2, 'unmet', [slo('drops', 'fail', 0.05), slo('503', 'fail', 0.3), slo('lat', 'fail', 1600, 'p(99)<1500')]),
        run(2, 'met', [slo('drops', 'pass', 0), slo('503', 'pass', 0), slo('lat', 'pass', 100, 'p(99)<1500')]),
        run(2, 'unmet', [slo('drops', 'fail', 0.07), slo('503', 'fail', 0.5), slo('lat', 'pass', 900, 'p(99)<1500')]),
      ]),
    ];
    const d = decisiveSlos({ points, unmet: 2, metSide: 'low' })!;
    expect(d.factor).toBe(2);
    expect(d.kind).toBe('broke');
    // lat failed in one of the two red runs: not most of them.
    expect(d.slos.map((s) => s.id)).toEqual(['503', 'drops']);
    expect(d.slos[0]).toMatchObject({ value: 0.4, limit: 0.01, failed: 2, judged: 2 });
    expect(d.slos[0]!.beyondBy).toBeCloseTo(0.39);
    expect(d.slos[0]!.relative).toBeCloseTo(39);
  });

  it('for an incident: the breaches it must show that no longer failed at the largest factor where it did not reproduce', () => {
    const points = [
      point(1, 'met', [run(1, 'met', [slo('drops', 'fail', 0.3), slo('detection', 'fail', null, 'value<=10')])]),
      point(0.5, 'unmet', [run(0.5, 'unmet', [slo('drops', 'pass', 0.004), slo('detection', 'fail', null, 'value<=10'), slo('lat', 'pass', 100, 'p(99)<1500')])]),
    ];
    const d = decisiveSlos({ points, unmet: 0.5, metSide: 'high' }, ['drops', 'detection'])!;
    expect(d.kind).toBe('stopped-breaching');
    expect(d.slos.map((s) => s.id)).toEqual(['drops']);
    expect(d.slos[0]!.beyondBy).toBeCloseTo(-0.006);
  });

  it('is null when nothing was not met', () => {
    expect(decisiveSlos({ points: [point(1, 'met', [run(1, 'met', [])])], unmet: null, metSide: 'low' })).toBeNull();
  });

  it('measures the distance on the side a threshold forbids', () => {
    expect(beyond(0.9, '>=', 0.95)).toBeCloseTo(0.05);
    expect(beyond(0.99, '>=', 0.95)).toBeCloseTo(-0.04);
    expect(beyond(1600, '<', 1500)).toBe(100);
    expect(beyond(3, '==', 0)).toBe(3);
  });
});
