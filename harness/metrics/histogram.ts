import * as hdr from 'hdr-histogram-js';

// Latencies go into HDR histograms (packed buckets: a sparse per-second histogram costs a few KB).
// Values are recorded in microseconds so sub-millisecond latencies keep their resolution.

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build({ bitBucketSize: 'packed', numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, autoResize: true });
}

export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1000)));
}

export function percentileMs(h: Histogram, p: number): number {
  return h.getValueAtPercentile(p) / 1000;
}

export function statMs(h: Histogram, stat: 'avg' | 'min' | 'max' | 'med'): number {
  switch (stat) {
    case 'avg':
      return h.mean / 1000;
    case 'min':
      return h.minNonZeroValue / 1000;
    case 'max':
      return h.maxValue / 1000;
    case 'med':
      return h.getValueAtPercentile(50) / 1000;
  }
}
