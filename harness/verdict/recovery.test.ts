import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { observeSync } from '../metrics/fold.ts';
import type { Slo } from '../scenario/schema.ts';
import { byTime, podSamples } from './fixtures/histories.ts';
import { judgeSlo } from './slo.ts';

type RecoverySlo = Extract<Slo, { kind: 'recovery' }>;
const kill: HistoryEvent = { type: 'action.applied', t: 10_000, index: 0, action: 'pod.kill', target: 'new/0', evidence: {} };
const from = { type: 'action.applied' as const, where: { action: 'pod.kill' } };

describe('recovery time', () => {
  it('gauge: time until connections are back at 95% of the pre-fault level for 3 s', () => {
    // 100 clients connected; the kill drops them to 40; they are back from second 22.
    const samples = podSamples('new-0', 40, () => 'running').map((e, s) => ({ ...e, connections: { ws: s < 10 ? 100 : s < 22 ? 40 : 100 } }) as HistoryEvent);
    const slo: RecoverySlo = { id: 'reconnected', title: 'r', why: 'w', kind: 'recovery', from, signal: { kind: 'gauge', metric: 'connections', baselineS: 5 }, level: 0.95, holdS: 3, threshold: 'value<=30', whenNoFault: 'unknown', window: undefined };
    const r = judgeSlo(slo, observeSync(byTime([...samples, kill]), { matchers: [from] }), []);
    expect(r).toMatchObject({ status: 'pass', value: 12 });
    expect(judgeSlo({ ...slo, threshold: 'value<=10' }, observeSync(byTime([...samples, kill]), { matchers: [from] }), []).status).toBe('fail');
  });

  it('ratio: publish success back at 99%, seconds without traffic skipped; never recovering fails', () => {
    const events: HistoryEvent[] = [kill];
    for (let s = 0; s < 40; s++) {
      if (s >= 15 && s < 18) continue; // no traffic: neither good nor bad
      const ok = s < 10 || s >= 25;
      events.push({ type: 'rest.request', t: s * 1000, probe: 'r', id: `q${s}`, kind: 'publish', valid: true });
      events.push({ type: 'rest.response', t: s * 1000 + 5, probe: 'r', id: `q${s}`, status: ok ? 200 : 503, expected: `q${s}`, got: `q${s}` });
    }
    const slo: RecoverySlo = {
      id: 'publish-recovered',
      title: 'r',
      why: 'w',
      kind: 'recovery',
      from,
      signal: { kind: 'ratio', numerator: { metric: 'rest.status2xx' }, denominator: { metric: 'rest.requests' } },
      level: 0.99,
      holdS: 3,
      threshold: 'value<=20',
      whenNoFault: 'unknown',
      window: undefined,
    };
    expect(judgeSlo(slo, observeSync(byTime(events), { matchers: [from] }), [])).toMatchObject({ status: 'pass', value: 15 });
    const never = events.filter((e) => !(e.type === 'rest.response' && e.t >= 25_000 && e.status === 200));
    expect(judgeSlo(slo, observeSync(byTime(never), { matchers: [from] }), [])).toMatchObject({ status: 'fail', value: null });
  });
});
