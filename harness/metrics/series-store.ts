import type { Labels } from '../scenario/conditions.ts';
import { addEncoded, newHistogram, newMergeHistogram, recordMs, type Histogram } from './histogram.ts';

// Per-second series keyed by metric + labels (Prometheus-style). Second s covers [s, s+1) of replay
// time. Queries sum every series whose labels match a filter, which is what gives the merged view
// across deployments for free: leave `deployment` out of the filter.

export interface Window {
  from: number;
  to: number;
}

interface Series<V> {
  metric: string;
  labels: Labels;
  values: V[];
}

function keyOf(metric: string, labels: Labels): string {
  return `${metric}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',')}}`;
}

export function matchesLabels(labels: Labels, where: Labels | undefined): boolean {
  if (!where) return true;
  for (const [k, v] of Object.entries(where)) if (labels[k] !== v) return false;
  return true;
}

/** Seconds [first, last] covered by a window, clamped to the run. */
export function windowRange(durationS: number, window?: Window): [number, number] {
  if (!window) return [0, durationS - 1];
  return [Math.max(0, Math.floor(window.from)), Math.min(durationS - 1, Math.ceil(window.to) - 1)];
}

/** A gauge sample older than this is not carried forward: the pod stopped reporting. */
const GAUGE_STALE_S = 3;

export class SeriesStore {
  private readonly counters = new Map<string, Series<number>>();
  private readonly gauges = new Map<string, Series<number | undefined>>();
  private readonly trends = new Map<string, Series<Histogram | undefined>>();
  private maxSecond = -1;

  get durationS(): number {
    return this.maxSecond + 1;
  }

  /** Extend the run to at least this many seconds (the run's end, even if the last seconds were quiet). */
  extendTo(durationS: number): void {
    this.maxSecond = Math.max(this.maxSecond, Math.ceil(durationS) - 1);
  }

  add(metric: string, labels: Labels, second: number, inc = 1): void {
    const s = this.series(this.counters, metric, labels, second);
    s.values[second] = (s.values[second] ?? 0) + inc;
  }

  set(metric: string, labels: Labels, second: number, value: number): void {
    const s = this.series(this.gauges, metric, labels, second);
    s.values[second] = value;
  }

  record(metric: string, labels: Labels, second: number, ms: number): void {
    const s = this.series(this.trends, metric, labels, second);
    let h = s.values[second];
    if (!h) s.values[second] = h = newHistogram();
    recordMs(h, ms);
  }

  /** Adds a second's worth of values recorded elsewhere (histogram.ts encoding), as if each had been recorded here. */
  recordEncoded(metric: string, labels: Labels, second: number, encoded: { hdr: string; min: number; max: number }): void {
    const s = this.series(this.trends, metric, labels, second);
    let h = s.values[second];
    if (!h) s.values[second] = h = newHistogram();
    addEncoded(h, encoded.hdr, encoded.min, encoded.max);
  }

  /** Per-second sum of every matching counter series. */
  counter(metric: string, where?: Labels): number[] {
    const out = new Array<number>(this.durationS).fill(0);
    for (const s of this.matching(this.counters, metric, where)) s.values.forEach((v, i) => (out[i]! += v ?? 0));
    return out;
  }

  counterTotal(metric: string, where?: Labels, window?: Window): number {
    const [a, b] = windowRange(this.durationS, window);
    const series = this.counter(metric, where);
    let sum = 0;
    for (let i = a; i <= b; i++) sum += series[i] ?? 0;
    return sum;
  }

  /**
   * Per-second sum of matching gauges; a series' last sample is carried over short gaps, never past
   * the series' last sample (after it nobody looked: a truncated history or a stopped sampler has no
   * value there). `null` = no data.
   */
  gauge(metric: string, where?: Labels): (number | null)[] {
    const out = new Array<number | null>(this.durationS).fill(null);
    for (const s of this.matching(this.gauges, metric, where)) {
      let last: number | undefined;
      let lastAt = -Infinity;
      const end = Math.min(this.durationS, s.values.length);
      for (let i = 0; i < end; i++) {
        const v = s.values[i];
        if (v !== undefined) {
          last = v;
          lastAt = i;
        }
        if (last !== undefined && i - lastAt <= GAUGE_STALE_S) out[i] = (out[i] ?? 0) + last;
      }
    }
    return out;
  }

  /** Each matching gauge series as sampled: a value only in the seconds a sample landed, none carried. */
  gaugeSamples(metric: string, where?: Labels): { labels: Labels; values: readonly (number | undefined)[] }[] {
    return [...this.matching(this.gauges, metric, where)].map((s) => ({ labels: s.labels, values: s.values }));
  }

  /** One merged histogram over the matching series and window; undefined when nothing was recorded. */
  trend(metric: string, where?: Labels, window?: Window): Histogram | undefined {
    const [a, b] = windowRange(this.durationS, window);
    let merged: Histogram | undefined;
    for (const s of this.matching(this.trends, metric, where)) {
      for (let i = a; i <= b; i++) {
        const h = s.values[i];
        if (!h) continue;
        merged ??= newMergeHistogram();
        merged.add(h);
      }
    }
    return merged;
  }

  /** Per second, one merged histogram over the matching series (undefined: nothing recorded that second). */
  trendPerSecond(metric: string, where?: Labels): (Histogram | undefined)[] {
    const out = new Array<Histogram | undefined>(this.durationS).fill(undefined);
    for (const s of this.matching(this.trends, metric, where)) {
      s.values.forEach((h, i) => {
        if (!h || i >= out.length) return;
        (out[i] ??= newMergeHistogram()).add(h);
      });
    }
    return out;
  }

  /** Distinct values of a label among a metric's series, e.g. every deployment that had connections. */
  labelValues(metric: string, label: string): string[] {
    const out = new Set<string>();
    for (const map of [this.counters, this.gauges, this.trends] as Map<string, Series<unknown>>[]) {
      for (const s of map.values()) if (s.metric === metric && s.labels[label] !== undefined) out.add(s.labels[label]!);
    }
    return [...out].sort();
  }

  private series<V>(map: Map<string, Series<V>>, metric: string, labels: Labels, second: number): Series<V> {
    if (second > this.maxSecond) this.maxSecond = second;
    const key = keyOf(metric, labels);
    let s = map.get(key);
    if (!s) map.set(key, (s = { metric, labels: { ...labels }, values: [] }));
    return s;
  }

  private *matching<V>(map: Map<string, Series<V>>, metric: string, where?: Labels): Iterable<Series<V>> {
    for (const s of map.values()) if (s.metric === metric && matchesLabels(s.labels, where)) yield s;
  }
}
