import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { observeSync } from '../metrics/fold.ts';
import type { Slo } from '../scenario/schema.ts';
import { connects } from './fixtures/histories.ts';
import { judgeSlo } from './slo.ts';

const base = { title: 't', why: 'w', window: undefined };
const ratio = (threshold: string, window?: { from: number; to: number }): Slo => ({
  ...base,
  id: 'conn-success',
  kind: 'ratio',
  numerator: { metric: 'connect.successes' },
  denominator: { metric: 'connect.attempts' },
  threshold,
  window,
});

describe('SLO maths', () => {
  const h = connects({ seconds: 20, perS: 100, deployment: 'new', fail: (s) => (s >= 10 ? 10 : 0) });
  const obs = observeSync(h);

  it('a ratio over the whole run', () => {
    const r = judgeSlo(ratio('rate>=0.99'), obs, []);
    expect(r.value).toBeCloseTo(0.95, 10);
    expect(r.status).toBe('fail');
    expect(r.detail).toBe('1900 connect.successes / 2000 connect.attempts');
  });

  it('a ratio over a window [from, to) in replay seconds', () => {
    expect(judgeSlo(ratio('rate>=0.99', { from: 0, to: 10 }), obs, [])).toMatchObject({ status: 'pass', value: 1 });
    expect(judgeSlo(ratio('rate>=0.99', { from: 10, to: 20 }), obs, [])).toMatchObject({ status: 'fail', value: 0.9 });
  });

  it('a ratio with no denominator is unknown, not a pass', () => {
    const r = judgeSlo(ratio('rate>=0.99'), observeSync([]), []);
    expect(r.status).toBe('unknown');
    expect(r.value).toBeNull();
    expect(r.detail).toMatch(/^no data/);
  });

  it('a latency percentile', () => {
    const events: HistoryEvent[] = Array.from({ length: 1000 }, (_, i) => ({ type: 'probe.received', t: i, probe: 'p', transport: 'sockjs', seq: i, latencyMs: i < 985 ? 20 : 800 }));
    const slo: Slo = { ...base, id: 'fallback-p99', kind: 'trend', metric: 'delivery.latency', where: { transport: 'sockjs' }, threshold: 'p(99)<250' };
    const r = judgeSlo(slo, observeSync(events), []);
    expect(r.status).toBe('fail');
    expect(r.value).toBeCloseTo(800, -1);
    expect(judgeSlo({ ...slo, threshold: 'p(95)<250' }, observeSync(events), [])).toMatchObject({ status: 'pass' });
    expect(judgeSlo({ ...slo, where: { transport: 'ws' } }, observeSync(events), []).status).toBe('unknown');
  });

  it('a count of zero is a pass only when there was something to count', () => {
    const slo: Slo = { ...base, id: 'lost', kind: 'count', metric: 'delivery.lost', threshold: 'count==0' };
    expect(judgeSlo(slo, observeSync([]), []).status).toBe('unknown');
    const delivered: HistoryEvent[] = [
      { type: 'probe.sent', t: 0, probe: 'p', transport: 'ws', seq: 0 },
      { type: 'probe.received', t: 5, probe: 'p', transport: 'ws', seq: 0, latencyMs: 5 },
      { type: 'run.phase', t: 20_000, phase: 'done' },
    ];
    expect(judgeSlo(slo, observeSync(delivered), [])).toMatchObject({ status: 'pass', value: 0, detail: '0 delivery.lost (out of 1 messages.sent)' });
    const lost: HistoryEvent[] = [{ type: 'probe.sent', t: 0, probe: 'p', transport: 'ws', seq: 0 }, { type: 'run.phase', t: 20_000, phase: 'done' }];
    expect(judgeSlo(slo, observeSync(lost), [])).toMatchObject({ status: 'fail', value: 1 });
  });

  it('a gauge maximum', () => {
    const events: HistoryEvent[] = [0, 1, 2].map((s) => ({ type: 'pod.sample', t: s * 1000, deployment: 'new', pod: 'new-0', state: 'running', ready: true, restarts: 0, memoryMb: [100, 240, 180][s]!, connections: {} }));
    const slo: Slo = { ...base, id: 'mem', kind: 'gauge', metric: 'pod.memoryMb', threshold: 'max<200' };
    expect(judgeSlo(slo, observeSync(events), [])).toMatchObject({ status: 'fail', value: 240 });
  });
});

describe('the whole run is the replay, not the tear-down', () => {
  it('failures and unanswered probes after the teardown phase starts are not judged', () => {
    const events: HistoryEvent[] = [
      ...connects({ seconds: 10, perS: 10, deployment: 'new' }),
      { type: 'probe.sent', t: 9_800, probe: 'p', transport: 'ws', seq: 0 },
      { type: 'run.phase', t: 10_000, phase: 'teardown' },
      ...connects({ seconds: 13, perS: 10, deployment: 'new', fail: () => 10 }).filter((e) => e.t >= 11_000),
      { type: 'run.phase', t: 20_000, phase: 'done' },
    ];
    const obs = observeSync(events);
    expect(obs.replayS).toBe(10);
    expect(judgeSlo(ratio('rate>=0.99'), obs, [])).toMatchObject({ status: 'pass', value: 1 });
    expect(obs.delivery[0]).toMatchObject({ lost: 0, pending: 1 });
  });

  it('without a teardown phase, the last event\'s second is included', () => {
    const obs = observeSync(connects({ seconds: 3, perS: 1, deployment: 'new', fail: (s) => (s === 2 ? 1 : 0) }));
    expect(obs.replayS).toBe(3);
    expect(judgeSlo(ratio('rate>=0.99'), obs, []).value).toBeCloseTo(2 / 3, 10);
  });
});
