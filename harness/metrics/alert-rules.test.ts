import { describe, expect, it } from 'vitest';
import { observeSync } from './fold.ts';
import type { Alert } from '../scenario/schema.ts';
import { evaluateAlert, firingIntervals } from './alert-rules.ts';
import { byTime, connects, podSamples } from '../verdict/fixtures/histories.ts';

const ratioAlert = (forS: number, where?: Record<string, string>): Alert => ({
  id: 'connect-failures',
  title: 'connect failures > 1%',
  forS,
  rule: { kind: 'ratio', numerator: { metric: 'connect.failures', where }, denominator: { metric: 'connect.attempts', where }, op: '>', value: 0.01, windowS: 1 },
});

describe('firingIntervals', () => {
  it('fires once the condition has held for forS seconds, judged at the end of each second', () => {
    const cond = [false, true, true, true, false, true];
    expect(firingIntervals(cond, 3)).toEqual([{ firedAtS: 4, resolvedAtS: 5 }]);
    expect(firingIntervals(cond, 0)).toEqual([
      { firedAtS: 2, resolvedAtS: 5 },
      { firedAtS: 6, resolvedAtS: null },
    ]);
    expect(firingIntervals(cond, 4)).toEqual([]);
  });
});

describe('alert rules', () => {
  it('connect-failure ratio over 1% for 15 s fires 15 s after failures start', () => {
    const h = connects({ seconds: 60, perS: 100, deployment: 'new', fail: (s) => (s >= 20 ? 5 : 0) });
    const firings = evaluateAlert(ratioAlert(15), observeSync(h).metrics);
    expect(firings).toEqual([{ alert: 'connect-failures', title: 'connect failures > 1%', firedAtS: 35, resolvedAtS: null, subject: undefined }]);
  });

  it('stays silent when failures never last forS seconds (the flapping synthetic tests)', () => {
    const h = connects({ seconds: 60, perS: 100, deployment: 'new', fail: (s) => (s % 10 < 5 ? 5 : 0) });
    expect(evaluateAlert(ratioAlert(15), observeSync(h).metrics)).toEqual([]);
    expect(evaluateAlert(ratioAlert(5), observeSync(h).metrics).length).toBe(6);
  });

  it('an alert scoped to one deployment misses failures elsewhere; the merged view sees them', () => {
    // From second 5, 40% of attempts are refused before reaching a pod (counted at the edge); the new
    // deployment's own series only ever shows its successes: healthy-looking, as in 2021-09.
    const h = connects({ seconds: 30, perS: 100, deployment: (s, i) => (s >= 5 && i < 40 ? 'edge' : 'new'), fail: (s) => (s >= 5 ? 40 : 0) });
    const m = observeSync(h).metrics;
    expect(evaluateAlert({ ...ratioAlert(3, { deployment: 'new' }), id: 'new-only' }, m)).toEqual([]);
    expect(evaluateAlert(ratioAlert(3), m).map((f) => f.firedAtS)).toEqual([8]);
  });

  it('a pod unhealthy for 10 s fires per pod, and merges overlapping pods into one firing', () => {
    const h = byTime([...podSamples('new-0', 40, (s) => (s >= 5 ? 'oomKilled' : 'running')), ...podSamples('new-1', 40, (s) => (s >= 8 ? 'oomKilled' : 'running')), ...podSamples('old-0', 40, () => 'running')]);
    const alert: Alert = { id: 'pod-unhealthy', title: 'pod unhealthy 10 s', forS: 10, rule: { kind: 'pod-unhealthy' } };
    expect(evaluateAlert(alert, observeSync(h).metrics)).toEqual([{ alert: 'pod-unhealthy', title: 'pod unhealthy 10 s', firedAtS: 15, resolvedAtS: null, subject: 'new-0,new-1' }]);
    expect(evaluateAlert({ ...alert, rule: { kind: 'pod-unhealthy', deployment: 'old' } }, observeSync(h).metrics)).toEqual([]);
  });

  it('webhooks missing for a transport (threshold rule on a counter)', () => {
    const h = [
      { type: 'webhook.expected' as const, t: 1000, key: 'a', transport: 'xhr_streaming' as const, event: 'member_added' as const, channel: 'presence-x' },
      { type: 'webhook.expected' as const, t: 1200, key: 'b', transport: 'ws' as const, event: 'member_added' as const, channel: 'presence-x' },
      { type: 'webhook.received' as const, t: 1300, key: 'b', event: 'member_added', channel: 'presence-x', signatureValid: true },
      { type: 'run.phase' as const, t: 30_000, phase: 'done' as const },
    ];
    const alert = (transport: string): Alert => ({
      id: `webhooks-missing-${transport}`,
      title: 'webhooks missing',
      forS: 0,
      rule: { kind: 'threshold', metric: 'webhooks.missing', where: { transport }, stat: 'sum', op: '>', value: 0, windowS: 10 },
    });
    const m = observeSync(h, { webhookDeadlineMs: 5000 }).metrics;
    expect(evaluateAlert(alert('xhr_streaming'), m).map((f) => [f.firedAtS, f.resolvedAtS])).toEqual([[7, 17]]);
    expect(evaluateAlert(alert('ws'), m)).toEqual([]);
  });

  it('p99 latency threshold over a trailing window', () => {
    const h = Array.from({ length: 20 }, (_, s) => ({ type: 'probe.received' as const, t: s * 1000, probe: 'p', transport: 'sockjs' as const, seq: s, latencyMs: s >= 10 ? 900 : 40 }));
    const alert: Alert = { id: 'slow', title: 'slow', forS: 2, rule: { kind: 'threshold', metric: 'delivery.latency', stat: 'p99', op: '>', value: 250, windowS: 1 } };
    expect(evaluateAlert(alert, observeSync(h).metrics).map((f) => f.firedAtS)).toEqual([12]);
  });
});
