import { describe, expect, it } from 'vitest';
import type { EventOf, HistoryEvent } from '../history/events.ts';
import { observeSync } from './fold.ts';

const exp = (t: number, key: string, transport: 'ws' | 'xhr_streaming'): HistoryEvent => ({ type: 'webhook.expected', t, key, transport, event: 'member_added', channel: 'presence-a' });
const got = (t: number, key: string, signatureValid = true): HistoryEvent => ({ type: 'webhook.received', t, key, event: 'member_added', channel: 'presence-a', signatureValid });
const end = (t: number): HistoryEvent => ({ type: 'run.phase', t, phase: 'done' });

describe('webhook completeness per transport', () => {
  it('WebSocket webhooks arrive, fallback ones never do (the 2022-08 incident)', () => {
    const o = observeSync([exp(0, 'w1', 'ws'), got(300, 'w1'), exp(100, 'x1', 'xhr_streaming'), exp(1100, 'x2', 'xhr_streaming'), end(20_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.transports).toEqual([
      { transport: 'ws', expected: 1, received: 1, late: 0, missing: 0, invalidSignature: 0, pending: 0, duplicated: 0, stray: 0, byEvent: { member_added: { expected: 1, received: 1, missing: 0 } } },
      { transport: 'xhr_streaming', expected: 2, received: 0, late: 0, missing: 2, invalidSignature: 0, pending: 0, duplicated: 0, stray: 0, byEvent: { member_added: { expected: 2, received: 0, missing: 2 } } },
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

describe('webhooks once, and none unexplained', () => {
  const owed = (t: number, key: string, extra: Partial<EventOf<'webhook.expected'>> = {}): HistoryEvent => ({ type: 'webhook.expected', t, key, transport: 'xhr_streaming', event: 'channel_occupied', channel: 'private-wh-p-1', probe: 'p', ...extra });
  const arrive = (t: number, key: string, extra: Partial<EventOf<'webhook.received'>> = {}): HistoryEvent => ({ type: 'webhook.received', t, key, event: 'channel_occupied', channel: 'private-wh-p-1', signatureValid: true, ...extra });

  it('a webhook that comes again after a 2xx is duplicated; a retry after a 5xx answer is not', () => {
    const o = observeSync([owed(0, 'a'), arrive(100, 'a', { status: 200 }), arrive(2100, 'a', { status: 200 }), owed(0, 'b'), arrive(100, 'b', { status: 503 }), arrive(1100, 'b', { status: 200 }), end(20_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.transports[0]).toMatchObject({ expected: 2, received: 2, missing: 0, duplicated: 1, stray: 0 });
    expect(o.metrics.counter('webhooks.duplicated', { probe: 'p', transport: 'xhr_streaming' })[2]).toBe(1);
    expect(o.metrics.counterTotal('webhooks.duplicated')).toBe(1);
  });

  it('an arrival recorded before this field existed (no status) was answered 200: its repeat is duplicated', () => {
    const o = observeSync([arrive(50, 'a'), owed(60, 'a'), arrive(900, 'a'), end(20_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.transports[0]).toMatchObject({ received: 1, duplicated: 1 });
  });

  it('a webhook on a probe channel that no activity explains is stray, counted for that probe and its transport', () => {
    const o = observeSync([owed(0, 'a'), arrive(10, 'a'), arrive(1500, 'member_added:private-wh-p-9', { event: 'member_added', channel: 'private-wh-p-9' }), arrive(1600, 'x:other', { event: 'channel_occupied', channel: 'load-0' }), end(20_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.transports[0]).toMatchObject({ received: 1, stray: 1 });
    expect(o.webhooks.unexpected).toBe(2);
    expect(o.metrics.counter('webhooks.stray', { probe: 'p', transport: 'xhr_streaming', event: 'member_added' })[1]).toBe(1);
    // The one on a channel no probe owns is counted without a probe: no probe's SLO is charged with it.
    expect(o.metrics.counterTotal('webhooks.stray', { probe: 'p' })).toBe(1);
    expect(o.metrics.counterTotal('webhooks.stray')).toBe(2);
  });

  it('in a history from before probes named their webhooks, strays are counted for no probe', () => {
    const legacy: HistoryEvent = { type: 'webhook.expected', t: 0, key: 'a', transport: 'ws', event: 'channel_occupied', channel: 'private-wh-p-1' };
    const o = observeSync([legacy, arrive(10, 'a'), arrive(200, 'channel_vacated:private-wh-p-1', { event: 'channel_vacated' }), end(20_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.unexpected).toBe(1);
    expect(o.metrics.counterTotal('webhooks.stray')).toBe(1);
    expect(o.metrics.counterTotal('webhooks.stray', { probe: 'p' })).toBe(0);
  });

  it('a webhook the activity may have caused (owed: false) is explained when it comes and not missing when it does not', () => {
    const o = observeSync([owed(0, 'a'), arrive(10, 'a'), owed(0, 'vacated', { owed: false }), arrive(200, 'vacated'), owed(0, 'removed', { owed: false }), end(20_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.transports[0]).toMatchObject({ expected: 1, received: 1, missing: 0, stray: 0, duplicated: 0 });
    expect(o.webhooks.unexpected).toBe(0);
    expect(o.metrics.counterTotal('webhooks.expected')).toBe(1);
  });

  it('a later "may have caused" does not turn an owed webhook into an optional one', () => {
    const o = observeSync([owed(0, 'a'), owed(100, 'a', { owed: false }), end(20_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.transports[0]).toMatchObject({ expected: 1, missing: 1 });
  });

  it('a repeat of an explained-but-not-owed webhook is still duplicated', () => {
    const o = observeSync([owed(0, 'v', { owed: false }), arrive(100, 'v'), arrive(300, 'v'), end(20_000)], { webhookDeadlineMs: 5000 });
    expect(o.webhooks.transports[0]).toMatchObject({ expected: 0, duplicated: 1, stray: 0 });
  });
});
