import { describe, expect, it } from 'vitest';
import { planChurn } from './churn-plan.ts';

describe('planChurn', () => {
  const base = { seed: 7, count: 200, sharePerS: 0.1, fromMs: 10_000, toMs: 40_000 };

  it('departs share × count clients each second, inside the window, distinct within a second', () => {
    const plan = planChurn(base);
    expect(plan).toHaveLength(20 * 30);
    for (let s = 10; s < 40; s++) {
      const inSecond = plan.filter((d) => Math.floor(d.atMs / 1000) === s);
      expect(inSecond).toHaveLength(20);
      expect(new Set(inSecond.map((d) => d.client)).size).toBe(20);
    }
    expect(plan.every((d) => d.client >= 0 && d.client < 200)).toBe(true);
    expect(plan.map((d) => d.atMs)).toEqual([...plan.map((d) => d.atMs)].sort((a, b) => a - b));
  });

  it('carries fractions: 5% of 30 clients is 3 every 2 s', () => {
    const plan = planChurn({ ...base, count: 30, sharePerS: 0.05, fromMs: 0, toMs: 10_000 });
    expect(plan).toHaveLength(15);
  });

  it('is a function of the seed', () => {
    expect(planChurn(base)).toEqual(planChurn(base));
    expect(planChurn({ ...base, seed: 8 })).not.toEqual(planChurn(base));
  });

  it('spreads departures over the clients', () => {
    const plan = planChurn(base);
    const per = new Map<number, number>();
    for (const d of plan) per.set(d.client, (per.get(d.client) ?? 0) + 1);
    // 600 departures over 200 clients: each about 3 times; none picked most of the time.
    expect(per.size).toBeGreaterThan(180);
    expect(Math.max(...per.values())).toBeLessThan(12);
  });

  it('plans nothing for an empty window or population', () => {
    expect(planChurn({ ...base, toMs: base.fromMs })).toEqual([]);
    expect(planChurn({ ...base, count: 0 })).toEqual([]);
  });
});
