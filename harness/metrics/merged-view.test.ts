import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { MetricsFold, observeSync } from './fold.ts';
import { mergedView } from './merged-view.ts';

const sample = (t: number, deployment: string, pod: string, ws: number, xhr: number): HistoryEvent => ({ type: 'pod.sample', t, deployment, pod, state: 'running', ready: true, restarts: 0, connections: { ws, xhr_streaming: xhr } });
const outcome = (t: number, deployment: string, ok: boolean): HistoryEvent => ({ type: 'connect.outcome', t, client: `c${t}`, transport: 'ws', source: 'k6', deployment, ok, ...(ok ? {} : { reason: 'close' as const, code: 1006 }) });

describe('merged view across deployments', () => {
  it('shows old, new and fallback together, with totals', () => {
    const o = observeSync([
      sample(0, 'old', 'old-0', 50, 0),
      sample(0, 'new', 'new-0', 30, 0),
      sample(0, 'fallback', 'fallback-0', 0, 20),
      outcome(100, 'new', true),
      outcome(200, 'new', false),
      outcome(300, 'old', true),
      outcome(400, 'edge', false),
    ]);
    const v = mergedView(o.metrics);
    expect(v.connections.byDeployment.total).toEqual([100]);
    expect(v.connections.byDeployment.parts).toEqual({ fallback: [20], new: [30], old: [50] });
    expect(v.connections.byTransport.parts).toEqual({ ws: [80], xhr_streaming: [20] });
    expect(v.connectFailures.byDeployment.parts).toEqual({ edge: [1], new: [1] });
    expect(v.connectFailures.byReason.parts).toEqual({ 'close:1006': [2] });
    expect(v.connectFailureRatio).toEqual([0.5]);
  });

  it('a fold finishes once: lost messages are not counted twice, and adding after finish is refused', () => {
    const fold = new MetricsFold();
    fold.add({ type: 'probe.sent', t: 0, probe: 'p', transport: 'ws', seq: 0 });
    fold.add({ type: 'run.phase', t: 20_000, phase: 'done' });
    const a = fold.finish();
    expect(fold.finish()).toBe(a);
    expect(a.metrics.counterTotal('delivery.lost')).toBe(1);
    expect(() => fold.add({ type: 'run.phase', t: 21_000, phase: 'done' })).toThrow(/after finish/);
  });
});
