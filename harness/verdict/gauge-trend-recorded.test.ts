import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { resolveVariant, validateScenario } from '../scenario/resolve.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { Slo } from '../scenario/schema.ts';
import connectionLimit from '../../scenarios/connection-limit.ts';
import { judgeText, linesOf, recorded } from './fixtures/recorded.ts';

// Memory under churn on recorded runs of connection-limit/remediated: the server as it is (no
// leak) and the same replay against mutation 04 (the hub keeps every closed connection: a leak per
// client that left). Judged with the scenario's memory-under-churn SLO as it is now, so a change of
// its threshold is checked against the runs it was measured on.

const SLO_ID = 'memory-under-churn';
const current = resolveVariant(validateScenario(connectionLimit, 'scenarios/connection-limit.ts'), 'remediated').slos.find((s) => s.id === SLO_ID) as Extract<Slo, { kind: 'gauge-trend' }>;

/** The recorded plan with the scenario's current memory SLO in place of the one the run carried. */
function withCurrentSlo(plan: ResolvedScenario): ResolvedScenario {
  return { ...plan, slos: plan.slos.map((s) => (s.id === SLO_ID ? current : s)) };
}

const keep = (text: string, pass: (e: HistoryEvent) => boolean) =>
  linesOf(text)
    .filter((l) => pass(JSON.parse(l) as HistoryEvent))
    .map((l) => `${l}\n`)
    .join('');

describe('memory under churn, judged on recorded runs', () => {
  it('the SLO is a gauge-trend over every pod, holding connections, inside the replay', () => {
    expect(current).toMatchObject({ kind: 'gauge-trend', metric: 'pod.memoryMb', per: 'all', holding: 'connections' });
  });

  it('no leak: the server as it is holds, every SLO passes', async () => {
    const { plan, text } = await recorded('connection-limit-churn');
    const { judgement: j } = await judgeText(withCurrentSlo(plan), text);
    expect(j.verdict).toMatchObject({ status: 'held', met: true });
    const slo = j.slos.find((s) => s.id === SLO_ID)!;
    expect(slo.status, slo.detail).toBe('pass');
    expect(slo.detail).toMatch(/all pods: [-+]\d+\.\d+ over \d+ s holding connections/);
    // Churn really ran in the window, and none of it counted as a drop.
    const m = j.observation.metrics;
    expect(m.counterTotal('connections.churned', undefined, current.window)).toBeGreaterThan(2000);
    expect(m.counterTotal('connections.dropped')).toBe(0);
  });

  it('leak (mutation 04): the same replay breaks memory-under-churn, and only a memory SLO', async () => {
    const { plan, text } = await recorded('connection-limit-churn-leak');
    const { judgement: j } = await judgeText(withCurrentSlo(plan), text);
    const slo = j.slos.find((s) => s.id === SLO_ID)!;
    expect(slo.status, slo.detail).toBe('fail');
    expect(j.verdict.status).toBe('broken');
    expect(j.slos.filter((s) => s.status !== 'pass').map((s) => s.id)).toEqual([SLO_ID]);
  });

  it('leak, but the pod sampler stopped in the window: a breach already seen stays a breach', async () => {
    const { plan, text } = await recorded('connection-limit-churn-leak');
    const { judgement: j } = await judgeText(withCurrentSlo(plan), keep(text, (e) => !(e.type === 'pod.sample' && e.t >= 110_000)));
    expect(j.slos.find((s) => s.id === SLO_ID)!.status).toBe('fail');
  });

  it('no leak, but the pod sampler stopped in the window: unknown, never held', async () => {
    const { plan, text } = await recorded('connection-limit-churn');
    const { judgement: j } = await judgeText(withCurrentSlo(plan), keep(text, (e) => !(e.type === 'pod.sample' && e.t >= 110_000)));
    const slo = j.slos.find((s) => s.id === SLO_ID)!;
    expect(slo.status).toBe('unknown');
    expect(slo.detail).toMatch(/signal not observed: the pod sampler stopped: no pod sample for \d+\.\d s \(t=109\.\d-1\d\d\.\d s\)/);
    expect(j.verdict.status).toBe('inconclusive');
  });

  it('no leak, but the sampler was silent for most of the window: too few seconds is unknown', async () => {
    const { plan, text } = await recorded('connection-limit-churn');
    const w = current.window;
    // Every other pod sample gone after the window's first 10 s: no second where all pods reported.
    let n = 0;
    const sparse = keep(text, (e) => !(e.type === 'pod.sample' && e.t >= (w.from + 10) * 1000 && e.t < w.to * 1000 && n++ % 2 === 0));
    const { judgement: j } = await judgeText(withCurrentSlo(plan), sparse);
    const slo = j.slos.find((s) => s.id === SLO_ID)!;
    expect(slo.status).toBe('unknown');
    expect(slo.detail).toMatch(/fewer than 20/);
  });
});
