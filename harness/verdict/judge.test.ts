import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import { MemoryHistory } from '../history/memory-history.ts';
import tiny from '../scenario/fixtures/tiny.ts';
import { validateScenario } from '../scenario/resolve.ts';
import { byTime, connects } from './fixtures/histories.ts';
import { judgeVariant } from './judge.ts';

const scenario = validateScenario(tiny, 'tiny.ts');

function probes(seconds: number, lose: (seq: number) => boolean): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (let seq = 0; seq < seconds; seq++) {
    out.push({ type: 'probe.sent', t: seq * 1000 + 100, probe: 'ws-probe', transport: 'ws', seq });
    if (!lose(seq)) out.push({ type: 'probe.received', t: seq * 1000 + 130, probe: 'ws-probe', transport: 'ws', seq, latencyMs: 30 });
  }
  return out;
}

/** The timeline's two faults taking effect, and the closing event every finished run writes last. */
const applied: HistoryEvent[] = [
  { type: 'action.applied', t: 5040, index: 0, action: 'weights.shift', target: 'edge', evidence: {} },
  { type: 'action.applied', t: 10_100, index: 1, action: 'pod.kill', target: 'new/0', evidence: {} },
];
const ended: HistoryEvent = { type: 'run.ended', t: 30_000, plannedDurationS: 30 };

describe('judgeVariant (history -> verdict)', () => {
  it('incident: rejections after the kill breach connection success and are detected -> reproduced', async () => {
    const h = MemoryHistory.of(
      byTime([
        { type: 'run.meta', t: 0, runId: 'r1', scenarioId: 'tiny', variant: 'incident', seed: 7, startedAt: '2026-11-21T10:00:00Z' },
        ...connects({ seconds: 30, perS: 20, deployment: 'new', fail: (s) => (s >= 10 && s < 25 ? 5 : 0) }),
        ...probes(30, () => false),
        ...applied,
        ended,
      ]),
    );
    const j = await judgeVariant(scenario.resolved.incident!, h.events(), h.stats());
    expect(j.slos.map((s) => [s.id, s.status])).toEqual([
      ['conn-success', 'fail'],
      ['lost', 'pass'],
      ['detect', 'pass'],
    ]);
    expect(j.firings[0]).toMatchObject({ alert: 'connect-failures', firedAtS: 13, resolvedAtS: 26 });
    expect(j.detections).toEqual([{ slo: 'detect', alert: 'connect-failures', faultAtS: 10, firedAtS: 13, seconds: 3 }]);
    expect(j.verdict).toMatchObject({ variant: 'incident', status: 'reproduced', met: true });
  });

  it('remediated: a clean history holds every SLO; the same clean history rots the incident', async () => {
    const clean = byTime([...connects({ seconds: 30, perS: 20, deployment: 'new' }), ...probes(30, () => false), ...applied, ended]);
    expect((await judgeVariant(scenario.resolved.remediated!, clean)).verdict).toMatchObject({ status: 'held', met: true });
    expect((await judgeVariant(scenario.resolved.incident!, clean)).verdict).toMatchObject({ status: 'rotted', met: false });
  });

  it('a history with dropped events cannot pass: passes become unknown, breaches stay', async () => {
    const h = new MemoryHistory({ budgetPerType: 400 });
    for (const e of byTime([...connects({ seconds: 30, perS: 20, deployment: 'new', fail: (s) => (s === 1 ? 20 : 0) }), ...probes(30, () => false), ...applied, ended])) h.append(e);
    expect(h.stats().dropped['connect.outcome']).toBe(200);
    const j = await judgeVariant(scenario.resolved.remediated!, h.events(), h.stats());
    expect(j.slos.find((s) => s.id === 'lost')!.status).toBe('unknown');
    expect(j.slos.find((s) => s.id === 'conn-success')!.status).toBe('fail');
    expect(j.warnings[0]).toMatch(/history incomplete: 200 connect.outcome events were dropped/);
    expect(j.verdict.status).toBe('broken');
  });

  it('a remediated variant whose fault never took effect is unknown, not held', async () => {
    const base = [...connects({ seconds: 30, perS: 20, deployment: 'new' }), ...probes(30, () => false), ended];
    const missing = await judgeVariant(scenario.resolved.remediated!, byTime([...base, applied[0]!]));
    expect(missing.verdict).toMatchObject({ status: 'inconclusive', met: false });
    expect(missing.verdict.reasons[0]).toBe('the fault never took effect: #1 pod.kill new/0 (planned at 10 s) has no action.applied');
    const failed = await judgeVariant(
      scenario.resolved.remediated!,
      byTime([...base, applied[0]!, { type: 'action.failed', t: 10_100, index: 1, action: 'pod.kill', target: 'new/0', error: 'no such container' }]),
    );
    expect(failed.verdict).toMatchObject({ status: 'inconclusive', met: false });
    expect(failed.verdict.reasons[0]).toBe('the fault never took effect: #1 pod.kill new/0 (planned at 10 s) failed: no such container');
  });

  it('a history without run.ended is unknown whatever its SLOs say', async () => {
    const j = await judgeVariant(scenario.resolved.remediated!, byTime([...connects({ seconds: 30, perS: 20, deployment: 'new' }), ...probes(30, () => false), ...applied]));
    expect(j.incomplete).toBe('history incomplete (ends at t=29.9s of 30s)');
    expect(j.verdict).toMatchObject({ status: 'inconclusive', met: false });
    expect(j.verdict.reasons[0]).toBe('history incomplete (ends at t=29.9s of 30s)');
    expect(j.slos.filter((s) => s.status === 'pass')).toEqual([]);
  });
});
