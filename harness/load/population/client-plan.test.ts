import { describe, expect, it } from 'vitest';
import { planClients } from './client-plan.ts';
import { mixSeed, seededRandom } from './seeded-random.ts';

const base = { count: 50, rampUpMs: 5000, channelsPerClient: 2, channelKind: 'private' as const, channelPool: 5, idPrefix: 'c' };

describe('planClients', () => {
  it('the same seed gives the same schedule; another seed another one', () => {
    expect(planClients({ ...base, seed: 42 })).toEqual(planClients({ ...base, seed: 42 }));
    expect(planClients({ ...base, seed: 43 }).map((p) => p.startAtMs)).not.toEqual(planClients({ ...base, seed: 42 }).map((p) => p.startAtMs));
  });

  it('spreads starts over the ramp in order, one per slot', () => {
    const plan = planClients({ ...base, seed: 1 });
    plan.forEach((p, i) => {
      expect(p.startAtMs).toBeGreaterThanOrEqual((i * 5000) / 50 - 1);
      expect(p.startAtMs).toBeLessThan(((i + 1) * 5000) / 50);
    });
  });

  it('gives each client distinct channels of its kind from the pool', () => {
    for (const p of planClients({ ...base, seed: 9 })) {
      expect(new Set(p.channels).size).toBe(2);
      for (const c of p.channels) expect(c).toMatch(/^private-load-[0-4]$/);
    }
    const all = new Set(planClients({ ...base, seed: 9 }).flatMap((p) => p.channels));
    expect(all.size).toBe(5);
  });

  it('never asks for more channels than the pool has', () => {
    const [p] = planClients({ ...base, seed: 1, count: 1, channelsPerClient: 3, channelPool: 1, channelKind: 'public' });
    expect(p?.channels).toEqual(['load-0']);
  });

  it("a client's channels and random stream do not depend on how many clients there are", () => {
    const few = planClients({ ...base, seed: 5, count: 3 })[1];
    const many = planClients({ ...base, seed: 5, count: 10 })[1];
    expect([few?.channels, few?.seed]).toEqual([many?.channels, many?.seed]);
  });
});

describe('seededRandom', () => {
  it('is uniform-ish in [0, 1) and reproducible', () => {
    const r = seededRandom(mixSeed(1, 'x'));
    const xs = Array.from({ length: 2000 }, r);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    const again = seededRandom(mixSeed(1, 'x'));
    expect(Array.from({ length: 5 }, again)).toEqual(xs.slice(0, 5));
  });
});
