import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { observeSync } from './fold.ts';

const sent = (t: number, seq: number, probe = 'p'): HistoryEvent => ({ type: 'probe.sent', t, probe, transport: 'xhr_streaming', deployment: 'fallback', seq });
const recv = (t: number, seq: number, subscriber?: string, probe = 'p'): HistoryEvent => ({
  type: 'probe.received',
  t,
  probe,
  transport: 'xhr_streaming',
  deployment: 'fallback',
  seq,
  latencyMs: t - seq * 100,
  ...(subscriber ? { subscriber } : {}),
});

describe('delivery checker', () => {
  it('finds lost, duplicated and reordered messages in one stream', () => {
    // seq 0..4 sent; 1 never arrives, 3 arrives before 2, 4 arrives twice
    const h = [sent(0, 0), sent(100, 1), sent(200, 2), sent(300, 3), sent(400, 4), recv(50, 0), recv(350, 3), recv(360, 2), recv(450, 4), recv(460, 4), { type: 'run.phase', t: 10_000, phase: 'done' } as HistoryEvent];
    const o = observeSync(h, { deliveryGraceMs: 1000 });
    expect(o.delivery).toEqual([
      { probe: 'p', subscriber: '-', transport: 'xhr_streaming', deployment: 'fallback', sent: 5, received: 4, lost: 1, duplicated: 1, reordered: 1, pending: 0, lostSeqs: [1] },
    ]);
    expect(o.metrics.counterTotal('delivery.lost')).toBe(1);
    expect(o.metrics.counterTotal('delivery.duplicated', { transport: 'xhr_streaming' })).toBe(1);
    expect(o.metrics.counterTotal('messages.received')).toBe(4);
    expect(o.metrics.counterTotal('messages.sent')).toBe(5);
  });

  it('treats messages sent within the grace period before the end as pending, not lost', () => {
    const o = observeSync([sent(0, 0), recv(10, 0), sent(9_500, 1), { type: 'run.phase', t: 10_000, phase: 'done' }], { deliveryGraceMs: 1000 });
    expect(o.delivery[0]).toMatchObject({ sent: 1, lost: 0, pending: 1 });
    expect(o.metrics.counterTotal('messages.sent')).toBe(1);
  });

  it('counts loss per subscriber stream', () => {
    const o = observeSync([sent(0, 0), sent(100, 1), recv(10, 0, 'a'), recv(110, 1, 'a'), recv(20, 0, 'b'), { type: 'run.phase', t: 10_000, phase: 'done' }], { deliveryGraceMs: 1000 });
    expect(o.delivery.map((d) => [d.subscriber, d.lost])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
  });

  it('counts everything lost when nothing was ever received', () => {
    const o = observeSync([sent(0, 0), sent(100, 1), { type: 'run.phase', t: 10_000, phase: 'done' }], { deliveryGraceMs: 1000 });
    expect(o.delivery[0]).toMatchObject({ sent: 2, received: 0, lost: 2, lostSeqs: [0, 1] });
  });

  it('records delivery latency per transport for percentiles', () => {
    const h: HistoryEvent[] = [];
    for (let i = 0; i < 100; i++) {
      h.push({ type: 'probe.sent', t: i * 10, probe: 'p', transport: 'ws', seq: i });
      h.push({ type: 'probe.received', t: i * 10 + i + 1, probe: 'p', transport: 'ws', seq: i, latencyMs: i + 1 });
    }
    const o = observeSync(h);
    const hist = o.metrics.trend('delivery.latency', { transport: 'ws' })!;
    expect(hist.totalCount).toBe(100);
    expect(Math.round(hist.getValueAtPercentile(99) / 1000)).toBe(99);
    expect(o.metrics.trend('delivery.latency', { transport: 'sockjs' })).toBeUndefined();
  });
});
