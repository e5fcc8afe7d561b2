import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { resolveVariant, validateScenario } from '../scenario/resolve.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import type { Slo } from '../scenario/schema.ts';
import connectionLimit from '../../scenarios/connection-limit.ts';
import oomCascade from '../../scenarios/oom-cascade.ts';
import { judgeText, linesOf, recorded, type RecordedRun } from './fixtures/recorded.ts';

// Memory under churn on recorded runs of the two churning remediated variants: the server as it is
// (no leak) and the same replay against mutation 04 (the hub keeps every closed connection: a leak
// per client that left). Judged with each scenario's memory SLOs as they are now, so a change of a
// threshold is checked against the runs it was measured on.

const SLO_ID = 'memory-under-churn';
const MEMORY_SLOS = [SLO_ID, 'working-set-under-churn'];
type TrendSlo = Extract<Slo, { kind: 'gauge-trend' }>;

const cases = [
  { scenario: connectionLimit, file: 'scenarios/connection-limit.ts', clean: 'connection-limit-churn', leak: 'connection-limit-churn-leak', churnedInWindow: 2000 },
  { scenario: oomCascade, file: 'scenarios/oom-cascade.ts', clean: 'oom-cascade-churn', leak: 'oom-cascade-churn-leak', churnedInWindow: 1500 },
] as const satisfies readonly { scenario: unknown; file: string; clean: RecordedRun; leak: RecordedRun; churnedInWindow: number }[];

const keep = (text: string, pass: (e: HistoryEvent) => boolean) =>
  linesOf(text)
    .filter((l) => pass(JSON.parse(l) as HistoryEvent))
    .map((l) => `${l}\n`)
    .join('');

const edit = (text: string, change: (e: HistoryEvent) => HistoryEvent) =>
  linesOf(text)
    .map((l) => `${JSON.stringify(change(JSON.parse(l) as HistoryEvent))}\n`)
    .join('');

describe.each(cases)('memory under churn, judged on recorded runs of $file', ({ scenario, file, clean, leak, churnedInWindow }) => {
  const remediated = resolveVariant(validateScenario(scenario, file), 'remediated');
  const memorySlos = remediated.slos.filter((s) => MEMORY_SLOS.includes(s.id));
  const current = memorySlos.find((s) => s.id === SLO_ID) as TrendSlo;
  /** The recorded plan with the scenario's current memory SLOs in place of the ones the run carried. */
  const withCurrentSlos = (plan: ResolvedScenario): ResolvedScenario => ({ ...plan, slos: [...plan.slos.filter((s) => !MEMORY_SLOS.includes(s.id)), ...memorySlos] });
  const endS = current.window.to;

  it('the SLO is a gauge-trend of the live heap over every pod, holding connections, inside the replay', () => {
    expect(current).toMatchObject({ kind: 'gauge-trend', metric: 'pod.heapLiveMb', per: 'all', holding: 'connections' });
  });

  it('no leak: the server as it is holds, every SLO passes', async () => {
    const { plan, text } = await recorded(clean);
    const { judgement: j } = await judgeText(withCurrentSlos(plan), text);
    expect(j.verdict).toMatchObject({ status: 'held', met: true });
    const slo = j.slos.find((s) => s.id === SLO_ID)!;
    expect(slo.status, slo.detail).toBe('pass');
    expect(slo.detail).toMatch(/all pods: [-+]\d+\.\d+ over \d+\+ samples per pod holding connections \(\d+-\d+ per pod\)/);
    // Churn really ran in the window, and none of it counted as a drop.
    const m = j.observation.metrics;
    expect(m.counterTotal('connections.churned', undefined, current.window)).toBeGreaterThan(churnedInWindow);
    expect(m.counterTotal('connections.dropped')).toBe(0);
  });

  it('leak (mutation 04): the same replay breaks memory-under-churn, and only memory SLOs', async () => {
    const { plan, text } = await recorded(leak);
    const { judgement: j } = await judgeText(withCurrentSlos(plan), text);
    const slo = j.slos.find((s) => s.id === SLO_ID)!;
    expect(slo.status, slo.detail).toBe('fail');
    expect(j.verdict.status).toBe('broken');
    const broken = j.slos.filter((s) => s.status !== 'pass').map((s) => s.id);
    expect(broken).toContain(SLO_ID);
    for (const id of broken) expect(MEMORY_SLOS).toContain(id);
  });

  it('clients that churned moving from one pod to another across the window (a ramp on both, the total level): still judged, leak or not', async () => {
    // What a replay can bring: after the last weight step, churned clients keep landing on another
    // pod than the one they left. Replayed here by moving connections at a steady rate from the
    // busiest pod of the window to another (up to 80% of what the busiest held at its lowest), each
    // carrying its share of both memory gauges.
    const inWindow = (e: HistoryEvent) => e.t / 1000 >= current.window.from && e.t / 1000 < endS;
    const lowest = new Map<string, number>();
    for (const line of linesOf((await recorded(clean)).text)) {
      const e = JSON.parse(line) as HistoryEvent;
      if (e.type === 'pod.sample' && e.connections && inWindow(e)) lowest.set(e.pod, Math.min(lowest.get(e.pod) ?? Infinity, e.connections.ws ?? 0));
    }
    const [[from, least], [to]] = [...lowest].sort((a, b) => b[1] - a[1]) as [[string, number], [string, number]];
    const perS = (0.8 * least) / (endS - current.window.from);
    expect(perS).toBeGreaterThan(1);
    const moved = (d: number, e: HistoryEvent): HistoryEvent => {
      if (e.type !== 'pod.sample' || (e.pod !== from && e.pod !== to) || !e.connections || !inWindow(e)) return e;
      const n = Math.round(perS * (e.t / 1000 - current.window.from)) * (e.pod === from ? -1 : 1);
      return { ...e, connections: { ...e.connections, ws: (e.connections.ws ?? 0) + n }, memoryMb: (e.memoryMb ?? 0) + n * 0.02, ...(e.heapLiveMb !== undefined ? { heapLiveMb: e.heapLiveMb + n * d } : {}) };
    };
    for (const [run, status] of [
      [clean, 'pass'],
      [leak, 'fail'],
    ] as const) {
      const { plan, text } = await recorded(run);
      const { judgement: j } = await judgeText(withCurrentSlos(plan), edit(text, (e) => moved(0.005, e)));
      const slo = j.slos.find((s) => s.id === SLO_ID)!;
      expect(slo.status, `${run}: ${slo.detail}`).toBe(status);
      expect(slo.detail).toMatch(new RegExp(`holding connections of the group together \\(\\d+-\\d+ in all, r=[-0-9.]+\\): they moved between its pods \\((${from}|${to}) r=`));
    }
  });

  it('leak, but the pod sampler stopped in the window: a breach already seen stays a breach', async () => {
    const { plan, text } = await recorded(leak);
    const { judgement: j } = await judgeText(withCurrentSlos(plan), keep(text, (e) => !(e.type === 'pod.sample' && e.t >= (endS - 10) * 1000)));
    expect(j.slos.find((s) => s.id === SLO_ID)!.status).toBe('fail');
  });

  it('no leak, but the pod sampler stopped in the window: unknown, never held', async () => {
    const { plan, text } = await recorded(clean);
    const { judgement: j } = await judgeText(withCurrentSlos(plan), keep(text, (e) => !(e.type === 'pod.sample' && e.t >= (endS - 10) * 1000)));
    const slo = j.slos.find((s) => s.id === SLO_ID)!;
    expect(slo.status).toBe('unknown');
    // Unknown either way: the sampler's silence, or too few samples left for some pod.
    expect(slo.detail).toMatch(/signal not observed: the pod sampler stopped: no pod sample for \d+\.\d s|reported \d+ samples in the window, fewer than \d+/);
    expect(j.verdict.status).toBe('inconclusive');
  });

  it('no leak, but the pods stopped sampling their live heap early in the window: too few samples is unknown', async () => {
    const { plan, text } = await recorded(clean);
    const cut = (current.window.from + 10) * 1000;
    // The sampler still runs (working set, connections); only the live heap goes quiet.
    const quiet = edit(text, (e) => (e.type === 'pod.sample' && e.t >= cut && e.heapLiveMb !== undefined ? (({ heapLiveMb: _gone, ...rest }) => rest)(e) : e));
    const { judgement: j } = await judgeText(withCurrentSlos(plan), quiet);
    const slo = j.slos.find((s) => s.id === SLO_ID)!;
    expect(slo.status).toBe('unknown');
    expect(slo.detail).toMatch(new RegExp(`reported \\d samples in the window, fewer than ${current.minSamples}`));
  });
});
