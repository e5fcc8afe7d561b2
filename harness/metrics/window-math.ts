import type { Labels } from '../scenario/conditions.ts';
import { metricKind } from '../scenario/metric-names.ts';
import { newMergeHistogram, percentileMs } from './histogram.ts';
import type { SeriesStore } from './series-store.ts';

// Trailing-window statistics for alert rules, evaluated second by second over the metrics view.

export type WindowStat = 'sum' | 'max' | 'min' | 'last' | 'p50' | 'p90' | 'p95' | 'p99';

/** Per second s, numerator/denominator summed over [s-windowS+1, s]; null where the denominator is 0. */
export function trailingRatio(store: SeriesStore, num: { metric: string; where?: Labels | undefined }, den: { metric: string; where?: Labels | undefined }, windowS: number): (number | null)[] {
  const n = store.counter(num.metric, num.where);
  const d = store.counter(den.metric, den.where);
  const out: (number | null)[] = [];
  let sn = 0;
  let sd = 0;
  for (let s = 0; s < store.durationS; s++) {
    sn += n[s] ?? 0;
    sd += d[s] ?? 0;
    if (s - windowS >= 0) {
      sn -= n[s - windowS] ?? 0;
      sd -= d[s - windowS] ?? 0;
    }
    out.push(sd > 0 ? sn / sd : null);
  }
  return out;
}

/** Per second, a statistic of one metric over the trailing window; null where there is no data. */
export function trailingStat(store: SeriesStore, metric: string, where: Labels | undefined, stat: WindowStat, windowS: number): (number | null)[] {
  const out: (number | null)[] = [];
  if (stat.startsWith('p')) {
    const p = Number(stat.slice(1));
    // One running histogram slides over the seconds (add the second entering, subtract the one
    // leaving): each second's histograms are read twice, not once per window they fall in.
    const seconds = store.trendPerSecond(metric, where);
    const running = newMergeHistogram();
    for (let s = 0; s < store.durationS; s++) {
      const entering = seconds[s];
      const leaving = s - windowS >= 0 ? seconds[s - windowS] : undefined;
      if (entering) running.add(entering);
      if (leaving) running.subtract(leaving);
      out.push(running.totalCount > 0 ? percentileMs(running, p) : null);
    }
    return out;
  }
  const values: (number | null)[] = metricKind(metric) === 'gauge' ? store.gauge(metric, where) : store.counter(metric, where);
  for (let s = 0; s < store.durationS; s++) {
    const win = values.slice(Math.max(0, s - windowS + 1), s + 1).filter((v): v is number => v !== null);
    if (win.length === 0) {
      out.push(null);
      continue;
    }
    if (stat === 'sum') out.push(win.reduce((a, b) => a + b, 0));
    else if (stat === 'max') out.push(Math.max(...win));
    else if (stat === 'min') out.push(Math.min(...win));
    else out.push(win[win.length - 1]!);
  }
  return out;
}
