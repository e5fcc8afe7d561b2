import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleLiveHeap, startLiveHeapSampler } from './live-heap.ts';
import { Metrics } from './metrics.ts';

const value = async (m: Metrics, name: string) => (await m.registry.getSingleMetric(name)!.get()).values[0]?.value;

describe('live heap', () => {
  afterEach(() => vi.useRealTimers());

  it('is the heap after a full collection: garbage is not counted, what is still held is', () => {
    const m = new Metrics('p', 'v1');
    const before = sampleLiveHeap(m);
    // About 40 MB of small objects: on the heap (Buffers would be outside it).
    let held: number[][] | undefined = Array.from({ length: 200_000 }, (_, i) => [i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6, i + 7, i + 8, i + 9, i + 10, i + 11, i + 12, i + 13, i + 14, i + 15, i + 16, i + 17, i + 18, i + 19]);
    const holding = sampleLiveHeap(m);
    expect(held.length).toBe(200_000);
    held = undefined;
    const after = sampleLiveHeap(m);
    expect(holding - before).toBeGreaterThan(20 * 1024 * 1024);
    // Dropped and collected: back to within a few MB of the start, not left as garbage.
    expect(Math.abs(after - before)).toBeLessThan(5 * 1024 * 1024);
  });

  it('sets the gauge, its time and the sample count, so a reader can tell a fresh value', async () => {
    const m = new Metrics('p', 'v1');
    expect(await value(m, 'sut_heap_live_samples_total')).toBe(0);
    const bytes = sampleLiveHeap(m, () => {});
    expect(await value(m, 'sut_heap_live_bytes')).toBe(bytes);
    expect(await value(m, 'sut_heap_live_samples_total')).toBe(1);
    expect(await value(m, 'sut_heap_live_sampled_at_seconds')).toBeGreaterThan(1.7e9);
  });

  it('samples on its interval until stopped; 0 never samples', async () => {
    vi.useFakeTimers();
    const m = new Metrics('p', 'v1');
    const off = startLiveHeapSampler(0, m);
    const on = startLiveHeapSampler(1000, m);
    vi.advanceTimersByTime(3500);
    expect(await value(m, 'sut_heap_live_samples_total')).toBe(3);
    on.stop();
    off.stop();
    vi.advanceTimersByTime(3000);
    expect(await value(m, 'sut_heap_live_samples_total')).toBe(3);
    expect(await value(m, 'sut_heap_live_bytes')).toBeGreaterThan(0);
  });
});
