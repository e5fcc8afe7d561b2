import { describe, expect, it } from 'vitest';
import { compare, parseThreshold } from './threshold.ts';

describe('parseThreshold', () => {
  it.each([
    ['p(99)<250', { kind: 'percentile', p: 99 }, '<', 250],
    ['p(99.9) <= 1000', { kind: 'percentile', p: 99.9 }, '<=', 1000],
    ['rate>=0.99', { kind: 'rate' }, '>=', 0.99],
    ['count==0', { kind: 'count' }, '==', 0],
    [' value <= 20 ', { kind: 'value' }, '<=', 20],
    ['max<1e3', { kind: 'max' }, '<', 1000],
  ])('%s', (source, agg, op, value) => {
    const r = parseThreshold(source);
    expect(r).toEqual({ ok: true, threshold: { source, agg, op, value } });
  });

  it.each(['p99<250', 'rate>=', 'rate => 0.9', 'count=0', 'p(0)<1', 'p(101)<1', 'latency<5'])('rejects %s', (source) => {
    expect(parseThreshold(source).ok).toBe(false);
  });
});

describe('compare', () => {
  it('applies each operator strictly', () => {
    expect(compare(0.99, '>=', 0.99)).toBe(true);
    expect(compare(0.989, '>=', 0.99)).toBe(false);
    expect(compare(250, '<', 250)).toBe(false);
    expect(compare(0, '==', 0)).toBe(true);
    expect(compare(1, '!=', 0)).toBe(true);
    expect(compare(5, '>', 5)).toBe(false);
    expect(compare(5, '<=', 5)).toBe(true);
  });
});
