import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentileMs } from './histogram.ts';
import { SeriesStore } from './series-store.ts';
import { trailingStat } from './window-math.ts';

// A trailing percentile slides one histogram over the seconds; it must read what merging each
// window's histograms from scratch reads (the same buckets, so the same value, not a close one).

describe('trailingStat percentiles', () => {
  it('equal a fresh merge of each trailing window, over several series and empty seconds (property)', () => {
    const reading = fc.record({ second: fc.integer({ min: 0, max: 40 }), series: fc.constantFrom('a', 'b', 'c'), ms: fc.double({ min: 0, max: 20_000, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(reading, { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 8 }), fc.constantFrom('p50', 'p90', 'p99' as const), (readings, windowS, stat) => {
        const store = new SeriesStore();
        for (const r of readings) store.record('delivery.latency', { probe: r.series, transport: 'ws' }, r.second, r.ms);
        store.extendTo(45);
        for (const where of [undefined, { probe: 'a' }]) {
          const expected = Array.from({ length: store.durationS }, (_, s) => {
            const h = store.trend('delivery.latency', where, { from: s - windowS + 1, to: s + 1 });
            return h ? percentileMs(h, Number(stat.slice(1))) : null;
          });
          expect(trailingStat(store, 'delivery.latency', where, stat, windowS)).toEqual(expected);
        }
      }),
      { numRuns: 80 },
    );
  });
});
