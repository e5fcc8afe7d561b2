import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import type { ResolvedScenario } from '../scenario/scenario-schema.ts';
import { exitCodeFor } from '../platform/exit-codes.ts';
import { withLoadInstances } from '../plan/k6-runs.ts';
import { k6ProcessName } from '../scenario/k6-runs.ts';
import { withK6Aggregated } from './fixtures/aggregate-k6.ts';
import { judgeText, linesOf, recorded } from './fixtures/recorded.ts';
import type { VariantJudgement } from './judge.ts';

// Unknown is a verdict: recorded remediated runs that held, cut or edited the ways real runs end
// badly (SIGKILL, a full disk, `head -n`, a stuck probe, a stopped sampler, k6 dying early). Each must
// come out unknown (inconclusive, exit 1), never held.

const INCOMPLETE = /^history incomplete \(ends at t=(\d+\.\d)s of (\d+)s\)$/;

function expectUnknown(j: VariantJudgement): void {
  expect(j.verdict.status).toBe('inconclusive');
  expect(j.verdict.met).toBe(false);
  expect(exitCodeFor([j.verdict])).toBe(1);
}

/** Keep the lines whose event passes the filter (the text stays complete, run.ended included). */
const keep = (text: string, pass: (e: HistoryEvent) => boolean) =>
  linesOf(text)
    .filter((l) => pass(JSON.parse(l) as HistoryEvent))
    .map((l) => `${l}\n`)
    .join('');

const head = (text: string, n: number) => linesOf(text).slice(0, n).map((l) => `${l}\n`).join('');
const lineIndex = (text: string, test: (e: HistoryEvent) => boolean) => linesOf(text).findIndex((l) => test(JSON.parse(l) as HistoryEvent));
const lastT = (text: string) => Math.max(...linesOf(text).map((l) => (JSON.parse(l) as HistoryEvent).t));

describe('recorded remediated runs, untouched, hold (so every cut below is meaningful)', () => {
  it('connection-limit/remediated: held, history complete, every fault applied', async () => {
    const { plan, text } = await recorded('connection-limit-remediated');
    const { judgement: j } = await judgeText(plan, text);
    expect(j.incomplete).toBeUndefined();
    expect(j.observation.ended).toMatchObject({ type: 'run.ended', plannedDurationS: 75 });
    expect(j.verdict).toMatchObject({ status: 'held', met: true, reasons: ['every SLO held'] });
    expect(j.slos.map((s) => s.status)).toEqual(plan.slos.map(() => 'pass'));
  });

  it('keepalive-desync/remediated: held (k6 stream and REST probes covered)', async () => {
    const { plan, text } = await recorded('keepalive-desync-remediated');
    const { judgement: j } = await judgeText(plan, text);
    expect(j.verdict).toMatchObject({ status: 'held', met: true });
  });
});

describe('a truncated history is unknown, never held', async () => {
  const { plan, text } = await recorded('connection-limit-remediated');
  const lines = linesOf(text);
  const firstFault = lineIndex(text, (e) => e.type === 'action.applied');
  const lastFault = lines.length - 1 - [...lines].reverse().findIndex((l) => l.includes('"type":"action.applied"'));
  const cuts: [string, string][] = [
    ['mid-line (a write cut short)', text.slice(0, text.indexOf('\n', Math.floor(text.length * 0.6)) - 17)],
    ['at a line boundary (head -n 250)', head(text, 250)],
    ['before the first fault took effect', head(text, firstFault)],
    ['after the last fault took effect', head(text, lastFault + 20)],
    ['after the final pod evidence, only run.ended missing', head(text, lines.length - 1)],
  ];

  it('the cut points are where they claim to be', () => {
    expect(firstFault).toBeGreaterThan(0);
    expect(lastFault).toBeGreaterThan(firstFault);
    expect(cuts[0]![1].endsWith('\n')).toBe(false);
    expect(lines.at(-1)).toContain('"type":"run.ended"');
  });

  for (const [name, cut] of cuts) {
    it(`cut ${name}: inconclusive with "history incomplete", no SLO passes`, async () => {
      const { judgement: j } = await judgeText(plan, cut);
      expectUnknown(j);
      const m = INCOMPLETE.exec(j.verdict.reasons[0]!);
      expect(m, j.verdict.reasons[0]).not.toBeNull();
      expect(Number(m![2])).toBe(75);
      expect(Number(m![1])).toBeLessThanOrEqual(Math.ceil(j.observation.endMs / 100) / 10);
      expect(j.slos.filter((s) => s.status === 'pass').map((s) => s.id)).toEqual([]);
    });
  }

  it('a torn last line ends the history where the cut is (it is reported, not a crash)', async () => {
    const cut = cuts[0]![1];
    const { judgement: j, tornLine } = await judgeText(plan, cut);
    expect(tornLine).toBe(linesOf(cut).length);
    expect(j.observation.events).toBe(linesOf(cut).length - 1);
    expect(j.incomplete).toBe(`history incomplete (ends at t=${(lastT(head(cut, linesOf(cut).length - 1)) / 1000).toFixed(1)}s of 75s)`);
  });

  it('a cut before the first fault also says the faults never took effect', async () => {
    const { judgement: j } = await judgeText(plan, cuts[2]![1]);
    expect(j.verdict.reasons.filter((r) => r.startsWith('the fault never took effect: '))).toHaveLength(plan.timeline.length);
  });
});

describe('a signal source that went silent makes the SLOs reading it unknown', () => {
  it('a probe that sent nothing for 10 s: its delivery SLOs are unknown, the others still judged', async () => {
    const { plan, text } = await recorded('connection-limit-remediated');
    const silent = keep(text, (e) => !((e.type === 'probe.sent' || e.type === 'probe.received') && e.probe === 'new-ws' && e.t >= 30_000 && e.t < 40_000));
    const { judgement: j } = await judgeText(plan, silent);
    expectUnknown(j);
    const byId = new Map(j.slos.map((s) => [s.id, s]));
    for (const id of ['ws-latency', 'probe-lost']) {
      expect(byId.get(id)!.status).toBe('unknown');
      expect(byId.get(id)!.detail).toMatch(/signal not observed: probe new-ws sent nothing for 10\.\d s \(t=29\.\d-40\.\d s\)/);
    }
    // The xhr probes never stopped: their latency SLOs still pass.
    expect(byId.get('streaming-latency')!.status).toBe('pass');
    expect(byId.get('fallback-latency')!.status).toBe('pass');
  });

  it('a pod sampler that stopped at 40 s: a gauge SLO over pods is unknown (no sample carried past the last)', async () => {
    const { plan: recordedPlan, text } = await recorded('connection-limit-remediated');
    // Re-judged with one more SLO, as `harness report --scenario` would: no pod ever unhealthy.
    const plan: ResolvedScenario = {
      ...recordedPlan,
      slos: [...recordedPlan.slos, { id: 'pods-healthy', title: 'Unhealthy pods', why: 'a remediated roll-out keeps every pod ready', kind: 'gauge', metric: 'pods.unhealthy', threshold: 'max==0' }],
    };
    const full = (await judgeText(plan, text)).judgement;
    expect(full.slos.find((s) => s.id === 'pods-healthy')!.status).toBe('pass');
    expect(full.verdict.status).toBe('held');

    const stopped = (await judgeText(plan, keep(text, (e) => !(e.type === 'pod.sample' && e.t >= 40_000)))).judgement;
    expectUnknown(stopped);
    const slo = stopped.slos.find((s) => s.id === 'pods-healthy')!;
    expect(slo.status).toBe('unknown');
    expect(slo.detail).toMatch(/signal not observed: the pod sampler stopped: no pod sample for 3[45]\.\d s \(t=39\.\d-75\.0 s\)/);
    expect(stopped.observation.metrics.gauge('pods.unhealthy').slice(41, 75).every((v) => v === null)).toBe(true);
  });

  it('a k6 stream that ended at 30 s of a planned 36 s: the k6 SLO judged over [20 s, 40 s) is unknown', async () => {
    const { plan, text } = await recorded('keepalive-desync-remediated');
    const { judgement: j } = await judgeText(plan, keep(text, (e) => !(e.type === 'k6.point' && e.t >= 30_000)));
    expectUnknown(j);
    const slo = j.slos.find((s) => s.id === 'k6-unexpected')!;
    expect(slo.status).toBe('unknown');
    expect(slo.detail).toMatch(/the k6 stream ended early: no k6 point for 6\.\d s \(t=29\.\d-36\.0 s\)/);
  });
});

describe('a k6 run split over processes: each process must be heard to its run\'s end', async () => {
  // The recorded keepalive-desync stream (rest-publish.ts, one run of 36 s) as if it had run as two
  // processes: samples alternate between them, each process named as the replay names it.
  const { plan: recordedPlan, text } = await recorded('keepalive-desync-remediated');
  const plan = withLoadInstances(recordedPlan, 2);
  const instanceOf = new Map<HistoryEvent, number>();
  let n = 0;
  const events = linesOf(text).map((l) => JSON.parse(l) as HistoryEvent);
  for (const e of events) if (e.type === 'k6.point') instanceOf.set(e, (n++ % 2) + 1);
  const named = (kept: readonly HistoryEvent[]) =>
    withK6Aggregated(kept, (e) => k6ProcessName('load.k6[0]', instanceOf.get(e)))
      .map((e) => `${JSON.stringify(e)}\n`)
      .join('');
  const secondStopsAt25 = events.filter((e) => !(e.type === 'k6.point' && instanceOf.get(e) === 2 && e.t >= 25_000));

  it('both processes heard to the end: held', async () => {
    expect(n).toBeGreaterThan(1000);
    const { judgement: j } = await judgeText(plan, named(events));
    expect(j.observation.sources.filter((r) => r.kind === 'k6').map((r) => r.id)).toEqual(['k6', 'load.k6[0]#1', 'load.k6[0]#2']);
    expect(j.verdict).toMatchObject({ status: 'held', met: true });
  });

  it('process 2 silent from 25 s while process 1 goes on: the k6 SLOs are unknown, naming process 2', async () => {
    const { judgement: j } = await judgeText(plan, named(secondStopsAt25));
    expectUnknown(j);
    const slo = j.slos.find((s) => s.id === 'k6-unexpected')!;
    expect(slo.status).toBe('unknown');
    expect(slo.detail).toMatch(/the k6 stream ended early: no point from k6 process load\.k6\[0\]#2 for 1\d\.\d s \(t=2[45]\.\d-36\.0 s\)/);
  });

  it('the same cut in a history that does not name processes is judged on the stream as a whole, which process 1 kept alive', async () => {
    const unnamed = withK6Aggregated(secondStopsAt25).map((e) => `${JSON.stringify(e)}\n`).join('');
    const { judgement: j } = await judgeText(plan, unnamed);
    expect(j.observation.sources.filter((r) => r.kind === 'k6').map((r) => r.id)).toEqual(['k6']);
    expect(j.verdict.status).toBe('held');
  });
});

describe('an expected fault must be seen to take effect', () => {
  it('a shift with no action.applied, or one that failed: the remediated variant is unknown', async () => {
    const { plan, text } = await recorded('connection-limit-remediated');
    const noEvidence = keep(text, (e) => !(e.type === 'action.applied' && e.index === 2));
    const a = (await judgeText(plan, noEvidence)).judgement;
    expectUnknown(a);
    expect(a.verdict.reasons).toEqual(['the fault never took effect: #2 weights.shift edge (planned at 33 s) has no action.applied']);
    expect(a.verdict.evidenceGaps).toEqual(a.verdict.reasons);
    expect(a.slos.every((s) => s.status === 'pass')).toBe(true);

    const failed = linesOf(text)
      .map((l) => {
        const e = JSON.parse(l) as HistoryEvent;
        if (e.type !== 'action.applied' || e.index !== 2) return l;
        return JSON.stringify({ type: 'action.failed', t: e.t, index: 2, action: e.action, target: e.target, error: 'HAProxy runtime API refused the weight' });
      })
      .join('\n');
    const b = (await judgeText(plan, `${failed}\n`)).judgement;
    expectUnknown(b);
    expect(b.verdict.reasons).toEqual(['the fault never took effect: #2 weights.shift edge (planned at 33 s) failed: HAProxy runtime API refused the weight']);
  });
});
