import { describe, expect, it } from 'vitest';
import { FitError, linearFit, percentile, queueFit, utilisationAt } from './fit.ts';

describe('linearFit', () => {
  it('recovers slope and intercept exactly from points on a line', () => {
    const f = linearFit([0, 100, 200, 300].map((x) => ({ x, y: 17 + 0.0683 * x })));
    expect(f.slope).toBeCloseTo(0.0683, 10);
    expect(f.intercept).toBeCloseTo(17, 10);
    expect(f.r2).toBeCloseTo(1, 10);
    expect(f.rmse).toBeCloseTo(0, 10);
  });

  it('reports the error of a noisy fit: RMSE and the largest residual', () => {
    const f = linearFit([
      { x: 0, y: 1 },
      { x: 1, y: 1 },
      { x: 2, y: 3 },
      { x: 3, y: 3 },
    ]);
    // Least squares: y = 0.8 + 0.8x; residuals 0.2, -0.6, 0.6, -0.2.
    expect(f.slope).toBeCloseTo(0.8, 10);
    expect(f.intercept).toBeCloseTo(0.8, 10);
    expect(f.maxAbsResidual).toBeCloseTo(0.6, 10);
    expect(f.rmse).toBeCloseTo(Math.sqrt((0.04 + 0.36 + 0.36 + 0.04) / 4), 10);
    expect(f.r2).toBeCloseTo(0.8, 10);
  });

  it('refuses what cannot be a line', () => {
    expect(() => linearFit([{ x: 1, y: 1 }])).toThrow(FitError);
    expect(() => linearFit([{ x: 1, y: 1 }, { x: 1, y: 2 }])).toThrow(/same x/);
  });
});

describe('percentile', () => {
  it('is the nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 99)).toBeUndefined();
  });
});

describe('queueFit', () => {
  it('recovers l0 from points on l0 / (1 - u) and finds where it crosses a limit', () => {
    const f = queueFit([0.1, 0.3, 0.5, 0.7].map((u) => ({ x: u, y: 20 / (1 - u) })));
    expect(f.l0).toBeCloseTo(20, 10);
    expect(f.rmse).toBeCloseTo(0, 10);
    expect(utilisationAt(f, 100)).toBeCloseTo(0.8, 10);
    expect(utilisationAt(f, 10)).toBe(0);
  });
});
