import { describe, expect, it } from 'vitest';
import { readPodMetrics, SUT_METRIC_NAMES } from './pod-metrics.ts';
import { freshLiveHeapMb } from './pod-sampler.ts';

const metrics = (bytes: number, samples: number) =>
  [
    '# HELP sut_heap_live_bytes V8 heap in use right after a forced full garbage collection',
    '# TYPE sut_heap_live_bytes gauge',
    `sut_heap_live_bytes{pod="p",version="v1"} ${bytes}`,
    '# TYPE sut_heap_live_samples_total counter',
    `sut_heap_live_samples_total{pod="p",version="v1"} ${samples}`,
  ].join('\n');

const read = (bytes: number, samples: number) => readPodMetrics(metrics(bytes, samples), SUT_METRIC_NAMES).liveHeap!;

describe('live heap in pod samples', () => {
  it('is read only when the pod took a new sample since the last read: an old value is never repeated', () => {
    const seen = new Map<string, number>();
    expect(freshLiveHeapMb('c1', read(20 * 1024 * 1024, 1), seen)).toBe(20);
    expect(freshLiveHeapMb('c1', read(20 * 1024 * 1024, 1), seen)).toBeUndefined();
    expect(freshLiveHeapMb('c1', read(21 * 1024 * 1024, 3), seen)).toBe(21);
    // Another container keeps its own count.
    expect(freshLiveHeapMb('c2', read(5 * 1024 * 1024, 3), seen)).toBe(5);
    // A restarted pod starts counting again: a different count is a new sample.
    expect(freshLiveHeapMb('c1', read(18 * 1024 * 1024, 1), seen)).toBe(18);
  });

  it('is absent when the pod does not sample (setting off: no samples yet) or does not export it', () => {
    const seen = new Map<string, number>();
    expect(freshLiveHeapMb('c1', read(0, 0), seen)).toBeUndefined();
    expect(readPodMetrics('sut_connections{transport="ws"} 3\n', SUT_METRIC_NAMES).liveHeap).toBeUndefined();
  });
});
