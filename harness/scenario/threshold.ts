import type { Comparator } from './conditions.ts';

// k6-style thresholds (`p(99)<250`, `rate>=0.99`, `count==0`) are parsed here into a small struct;
// the verdict layer judges them. Parsing lives with the scenario language so a typo fails at load.

export type Aggregation =
  | { kind: 'rate' }
  | { kind: 'count' }
  | { kind: 'value' }
  | { kind: 'percentile'; p: number }
  | { kind: 'avg' }
  | { kind: 'min' }
  | { kind: 'max' }
  | { kind: 'med' };

export interface Threshold {
  source: string;
  agg: Aggregation;
  op: Comparator;
  value: number;
}

export type ThresholdParse = { ok: true; threshold: Threshold } | { ok: false; expected: string };

const EXPECTED = 'expected "<agg> <op> <number>" with agg one of rate, count, value, avg, min, max, med, p(N) and op one of < <= > >= == !=';
const PATTERN = /^\s*(rate|count|value|avg|min|max|med|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/i;

export function parseThreshold(source: string): ThresholdParse {
  const m = PATTERN.exec(source);
  if (!m) return { ok: false, expected: EXPECTED };
  const [, aggText, pText, opText, valueText] = m;
  const value = Number(valueText);
  let agg: Aggregation;
  if (pText !== undefined) {
    const p = Number(pText);
    if (!(p > 0 && p <= 100)) return { ok: false, expected: 'expected a percentile p(N) with 0 < N <= 100' };
    agg = { kind: 'percentile', p };
  } else {
    agg = { kind: aggText!.toLowerCase() as Exclude<Aggregation['kind'], 'percentile'> } as Aggregation;
  }
  return { ok: true, threshold: { source, agg, op: opText as Comparator, value } };
}

/** Which aggregations make sense for each SLO kind. */
export const AGGREGATIONS_FOR: Record<string, Aggregation['kind'][]> = {
  ratio: ['rate'],
  trend: ['percentile', 'avg', 'min', 'max', 'med', 'count'],
  count: ['count'],
  gauge: ['max', 'min', 'avg', 'value'],
  'gauge-trend': ['value'],
  detection: ['value'],
  recovery: ['value'],
  delivery: ['count'],
  webhook: ['count'],
  limit: ['value'],
};

export function compare(observed: number, op: Comparator, limit: number): boolean {
  switch (op) {
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
    case '==':
      return observed === limit;
    case '!=':
      return observed !== limit;
  }
}
