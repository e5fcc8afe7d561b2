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

describe('judgeVariant (history -> verdict)', () => {
  it('incident: rejections after the kill breach connection success and are detected -> reproduced', async () => {
    const h = MemoryHistory.of(
      byTime([
        { type: 'run.meta', t: 0, runId: 'r1', scenarioId: 'tiny', variant: 'incident', seed: 7, startedAt: '2026-11-21T10:00:00Z' },
        ...connects({ seconds: 30, perS: 20, deployment: 'new', fail: (s) => (s >= 10 && s < 25 ? 5 : 0) }),
        ...probes(30, () => false),
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
    const clean = byTime([...connects({ seconds: 30, perS: 20, deployment: 'new' }), ...probes(30, () => false)]);
    expect((await judgeVariant(scenario.resolved.remediated!, clean)).verdict).toMatchObject({ status: 'held', met: true });
    expect((await judgeVariant(scenario.resolved.incident!, clean)).verdict).toMatchObject({ status: 'rotted', met: false });
  });

  it('a history with dropped events cannot pass: passes become unknown, breaches stay', async () => {
    const h = new MemoryHistory({ budgetPerType: 400 });
    for (const e of byTime([...connects({ seconds: 30, perS: 20, deployment: 'new', fail: (s) => (s === 1 ? 20 : 0) }), ...probes(30, () => false)])) h.append(e);
    expect(h.stats().dropped['connect.outcome']).toBe(200);
    const j = await judgeVariant(scenario.resolved.remediated!, h.events(), h.stats());
    expect(j.slos.find((s) => s.id === 'lost')!.status).toBe('unknown');
    expect(j.slos.find((s) => s.id === 'conn-success')!.status).toBe('fail');
    expect(j.warnings[0]).toMatch(/history incomplete: 200 connect.outcome events were dropped/);
    expect(j.verdict.status).toBe('broken');
  });
});
