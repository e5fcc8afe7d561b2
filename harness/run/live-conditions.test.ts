import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { MetricsFold } from '../metrics/fold.ts';
import type { Alert } from '../scenario/schema.ts';
import { LiveConditionEvaluator, timelineMatchers } from './live-conditions.ts';

// The live evaluator on a hand-fed fold and a fake clock: what gates and wait.until see mid-run.

function setup(alerts: Alert[] = []) {
  let nowMs = 0;
  const fold = new MetricsFold({ matchers: [{ type: 'action.applied', where: { action: 'pod.kill' } }] });
  const live = new LiveConditionEvaluator({ fold, now: () => nowMs, alerts, topology: () => undefined });
  const connect = (t: number, ok: boolean) =>
    fold.add({ type: 'connect.outcome', t, client: 'c', transport: 'ws', source: 'client', deployment: 'new', ok, ...(ok ? {} : { reason: 'ws-close', code: 1006 }) } as HistoryEvent);
  return { fold, live, connect, setNow: (ms: number) => (nowMs = ms) };
}

describe('LiveConditionEvaluator', () => {
  it('judges a metric over complete seconds only, for forS consecutive seconds', async () => {
    const { live, connect, setNow } = setup();
    for (let s = 0; s < 4; s++) for (let i = 0; i < 3; i++) connect(s * 1000 + 100 * i, false);
    const cond = { kind: 'metric', metric: 'connect.failures', op: '>=', value: 3, forS: 3 } as const;
    setNow(2500); // seconds 0 and 1 complete: not yet 3 of them
    expect((await live.check(cond)).met).toBe(false);
    setNow(3100);
    const r = await live.check(cond);
    expect(r.met).toBe(true);
    expect(r.detail).toContain('[3, 3, 3]');
  });

  it('counts a quiet second as zero for counters, so "failures < 1" holds when nothing fails', async () => {
    const { live, connect, setNow } = setup();
    connect(100, true);
    setNow(5000);
    expect((await live.check({ kind: 'metric', metric: 'connect.failures', op: '<', value: 1, forS: 2 })).met).toBe(true);
    connect(4200, false);
    setNow(5000);
    expect((await live.check({ kind: 'metric', metric: 'connect.failures', op: '<', value: 1, forS: 2 })).met).toBe(false);
  });

  it('sees an alert fire the way the verdict evaluates it', async () => {
    const alert: Alert = {
      id: 'rejections',
      title: 'rejections',
      forS: 2,
      rule: { kind: 'ratio', numerator: { metric: 'connect.failures' }, denominator: { metric: 'connect.attempts' }, op: '>', value: 0.1, windowS: 1 },
    };
    const { live, connect, setNow } = setup([alert]);
    connect(100, true);
    connect(1100, false);
    connect(2100, false);
    setNow(2500);
    expect((await live.check({ kind: 'alert.fired', alert: 'rejections' })).met).toBe(false);
    setNow(3100);
    expect(await live.check({ kind: 'alert.fired', alert: 'rejections' })).toEqual({ met: true, detail: 'alert rejections fired at 3 s' });
    expect((await live.check({ kind: 'alert.fired', alert: 'nope' })).detail).toMatch(/no alert nope/);
  });

  it('matches events the timeline waits on', async () => {
    const { fold, live } = setup();
    const cond = { kind: 'event', match: { type: 'action.applied', where: { action: 'pod.kill' } } } as const;
    expect((await live.check(cond)).met).toBe(false);
    fold.add({ type: 'action.applied', t: 1500, index: 0, action: 'pod.kill', target: 'web/0', evidence: {} });
    expect(await live.check(cond)).toEqual({ met: true, detail: 'action.applied seen at 1.5 s' });
  });

  it('gives up at the timeout with what it last saw', async () => {
    const t0 = performance.now();
    const live = new LiveConditionEvaluator({ fold: new MetricsFold(), now: () => performance.now() - t0, alerts: [], topology: () => undefined });
    const o = await live.waitFor({ kind: 'metric', metric: 'connect.successes', op: '>', value: 0, forS: 0 }, 0.3);
    expect(o.met).toBe(false);
    expect(o.detail).toMatch(/connect.successes > 0 over the last 1 s/);
  });

  it('collects the event matchers of wait.until and gates', () => {
    const m = { type: 'action.applied', where: { action: 'x' } } as const;
    expect(
      timelineMatchers([
        { type: 'wait.until', target: 'run', at: 1, params: { condition: { kind: 'event', match: m }, timeoutS: 5 } },
        { type: 'weights.shift', target: 'edge', at: 2, params: { weights: { a: 1 }, gate: { condition: { kind: 'event', match: m }, timeoutS: 3, onFail: 'halt' } } },
        { type: 'pod.kill', target: 'a/0', at: 3, params: { signal: 'SIGKILL' } },
      ]),
    ).toEqual([m, m]);
  });
});

describe('LiveConditionEvaluator: seconds before the wait began', () => {
  it('does not let a metric condition pass on seconds before the wait started', async () => {
    let nowMs = 0;
    const fold = new MetricsFold();
    const live = new LiveConditionEvaluator({ fold, now: () => nowMs, alerts: [], topology: () => undefined });
    for (let s = 0; s < 5; s++) fold.add({ type: 'connect.outcome', t: s * 1000 + 10, client: 'c', transport: 'ws', source: 'client', ok: true } as HistoryEvent);
    const cond = { kind: 'metric', metric: 'connect.successes', op: '>=', value: 1, forS: 2 } as const;
    nowMs = 5200;
    expect((await live.check(cond, 0)).met).toBe(true);
    // Waiting from 4.5 s: only second 5 onward counts, and it is not complete yet.
    const r = await live.check(cond, 4500);
    expect(r.met).toBe(false);
    expect(r.detail).toContain('[]');
  });
});
