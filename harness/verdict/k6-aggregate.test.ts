import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { buildVariantReport } from '../report/report-data.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { Slo } from '../scenario/schema.ts';
import { withK6Aggregated } from './fixtures/aggregate-k6.ts';
import { linesOf, recorded } from './fixtures/recorded.ts';
import { judgeVariant } from './judge.ts';

// The same recorded k6 stream judged both ways: as recorded (a k6.point per sample: keepalive-desync,
// remediated, rest-publish.ts at 20/s for 36 s) and as the runtime writes it now (one k6.aggregate per
// second). Counts are sums of the same integers; trends land in the same HDR buckets (the aggregate
// carries the histogram in the fold's own layout), so percentiles, mean, min and max are not merely
// within HDR's 3 significant digits of each other but equal.

const base = { title: 't', why: 'w' };
/** SLOs over every k6 reading the judge has: counts, ratios, each trend statistic, windows, labels. */
const K6_SLOS: Slo[] = [
  { ...base, id: 'reqs', kind: 'count', metric: 'k6.http_reqs', threshold: 'count>0' },
  { ...base, id: 'reqs-window', kind: 'count', metric: 'k6.http_reqs', threshold: 'count>0', window: { from: 10, to: 20 } },
  { ...base, id: 'points', kind: 'count', metric: 'k6.points', threshold: 'count>0' },
  { ...base, id: 'results', kind: 'count', metric: 'k6.pusher_publish_results', threshold: 'count>0' },
  { ...base, id: 'failed', kind: 'ratio', numerator: { metric: 'k6.http_req_failed' }, denominator: { metric: 'k6.http_reqs' }, threshold: 'rate<0.01' },
  { ...base, id: 'p50', kind: 'trend', metric: 'k6.http_req_duration', threshold: 'p(50)<1000' },
  { ...base, id: 'p95', kind: 'trend', metric: 'k6.http_req_duration', threshold: 'p(95)<1000' },
  { ...base, id: 'p99-window', kind: 'trend', metric: 'k6.http_req_duration', threshold: 'p(99)<1000', window: { from: 5, to: 25 } },
  { ...base, id: 'avg', kind: 'trend', metric: 'k6.http_req_duration', threshold: 'avg<1000' },
  { ...base, id: 'min', kind: 'trend', metric: 'k6.http_req_duration', threshold: 'min<1000' },
  { ...base, id: 'max', kind: 'trend', metric: 'k6.http_req_duration', threshold: 'max<1000' },
  { ...base, id: 'med', kind: 'trend', metric: 'k6.http_req_duration', threshold: 'med<1000' },
];

async function bothWays(): Promise<{ plan: ResolvedScenario; points: HistoryEvent[]; aggregated: HistoryEvent[] }> {
  const { plan, text } = await recorded('keepalive-desync-remediated');
  const points = linesOf(text).map((l) => JSON.parse(l) as HistoryEvent);
  return { plan: { ...plan, slos: [...plan.slos, ...K6_SLOS] }, points, aggregated: withK6Aggregated(points) };
}

const count = (events: readonly HistoryEvent[], type: HistoryEvent['type']) => events.filter((e) => e.type === type).length;

describe('k6 samples aggregated per second judge as the samples did', async () => {
  const { plan, points, aggregated } = await bothWays();
  const [perPoint, perSecond] = await Promise.all([judgeVariant(plan, points), judgeVariant(plan, aggregated)]);

  it('the recorded stream is all k6.point; its aggregate has none, one event per second instead', () => {
    expect(count(points, 'k6.point')).toBe(2427);
    expect(count(points, 'k6.aggregate')).toBe(0);
    expect(count(aggregated, 'k6.point')).toBe(0);
    // rest-publish.ts ran 36 s (and one second of stragglers): one aggregate per second it was heard.
    expect(count(aggregated, 'k6.aggregate')).toBeGreaterThanOrEqual(36);
    expect(count(aggregated, 'k6.aggregate')).toBeLessThanOrEqual(38);
    // Nothing else was touched, and the aggregates come before run.ended.
    expect(aggregated.length - count(aggregated, 'k6.aggregate')).toBe(points.length - 2427);
    expect(aggregated.findLastIndex((e) => e.type === 'k6.aggregate')).toBeLessThan(aggregated.findIndex((e) => e.type === 'run.ended'));
  });

  it('the same verdict and, SLO by SLO, the same value, status and detail', () => {
    expect(perPoint.verdict).toMatchObject({ status: 'held', met: true });
    expect(perSecond.verdict).toEqual(perPoint.verdict);
    expect(perPoint.slos).toHaveLength(plan.slos.length);
    expect(perPoint.slos.filter((s) => s.id in Object.fromEntries(K6_SLOS.map((k) => [k.id, 1])) && s.value === null)).toEqual([]);
    expect(perSecond.slos).toEqual(perPoint.slos);
    // The counts themselves, exactly.
    const value = (id: string) => perSecond.slos.find((s) => s.id === id)!.value;
    expect(value('points')).toBe(2427);
    expect(value('reqs')).toBe(710);
  });

  it('the k6 stream is heard over the same span (coverage: an early end is judged alike)', () => {
    expect(perSecond.observation.sources).toEqual(perPoint.observation.sources);
    expect(perSecond.observation.endMs).toBe(perPoint.observation.endMs);
    expect(perSecond.observation.replayS).toBe(perPoint.observation.replayS);
  });

  it('every k6 series, second by second, and the report built from them are the same', () => {
    const a = perPoint.observation.metrics;
    const b = perSecond.observation.metrics;
    expect(b.durationS).toBe(a.durationS);
    for (const metric of ['k6.points', 'k6.http_reqs', 'k6.http_req_failed', 'k6.pusher_publish_results', 'k6.vus', 'k6.dropped_iterations']) {
      expect(b.counter(metric), metric).toEqual(a.counter(metric));
    }
    // Float sums of the trend's own values may round differently in another order; nothing else may.
    b.counter('k6.http_req_duration').forEach((v, i) => expect(v).toBeCloseTo(a.counter('k6.http_req_duration')[i]!, 6));
    for (let s = 0; s < a.durationS; s++) {
      const ha = a.trend('k6.http_req_duration', undefined, { from: s, to: s + 1 });
      const hb = b.trend('k6.http_req_duration', undefined, { from: s, to: s + 1 });
      expect(hb?.totalCount, `second ${s}`).toBe(ha?.totalCount);
      if (!ha || !hb) continue;
      expect([hb.mean, hb.minNonZeroValue, hb.maxValue, ...[50, 90, 99, 100].map((p) => hb.getValueAtPercentile(p))]).toEqual([
        ha.mean,
        ha.minNonZeroValue,
        ha.maxValue,
        ...[50, 90, 99, 100].map((p) => ha.getValueAtPercentile(p)),
      ]);
    }
    const { events: _a, ...reportA } = buildVariantReport(perPoint);
    const { events: _b, ...reportB } = buildVariantReport(perSecond);
    expect(reportB).toEqual(reportA);
  });
});
