import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { observeSync } from '../metrics/fold.ts';
import type { Slo } from '../scenario/schema.ts';
import { judgeGaugeTrend } from './gauge-trend.ts';
import { judgeSlo } from './slo.ts';

// Pure checks of the fit's bookkeeping on hand-built pod samples; the recorded runs (a leak and no
// leak under churn) are judged in gauge-trend-recorded.test.ts.

type TrendSlo = Extract<Slo, { kind: 'gauge-trend' }>;
const slo = (over: Partial<TrendSlo> = {}): TrendSlo => ({
  id: 'mem',
  title: 'Memory growth',
  why: 'test',
  kind: 'gauge-trend',
  metric: 'pod.memoryMb',
  per: 'all',
  minSamples: 20,
  threshold: 'value<=3',
  window: { from: 10, to: 70 },
  ...over,
});

/** One sample a second per pod; `mb(s, pod)` and `conns(s, pod)` give its memory and connections. */
function samples(pods: string[], seconds: number, mb: (s: number, pod: string) => number, conns: (s: number, pod: string) => number, skip: (s: number, pod: string) => boolean = () => false): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (let s = 0; s < seconds; s++) {
    for (const pod of pods) {
      if (skip(s, pod)) continue;
      out.push({ type: 'pod.sample', t: s * 1000 + 300, deployment: pod.replace(/-\d+$/, ''), pod, state: 'running', ready: true, restarts: 0, memoryMb: mb(s, pod), connections: { ws: conns(s, pod) } });
    }
  }
  return out;
}

const ended = (seconds: number): HistoryEvent[] => [{ type: 'run.ended', t: seconds * 1000, plannedDurationS: seconds }];
// Connections wander as clients leave and come back; 1 MB each.
const wander = (s: number, pod: string) => 100 + ((s * 7919 + pod.length * 31) % 11) - 5;

describe('gauge-trend', () => {
  it('memory that follows connections only is no trend when connections are held; a leak on top is', () => {
    const pods = ['new-1', 'new-2'];
    const flat = observeSync([...samples(pods, 75, (s, p) => 30 + wander(s, p), wander), ...ended(75)]);
    const leak = observeSync([...samples(pods, 75, (s, p) => 30 + wander(s, p) + (p === 'new-2' ? 0.1 * s : 0), wander), ...ended(75)]);
    const held = slo({ holding: 'connections' });
    expect(judgeGaugeTrend(held, flat).value).toBeCloseTo(0, 6);
    expect(judgeSlo(held, flat, []).status).toBe('pass');
    // 0.1 MB/s on one pod is 6 MB/min for all pods summed.
    expect(judgeGaugeTrend(held, leak).value).toBeCloseTo(6, 6);
    expect(judgeSlo(held, leak, [])).toMatchObject({ status: 'fail', detail: expect.stringMatching(/all pods: \+6\.00 over 60\+ samples per pod holding connections \(95-105 per pod\)/) });
    const perPod = judgeGaugeTrend(slo({ holding: 'connections', per: 'pod' }), leak);
    expect(perPod.groups.map((g) => [g.group, Math.round(g.slopePerMin! * 100) / 100])).toEqual([
      ['new-1', 0],
      ['new-2', 6],
    ]);
  });

  it('each pod is fitted on the seconds it reported: a missing sample is skipped, never carried; too few is unknown', () => {
    const pods = ['new-1', 'new-2'];
    const obs = observeSync([...samples(pods, 75, () => 50, () => 10, (s, p) => p === 'new-2' && s % 2 === 0), ...ended(75)]);
    const v = judgeGaugeTrend(slo(), obs);
    expect(v.groups).toEqual([{ group: 'all pods', samples: 30, slopePerMin: 0, covariate: undefined }]);
    // Too few for a stricter minimum: unknown, not pass.
    const strict = slo({ minSamples: 40 });
    expect(judgeGaugeTrend(strict, obs)).toMatchObject({ value: null, partial: false });
    expect(judgeSlo(strict, obs, [])).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/new-2 reported 30 samples in the window, fewer than 40/) });
  });

  it('pods that sample on their own clocks, never in the same second, still sum to the fleet\'s growth', () => {
    // The live heap: every 3 s per pod, the two pods a second apart; 0.1 MB/s of leak on each.
    const pods = ['new-1', 'new-2'];
    const offset = (p: string) => (p === 'new-1' ? 0 : 1);
    const events = samples(pods, 75, () => 50, wander).map((e) =>
      e.type === 'pod.sample' && Math.floor(e.t / 1000) % 3 === offset(e.pod) ? { ...e, heapLiveMb: 20 + 0.1 * Math.floor(e.t / 1000) + wander(Math.floor(e.t / 1000), e.pod) * 0.005 } : e,
    );
    const obs = observeSync([...events, ...ended(75)]);
    const v = judgeGaugeTrend(slo({ metric: 'pod.heapLiveMb', holding: 'connections', minSamples: 10 }), obs);
    expect(v.groups[0]).toMatchObject({ group: 'all pods', samples: 20 });
    expect(v.value).toBeCloseTo(12, 6);
  });

  it('a pod that ran in the window but never reported the gauge makes its group unknown, not left out', () => {
    const pods = ['new-1', 'new-2'];
    const events = samples(pods, 75, () => 50, () => 10).map((e) => (e.type === 'pod.sample' && e.pod === 'new-1' ? { ...e, heapLiveMb: 20 } : e));
    const obs = observeSync([...events, ...ended(75)]);
    expect(judgeSlo(slo({ metric: 'pod.heapLiveMb' }), obs, [])).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/new-2 reported 0 samples in the window, fewer than 20/) });
  });

  it('connections that rise in step with time (a ramp) cannot be told from a leak: unknown', () => {
    const obs = observeSync([...samples(['new-1'], 75, (s) => 20 + 2 * s, (s) => 2 * s), ...ended(75)]);
    expect(judgeSlo(slo({ holding: 'connections' }), obs, [])).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/connections moved in step with time on new-1 \(r=1\.00\)/) });
  });

  it('connections moving between the pods of a level group (churned clients reconnecting elsewhere) are held on the total: no leak passes, a leak still fails', () => {
    // 60 connections drift from new-1 to new-2 across the window while the total wanders around 200.
    const pods = ['new-1', 'new-2'];
    const conns = (s: number, p: string) => (p === 'new-1' ? 130 - s : 70 + s) + (p === 'new-1' ? wander(s, p) - 100 : 0);
    const noLeak = observeSync([...samples(pods, 75, (s, p) => 30 + 0.5 * conns(s, p), conns), ...ended(75)]);
    const held = slo({ holding: 'connections' });
    const v = judgeGaugeTrend(held, noLeak);
    expect(v.groups[0]!.heldOnTotal).toMatchObject({ pod: 'new-1', totalMin: 195, totalMax: 205 });
    expect(v.value).toBeCloseTo(0, 6);
    expect(judgeSlo(held, noLeak, [])).toMatchObject({ status: 'pass', detail: expect.stringMatching(/holding connections of the group together \(195-205 in all, r=[-0-9.]+\): they moved between its pods \(new-1 r=-0\.98\)/) });
    // 0.1 MB/s on new-2, the pod gaining connections, is 6 MB/min: not hidden by the move.
    const leak = observeSync([...samples(pods, 75, (s, p) => 30 + 0.5 * conns(s, p) + (p === 'new-2' ? 0.1 * s : 0), conns), ...ended(75)]);
    expect(judgeGaugeTrend(held, leak).value).toBeCloseTo(6, 6);
    expect(judgeSlo(held, leak, []).status).toBe('fail');
  });

  it('a ramp the group\'s total shares, or a ramp judged per pod, stays unknown', () => {
    const pods = ['new-1', 'new-2'];
    const rising = (s: number, p: string) => (p === 'new-1' ? 2 * s : 50 + wander(s, p) - 100);
    const obs = observeSync([...samples(pods, 75, (s, p) => 20 + rising(s, p), rising), ...ended(75)]);
    expect(judgeSlo(slo({ holding: 'connections' }), obs, [])).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/on new-1 \(r=1\.00\), and the group's total too \(r=1\.00\)/) });
    const moving = (s: number, p: string) => (p === 'new-1' ? 130 - s : 70 + s);
    const moved = observeSync([...samples(pods, 75, (s, p) => 30 + 0.5 * moving(s, p), moving), ...ended(75)]);
    expect(judgeSlo(slo({ holding: 'connections', per: 'pod' }), moved, [])).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/moved in step with time on new-1/) });
  });

  it('one group unknown and the others within the threshold is unknown; a breach in another group is still a breach', () => {
    const pods = ['old-1', 'new-1'];
    const skipNew = (s: number, p: string) => p === 'new-1' && s > 20;
    const quiet = observeSync([...samples(pods, 75, () => 50, () => 10, skipNew), ...ended(75)]);
    expect(judgeSlo(slo({ per: 'deployment' }), quiet, []).status).toBe('unknown');
    const leaking = observeSync([...samples(pods, 75, (s, p) => (p === 'old-1' ? 50 + 0.2 * s : 50), () => 10, skipNew), ...ended(75)]);
    expect(judgeSlo(slo({ per: 'deployment' }), leaking, [])).toMatchObject({ status: 'fail', value: expect.closeTo(12, 6) });
  });

  it('the window is judged up to the replay only, and no sample in it is unknown', () => {
    const obs = observeSync(samples(['new-1'], 8, () => 50, () => 10));
    expect(judgeSlo(slo(), obs, [])).toMatchObject({ status: 'unknown', value: null });
  });
});
