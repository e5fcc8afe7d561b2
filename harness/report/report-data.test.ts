import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/events.ts';
import tiny from '../scenario/fixtures/tiny.ts';
import { validateScenario } from '../scenario/resolve.ts';
import { judgeVariant } from '../verdict/judge.ts';
import sampleHistory from './fixtures/sample-history.ts';
import { sampleReport } from './fixtures/sample-run.ts';
import { buildVariantReport } from './report-data.ts';

describe('report data', () => {
  it('carries verdicts, SLO values, detections and action evidence per variant', async () => {
    const r = await sampleReport();
    expect(r.exitCode).toBe(0);
    const [incident, remediated] = r.variants;
    expect(incident!.verdict.status).toBe('reproduced');
    expect(remediated!.verdict.status).toBe('held');
    expect(incident!.slos.find((s) => s.id === 'conn-success')).toMatchObject({ status: 'fail', value: 0.875 });
    expect(incident!.detections).toEqual([{ slo: 'detect', alert: 'connect-failures', faultAtS: 10, firedAtS: 13, seconds: 3 }]);
    expect(incident!.actions[1]).toMatchObject({ type: 'pod.kill', target: 'new/0', appliedAtS: 10.12, evidence: { state: 'exited', exitCode: 137, oomKilled: false } });
  });

  it('marks the timeline actions, the fault and the alert firings on the charts', async () => {
    const marks = (await sampleReport()).variants[0]!.marks;
    expect(marks).toEqual([
      { n: 1, t: 5.04, label: '#1 weights.shift edge', kind: 'action' },
      { n: 2, t: 10, label: 'fault (detect)', kind: 'fault' },
      { n: 3, t: 10.12, label: '#2 pod.kill new/0', kind: 'action' },
      { n: 4, t: 13, label: 'alert: connect-failures', kind: 'alert' },
    ]);
  });

  it('charts connections per deployment and transport, failures by reason, latency and memory; leaves out empty ones', async () => {
    const v = (await sampleReport()).variants[0]!;
    expect(v.charts.map((c) => c.id)).toEqual(['connections-deployment', 'connections-transport', 'connect-failures', 'delivery-latency', 'pod-memory', 'pods-unhealthy']);
    const byDeployment = v.charts[0]!;
    expect(byDeployment.series.map((s) => s.label)).toEqual(['new', 'old', 'all pods']);
    // The total is every deployment's pods together, and summary.json's peak is its highest second.
    const total = byDeployment.series[2]!.values;
    expect(total[5]).toBe((byDeployment.series[0]!.values[5] ?? 0) + (byDeployment.series[1]!.values[5] ?? 0));
    expect(v.peakConnections).toBe(Math.max(...total.slice(0, Math.ceil(v.replayS)).map((x) => x ?? 0)));
    expect(byDeployment.series[0]!.values[5]).toBe(54); // new-0 + new-1 (25 ws + 2 xhr each)
    expect(byDeployment.series[0]!.values[15]).toBe(33); // new-0 dead holds nothing; new-1: 25 ws + 8 xhr (fallback grew)
    expect(v.charts[2]!.series.map((s) => s.label)).toEqual(['all attempts', 'close:1006']);
  });

  it('tells the story in short lines; the evidence goes to the tables, not the story', async () => {
    const n = (await sampleReport()).variants[0]!.narrative;
    expect(n[0]).toBe('At 5.0 s: #1 weights.shift edge (evidence below).');
    expect(n).toContain('At 10.1 s: #2 pod.kill new/0 (evidence below).');
    expect(n).toContain('The fault first showed at 10.0 s; alert "connect-failures" fired at 13.0 s, 3.0 s later.');
    expect(n[n.length - 1]).toMatch(/^The incident was reproduced/);
  });
});

describe('report data: SLO lines', () => {
  it('draws p(N) delivery-latency SLOs as horizontal lines on the latency chart', async () => {
    const { buildCharts } = await import('./charts.ts');
    const [incident] = await (await import('./fixtures/sample-run.ts')).sampleJudgements();
    const slo = { id: 'fb', title: 't', why: 'w', kind: 'trend' as const, metric: 'delivery.latency', where: { transport: 'ws' }, threshold: 'p(99)<250', window: undefined };
    const charts = buildCharts(incident!.observation, [slo]);
    expect(charts.find((c) => c.id === 'delivery-latency')!.lines).toEqual([{ value: 250, label: 'SLO p(99)<250 (ws)' }]);
    expect(charts.find((c) => c.id === 'pod-memory')!.lines).toEqual([]);
  });
});

describe('report data: evidence is never cut', () => {
  it('a run busy with log lines keeps every final pod state and gate in the summary; only the log lines are cut', async () => {
    const noisy: HistoryEvent[] = sampleHistory('remediated').flatMap((e): HistoryEvent[] =>
      e.type === 'pod.final' ? [e] : [e, { type: 'log.line', t: e.t, source: 'new-1', stream: 'stderr', line: 'noise', tag: 'noise' }],
    );
    noisy.push({ type: 'gate.checked', t: 29_650, index: 0, action: 'weights.shift', target: 'edge', passed: true, waitedS: 1, detail: 'ok', onFail: 'halt' });
    noisy.sort((a, b) => a.t - b.t);
    // More than the fold keeps (500), so the pods' events come after the log buffer is full.
    expect(noisy.filter((e) => e.type === 'log.line').length).toBeGreaterThan(500);
    const s = validateScenario(tiny, 'harness/scenario/fixtures/tiny.ts');
    const v = buildVariantReport(await judgeVariant(s.resolved.remediated!, noisy));
    expect(v.logs).toHaveLength(100);
    expect(v.evidence.pods.map((p) => p.pod)).toEqual(['old-0', 'new-0', 'new-1']);
    expect(v.evidence.gates).toHaveLength(1);
  });
});
