import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { observeSync } from './fold.ts';

const exp = (t: number, key: string, transport: 'ws' | 'xhr_streaming'): HistoryEvent => ({ type: 'webhook.expected', t, key, transport, event: 'member_added', channel: 'presence-a' });
const got = (t: number, key: string, signatureValid = true): HistoryEvent => ({ type: 'webhook.received', t, key, event: 'member_added', channel: 'presence-a', signatureValid });
const end = (t: number): HistoryEvent => ({ type: 'run.phase', t, phase: 'done' });

describe('webhook completeness per transport', () => {
  it('WebSocket webhooks arrive, fallback ones never do (the 2022-08 incident)', () => {
    const o = observeSync([exp(0, 'w1', 'ws'), got(300, 'w1'), exp(100, 'x1', 'xhr_streaming'), exp(1100, 'x2', 'xhr_streaming'), end(20_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.transports).toEqual([
      { transport: 'ws', expected: 1, received: 1, late: 0, missing: 0, invalidSignature: 0, pending: 0, byEvent: { member_added: { expected: 1, received: 1, missing: 0 } } },
      { transport: 'xhr_streaming', expected: 2, received: 0, late: 0, missing: 2, invalidSignature: 0, pending: 0, byEvent: { member_added: { expected: 2, received: 0, missing: 2 } } },
    ]);
    // Missing is known at the deadline: 100 ms + 5 s -> second 5; 1100 ms + 5 s -> second 6.
    const missing = o.metrics.counter('webhooks.missing', { transport: 'xhr_streaming' });
    expect(missing[5]).toBe(1);
    expect(missing[6]).toBe(1);
    expect(o.metrics.counterTotal('webhooks.missing', { transport: 'ws' })).toBe(0);
  });

  it('a late webhook counts missing and late; a bad signature does not count as received', () => {
    const o = observeSync([exp(0, 'a', 'ws'), got(7000, 'a'), exp(0, 'b', 'ws'), got(100, 'b', false), end(20_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.transports[0]).toMatchObject({ expected: 2, received: 0, late: 1, missing: 2, invalidSignature: 1 });
  });

  it('a webhook that arrives before its expectation is recorded counts as received; one never expected is unexpected', () => {
    const o = observeSync([got(990, 'a'), exp(1010, 'a', 'ws'), got(1070, 'stray'), end(10_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.transports[0]).toMatchObject({ expected: 1, received: 1, missing: 0 });
    expect(o.webhooks.unexpected).toBe(1);
    // Counted in the expectation's second: a window ending at 1 s holds neither.
    expect(o.metrics.counter('webhooks.received')[1]).toBe(1);
  });

  it('an expectation whose deadline is after the end is pending, not missing', () => {
    const o = observeSync([exp(0, 'a', 'ws'), got(50, 'a'), exp(9000, 'b', 'ws'), end(10_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.transports[0]).toMatchObject({ expected: 1, received: 1, missing: 0, pending: 1 });
    expect(o.metrics.counterTotal('webhooks.expected')).toBe(1);
  });
});
