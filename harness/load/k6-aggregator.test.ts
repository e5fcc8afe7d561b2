import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { MemoryHistory } from '../history/memory-history.ts';
import { observeSync } from '../metrics/fold.ts';
import { withK6Aggregated } from '../verdict/fixtures/aggregate-k6.ts';
import { K6Aggregator } from './k6-aggregator.ts';

// Any k6 stream, aggregated per second, folds into the series its samples fold into one by one:
// several tag sets behind one label set (status codes of one deployment), trends and counters,
// seconds with nothing in them, samples bunched as k6 flushes them.

const METRICS = ['pusher_connected', 'pusher_closes', 'ws_connecting', 'ws_session_duration'] as const;
const TAGS: Record<string, string>[] = [{ transport: 'ws' }, { transport: 'ws', status: '101' }, { transport: 'ws', status: '503' }, { deployment: 'new', transport: 'ws' }, {}];

const sample = fc.record({
  gapMs: fc.integer({ min: 0, max: 1500 }),
  metric: fc.constantFrom(...METRICS),
  tags: fc.constantFrom(...TAGS),
  // Counters count whole things; timings are any non-negative milliseconds.
  value: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 60_000, noNaN: true })),
});

function pointsOf(samples: { gapMs: number; metric: string; tags: Record<string, string>; value: number }[]): HistoryEvent[] {
  let t = 0;
  const events: HistoryEvent[] = [{ type: 'run.meta', t: 0, runId: 'r', scenarioId: 's', variant: 'v', seed: 1, startedAt: '2026-01-01T00:00:00Z' }];
  for (const s of samples) events.push({ type: 'k6.point', t: (t += s.gapMs), metric: s.metric, value: s.value, tags: s.tags });
  events.push({ type: 'run.ended', t: t + 500, plannedDurationS: 1 });
  return events;
}

describe('K6Aggregator', () => {
  it('folds into the same series as the samples one by one (property)', () => {
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 300 }), (samples) => {
        const points = pointsOf(samples);
        const a = observeSync(points);
        const b = observeSync(withK6Aggregated(points));
        expect(b.sources).toEqual(a.sources);
        expect(b.endMs).toBe(a.endMs);
        expect(b.metrics.counter('k6.points')).toEqual(a.metrics.counter('k6.points'));
        for (const m of METRICS) {
          for (const where of [undefined, { transport: 'ws' }, { deployment: 'new' }] as (Record<string, string> | undefined)[]) {
            b.metrics.counter(`k6.${m}`, where).forEach((v, i) => expect(v).toBeCloseTo(a.metrics.counter(`k6.${m}`, where)[i]!, 6));
            for (let s = 0; s < a.metrics.durationS; s++) {
              const [ha, hb] = [a, b].map((o) => o.metrics.trend(`k6.${m}`, where, { from: s, to: s + 1 }));
              const read = (h: typeof ha) => h && [h.totalCount, h.mean, h.minNonZeroValue, h.maxValue, h.getValueAtPercentile(50), h.getValueAtPercentile(99)];
              expect(read(hb)).toEqual(read(ha));
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('writes one event per second once it has closed, and the open second on close', () => {
    let clock = 0;
    const history = new MemoryHistory({ clock: () => clock });
    const k6 = new K6Aggregator(history, { checkEveryMs: 3_600_000 });
    clock = 100;
    k6.add({ metric: 'pusher_connected', value: 1, tags: { transport: 'ws' } });
    clock = 900;
    k6.add({ metric: 'pusher_connected', value: 1, tags: { transport: 'ws' } });
    k6.add({ metric: 'ws_connecting', value: 2.5, tags: { transport: 'ws' } });
    k6.writeClosedSecond();
    expect(history.list()).toEqual([]);
    clock = 1200;
    k6.writeClosedSecond();
    expect(history.list()).toHaveLength(1);
    expect(history.list()[0]).toMatchObject({
      type: 'k6.aggregate',
      t: 1200,
      second: 0,
      firstMs: 100,
      lastMs: 900,
      series: [
        { metric: 'pusher_connected', tags: { transport: 'ws' }, count: 2, sum: 2, min: 1, max: 1 },
        { metric: 'ws_connecting', tags: { transport: 'ws' }, count: 1, sum: 2.5, min: 2.5, max: 2.5, hdr: expect.stringMatching(/^HISTF/) },
      ],
    });
    // Counters carry no histogram.
    expect(history.list()[0]).not.toHaveProperty('series.0.hdr');
    clock = 1500;
    k6.add({ metric: 'pusher_connected', value: 1, tags: { transport: 'ws' } });
    k6.close();
    expect(history.list().map((e) => e.type === 'k6.aggregate' && [e.second, e.series[0]!.count])).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(() => k6.add({ metric: 'pusher_connected', value: 1, tags: {} })).toThrow(/after close/);
  });

  it('names the processes heard in each second, with the first and last sample of each', () => {
    let clock = 0;
    const history = new MemoryHistory({ clock: () => clock });
    const k6 = new K6Aggregator(history, { checkEveryMs: 3_600_000 });
    clock = 100;
    k6.add({ metric: 'vus', value: 5, tags: { instance: '1' } }, 'load.k6[0]#1');
    clock = 300;
    k6.add({ metric: 'vus', value: 5, tags: { instance: '2' } }, 'load.k6[0]#2');
    clock = 700;
    k6.add({ metric: 'vus', value: 5, tags: { instance: '1' } }, 'load.k6[0]#1');
    clock = 1100;
    k6.add({ metric: 'vus', value: 5, tags: { instance: '1' } }, 'load.k6[0]#1');
    k6.close();
    const [first, second] = history.list();
    expect(first).toMatchObject({ second: 0, processes: [{ name: 'load.k6[0]#1', firstMs: 100, lastMs: 700 }, { name: 'load.k6[0]#2', firstMs: 300, lastMs: 300 }] });
    expect(second).toMatchObject({ second: 1, processes: [{ name: 'load.k6[0]#1', firstMs: 1100, lastMs: 1100 }] });
  });
});
