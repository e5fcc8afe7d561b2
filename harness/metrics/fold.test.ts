import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { observeSync } from './fold.ts';

const outcome = (t: number, deployment: string | undefined, ok: boolean, extra: Partial<HistoryEvent> = {}): HistoryEvent =>
  ({ type: 'connect.outcome', t, client: `c${t}`, transport: 'ws', source: 'k6', ok, ...(deployment ? { deployment } : {}), ...extra }) as HistoryEvent;
const sample = (t: number, pod: string, state: 'running' | 'oomKilled' | 'exited', restarts: number, ws: number, memoryMb?: number): HistoryEvent => ({
  type: 'pod.sample',
  t,
  deployment: pod.split('-')[0]!,
  pod,
  state,
  ready: state === 'running',
  restarts,
  connections: { ws },
  ...(memoryMb !== undefined ? { memoryMb } : {}),
});

describe('metrics fold', () => {
  it('counts attempts, successes and failures by reason, per deployment and merged', () => {
    const h = [
      outcome(100, 'old', true),
      outcome(200, 'new', true),
      outcome(300, 'new', false, { reason: 'close', code: 1006 }),
      outcome(1100, 'new', false, { reason: 'close', code: 1006 }),
      outcome(1200, undefined, false, { reason: 'http', code: 502 }),
    ];
    const m = observeSync(h).metrics;
    expect(m.durationS).toBe(2);
    expect(m.counter('connect.attempts')).toEqual([3, 2]);
    expect(m.counter('connect.failures', { deployment: 'new' })).toEqual([1, 1]);
    expect(m.counterTotal('connect.failures', { reason: 'close:1006' })).toBe(2);
    expect(m.counterTotal('connect.failures', { reason: 'http:502', deployment: 'edge' })).toBe(1);
    expect(m.counterTotal('connect.successes', { deployment: 'old' })).toBe(1);
    expect(m.labelValues('connect.attempts', 'deployment')).toEqual(['edge', 'new', 'old']);
  });

  it('sums connection gauges per deployment and across pods, carrying samples over short gaps', () => {
    const h = [
      sample(0, 'new-0', 'running', 0, 10),
      sample(0, 'new-1', 'running', 0, 5),
      sample(1000, 'new-0', 'running', 0, 12),
      sample(4000, 'new-1', 'running', 0, 6),
      sample(4000, 'new-0', 'running', 0, 13),
      sample(0, 'old-0', 'running', 0, 7),
    ];
    const o = observeSync(h, { durationS: 8 });
    expect(o.metrics.gauge('connections', { deployment: 'new' }).slice(0, 6)).toEqual([15, 17, 17, 17, 19, null]);
    expect(o.metrics.gauge('connections')[0]).toBe(22);
    expect(o.metrics.gauge('connections', { deployment: 'new' })[7]).toBeNull();
  });

  it('carries no gauge past the last sample of its source: after it nobody looked', () => {
    const h = [sample(0, 'new-0', 'running', 0, 10), sample(1000, 'new-0', 'running', 0, 11), sample(0, 'old-0', 'running', 0, 7), sample(2000, 'old-0', 'running', 0, 8)];
    const m = observeSync(h, { durationS: 6 }).metrics;
    expect(m.gauge('connections', { pod: 'new-0' })).toEqual([10, 11, null, null, null, null]);
    expect(m.gauge('connections')).toEqual([17, 18, 8, null, null, null]);
  });

  it('a pod that stopped running holds no connections (zero at once, not its last sample carried over)', () => {
    const h = [
      sample(0, 'new-0', 'running', 0, 10),
      sample(0, 'old-0', 'running', 0, 5),
      { ...sample(1000, 'new-0', 'oomKilled', 0, 0), connections: {} },
      sample(1000, 'old-0', 'running', 0, 5),
      { ...sample(2000, 'new-0', 'oomKilled', 0, 0), connections: {} },
      sample(2000, 'old-0', 'running', 0, 5),
    ];
    const m = observeSync(h, { durationS: 3 }).metrics;
    expect(m.gauge('connections', { deployment: 'new' })).toEqual([10, 0, 0]);
    expect(m.gauge('connections')).toEqual([15, 5, 5]);
  });

  it('counts OOM kills on the transition and restarts from the counter delta', () => {
    const h = [
      sample(0, 'new-0', 'running', 0, 10, 90),
      sample(1000, 'new-0', 'oomKilled', 0, 0, 0),
      sample(2000, 'new-0', 'oomKilled', 0, 0, 0),
      sample(3000, 'new-0', 'running', 1, 0, 20),
    ];
    const m = observeSync(h).metrics;
    expect(m.counterTotal('pod.oomKills')).toBe(1);
    expect(m.counter('pod.restarts')).toEqual([0, 0, 0, 1]);
    expect(m.gauge('pods.unhealthy')).toEqual([0, 1, 1, 0]);
    expect(m.gauge('pod.memoryMb', { pod: 'new-0' })).toEqual([90, 0, 0, 20]);
  });

  it('counts an OOM kill the restart policy undid between two samples, once, from Docker\'s flag and the restart', () => {
    const h = [
      { ...sample(0, 'new-0', 'running', 0, 10, 200), oomKilled: false },
      // Killed and restarted within the interval: never sampled dead.
      { ...sample(1000, 'new-0', 'running', 1, 0, 20), oomKilled: true },
      // The flag stays set while it runs on: no further kill.
      { ...sample(2000, 'new-0', 'running', 1, 4, 25), oomKilled: true },
      // Sampled dead, then restarted: one kill, not two.
      { ...sample(3000, 'new-0', 'oomKilled', 1, 0), oomKilled: true },
      { ...sample(4000, 'new-0', 'running', 2, 0, 20), oomKilled: true },
      // A restart after an ordinary exit (Docker clears the flag): no kill.
      { ...sample(5000, 'new-0', 'running', 3, 0, 20), oomKilled: false },
    ];
    const m = observeSync(h, { durationS: 6 }).metrics;
    expect(m.counter('pod.oomKills')).toEqual([0, 1, 0, 1, 0, 0]);
    expect(m.counter('pod.restarts')).toEqual([0, 1, 0, 0, 1, 1]);
  });

  it('collects actions with evidence, first matches and tagged log lines', () => {
    const h: HistoryEvent[] = [
      { type: 'action.started', t: 5000, index: 1, action: 'pod.kill', target: 'new/0', at: 5 },
      { type: 'action.applied', t: 5100, index: 1, action: 'pod.kill', target: 'new/0', evidence: { state: 'exited', oomKilled: false } },
      outcome(6000, 'new', false, { reason: 'close', code: 1006 }),
      outcome(7000, 'new', false, { reason: 'close', code: 1006 }),
      { type: 'log.line', t: 6500, source: 'new-0', stream: 'stdout', line: 'boot ok' },
      { type: 'log.line', t: 6600, source: 'new-0', stream: 'stderr', line: 'unknown config key metricsUrl', tag: 'config-refused' },
    ];
    const o = observeSync(h, { matchers: [{ type: 'connect.outcome', where: { ok: false } }] });
    expect(o.actions).toEqual([{ index: 1, action: 'pod.kill', target: 'new/0', at: 5, startedMs: 5000, appliedMs: 5100, failedMs: undefined, error: undefined, evidence: { state: 'exited', oomKilled: false } }]);
    expect(Object.values(o.firstMatch)).toEqual([6000]);
    expect(o.logs.map((l) => l.tag)).toEqual(['config-refused']);
  });

  it('passes k6 points through as k6.<name>, trends also as distributions', () => {
    const h: HistoryEvent[] = [
      { type: 'k6.point', t: 0, metric: 'ws_connecting', value: 12, tags: { transport: 'ws' } },
      { type: 'k6.point', t: 10, metric: 'ws_connecting', value: 30, tags: { transport: 'ws' } },
      { type: 'k6.point', t: 20, metric: 'ws_msgs_received', value: 1, tags: {} },
    ];
    const m = observeSync(h).metrics;
    expect(m.counterTotal('k6.ws_msgs_received')).toBe(1);
    expect(m.counterTotal('k6.points')).toBe(3);
    expect(m.trend('k6.ws_connecting', { transport: 'ws' })!.totalCount).toBe(2);
    expect(m.trend('k6.ws_msgs_received')).toBeUndefined();
  });

  it('adds up the points of a split k6 run (one instance tag per process) as those of one process', () => {
    const split: HistoryEvent[] = ['1', '2', '3'].flatMap((instance, i) => [
      { type: 'k6.point' as const, t: 100 * i, metric: 'pusher_connected', value: 10 + i, tags: { transport: 'ws', instance } },
      { type: 'k6.point' as const, t: 100 * i, metric: 'ws_connecting', value: 5 * (i + 1), tags: { transport: 'ws', instance } },
    ]);
    const single = split.map((e) => (e.type === 'k6.point' ? { ...e, tags: { transport: 'ws' } } : e));
    const a = observeSync(split).metrics;
    const b = observeSync(single).metrics;
    expect(a.counterTotal('k6.pusher_connected')).toBe(33);
    expect(a.counterTotal('k6.pusher_connected', { transport: 'ws' })).toBe(b.counterTotal('k6.pusher_connected', { transport: 'ws' }));
    expect(a.trend('k6.ws_connecting', { transport: 'ws' })!.totalCount).toBe(3);
    expect(a.trend('k6.ws_connecting', { transport: 'ws' })!.getValueAtPercentile(100)).toBe(b.trend('k6.ws_connecting', { transport: 'ws' })!.getValueAtPercentile(100));
  });
});

describe('k6 outcome tags', () => {
  it('keeps why a k6 connect failed or a socket closed, so an SLO can select on it', () => {
    const m = observeSync([
      { type: 'k6.point', t: 0, metric: 'pusher_connect_failures', value: 1, tags: { transport: 'ws', reason: 'http', code: '503', ignored: 'x' } },
      { type: 'k6.point', t: 5, metric: 'pusher_closes', value: 1, tags: { transport: 'ws', abnormal: 'true', reason: 'close', code: '1006' } },
      { type: 'k6.point', t: 9, metric: 'pusher_closes', value: 1, tags: { transport: 'ws', abnormal: 'false', reason: 'churn', code: '1000' } },
    ]).metrics;
    expect(m.counterTotal('k6.pusher_connect_failures', { reason: 'http', code: '503' })).toBe(1);
    expect(m.counterTotal('k6.pusher_closes', { abnormal: 'true' })).toBe(1);
    expect(m.counterTotal('k6.pusher_closes')).toBe(2);
  });
});

describe('dropped connections', () => {
  it('counts only abnormal closes as drops, labelled like connect failures', () => {
    const m = observeSync([
      { type: 'connect.closed', t: 100, client: 'a', transport: 'ws', source: 'client', deployment: 'new', code: 1006, abnormal: true, by: 'network' },
      { type: 'connect.closed', t: 200, client: 'b', transport: 'ws', source: 'client', deployment: 'new', code: 1000, abnormal: false, by: 'client' },
    ]).metrics;
    expect(m.counterTotal('connections.closed')).toBe(2);
    expect(m.counterTotal('connections.dropped')).toBe(1);
    expect(m.counterTotal('connections.dropped', { reason: 'close:1006' })).toBe(1);
  });
});
