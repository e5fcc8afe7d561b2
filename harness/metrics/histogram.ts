import * as hdr from 'hdr-histogram-js';

// Latencies go into HDR histograms (packed buckets: a sparse per-second histogram costs a few KB).
// Values are recorded in microseconds so sub-millisecond latencies keep their resolution.

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build({ bitBucketSize: 'packed', numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, autoResize: true });
}

/**
 * The same buckets in a plain array: for the short-lived merges of a query (a window, a trailing
 * alert window). Adding into and reading a packed histogram costs a lookup per bucket; this does not.
 */
export function newMergeHistogram(): Histogram {
  return hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, autoResize: true });
}

/** The value a millisecond reading is recorded as. */
const toUs = (ms: number): number => Math.max(1, Math.round(ms * 1000));

export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(toUs(ms));
}

/** Compressed base64 of a histogram (HdrHistogram's own encoding): a few dozen bytes to a few KB. */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/**
 * Adds an encoded histogram of the same layout (recordMs) to `target`: the same buckets with the same
 * counts as recording each value into it, so percentiles and mean come out identical. The encoding
 * keeps buckets, not values, so the exact smallest and largest readings are passed alongside.
 */
export function addEncoded(target: Histogram, encoded: string, minMs: number, maxMs: number): void {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 'packed', false);
  if (!(decoded instanceof hdr.JsHistogram)) throw new Error('addEncoded: expected a JavaScript histogram');
  decoded.maxValue = toUs(maxMs);
  decoded.minNonZeroValue = toUs(minMs);
  target.add(decoded);
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
