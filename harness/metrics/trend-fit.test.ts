import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitTrend } from './trend-fit.ts';

const seconds = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('fitTrend', () => {
  it('recovers the slope of a line', () => {
    const t = seconds(60);
    expect(fitTrend(t, t.map((s) => 100 + 0.25 * s))!.slopePerS).toBeCloseTo(0.25, 10);
  });

  it('holding a covariate: growth explained by connections is not a trend, growth beyond it is', () => {
    const t = seconds(60);
    // Connections wander (clients leaving and coming back); each costs 1 MB.
    const conns = t.map((s) => 150 + ((s * 7919) % 13) - 6);
    const noLeak = t.map((s, i) => 40 + conns[i]!);
    const leak = t.map((s, i) => 40 + conns[i]! + 0.1 * s);
    expect(fitTrend(t, noLeak, conns)!.slopePerS).toBeCloseTo(0, 10);
    expect(fitTrend(t, leak, conns)!.slopePerS).toBeCloseTo(0.1, 10);
    // Without holding it, the wandering count leaks into the slope.
    expect(Math.abs(fitTrend(t, noLeak)!.slopePerS!)).toBeGreaterThan(1e-4);
  });

  it('reports how closely time and the covariate move together', () => {
    const t = seconds(30);
    expect(fitTrend(t, t, t.map((s) => 2 * s + 1))).toMatchObject({ slopePerS: undefined, timeCovariateR: expect.closeTo(1, 10) });
    const r = fitTrend(t, t, t.map((s) => 2 * s + (s % 2)))!.timeCovariateR!;
    expect(r).toBeGreaterThan(0.99);
    expect(r).toBeLessThan(1);
  });

  it('a covariate that never moved is plain time', () => {
    const t = seconds(20);
    const y = t.map((s) => 3 * s);
    expect(fitTrend(t, y, t.map(() => 5))).toMatchObject({ slopePerS: 3, timeCovariateR: undefined });
  });

  it('no fit on fewer than two samples or a single instant', () => {
    expect(fitTrend([1], [1])).toBeUndefined();
    expect(fitTrend([4, 4, 4], [1, 2, 3])).toBeUndefined();
  });

  it('property: adding a constant or a multiple of the covariate does not change the slope', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 5, maxLength: 60 }), fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), (conns, k, c) => {
        const t = seconds(conns.length);
        const y = t.map((s) => 0.5 * s);
        const a = fitTrend(t, y, conns);
        const b = fitTrend(t, y.map((v, i) => v + c + k * conns[i]!), conns);
        if (!a || !b) return a === b;
        if (a.slopePerS === undefined || b.slopePerS === undefined) return a.slopePerS === b.slopePerS;
        return Math.abs(a.slopePerS - b.slopePerS) < 1e-6;
      }),
    );
  });
});
