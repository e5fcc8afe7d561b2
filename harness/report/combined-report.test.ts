import { describe, expect, it } from 'vitest';
import { parse } from 'node-html-parser';
import { combinedCharts, combinedVariants, renderCombinedHtml, timelineDifferences } from './combined-report.ts';
import { sampleReport } from './fixtures/sample-run.ts';
import type { RunReport } from './report-data.ts';

/** The sample run split as `harness run` writes it: one report per variant. */
async function perVariant(): Promise<RunReport[]> {
  const r = await sampleReport();
  return r.variants.map((v) => ({ ...r, runId: `run-${v.variant}`, variants: [v] }));
}

describe('combined report', () => {
  it('draws each chart once, both variants on the same axes: one colour per series, the remediation dashed', async () => {
    const [incident, remediated] = await perVariant();
    const vs = combinedVariants([{ report: remediated!, href: null }, { report: incident!, href: 'i/report.html' }]);
    expect(vs.map((v) => v.variant.variant)).toEqual(['incident', 'remediated']);
    const charts = combinedCharts(vs);
    expect(charts.map((c) => c.id)).toEqual(incident!.variants[0]!.charts.map((c) => `combined-${c.id}`));
    const byDeployment = charts[0]!;
    expect(byDeployment.series.map((s) => [s.label, s.color, s.dash])).toEqual([
      ['incident: new', '#2563eb', false],
      ['incident: old', '#dc2626', false],
      ['incident: all pods', '#16a34a', false],
      ['remediated: new', '#2563eb', true],
      ['remediated: old', '#dc2626', true],
      ['remediated: all pods', '#16a34a', true],
    ]);
    expect(byDeployment.series.every((s) => s.values.length === byDeployment.x.length)).toBe(true);
    // Marks of both variants, numbered in time order, named by variant.
    expect(byDeployment.marks.map((m) => m.n)).toEqual(byDeployment.marks.map((_, i) => i + 1));
    expect(byDeployment.marks.map((m) => m.label)).toContain('remediated: #2 pod.kill new/0');
  });

  it('lists what the timelines did differently: actions only one ran, moved, ended otherwise, and alerts', async () => {
    const [incident, remediated] = await perVariant();
    const a = incident!.variants[0]!;
    const b = structuredClone(remediated!.variants[0]!);
    expect(timelineDifferences(a, b).filter((d) => d.kind !== 'alert')).toEqual([]);
    b.actions[0] = { ...b.actions[0]!, at: 7 };
    b.actions[1] = { ...b.actions[1]!, appliedAtS: null, failedAtS: 10.2, error: 'no such pod' };
    expect(timelineDifferences(a, { ...b, actions: [{ ...b.actions[0]!, label: 'shift to old' }] }).map((d) => d.text)[0]).toBe('weights.shift → edge: "weights.shift edge" in incident, "shift to old" in remediated; planned at 5 s in incident, 7 s in remediated');
    b.actions.push({ ...b.actions[1]!, index: 2, label: 'restart new/0', type: 'pod.restart', appliedAtS: 20, failedAtS: null });
    const diff = timelineDifferences(a, b).map((d) => `${d.kind}: ${d.text}`);
    expect(diff).toEqual([
      'changed: weights.shift → edge: planned at 5 s in incident, 7 s in remediated',
      'changed: pod.kill → new/0: applied at 10.1 s in incident, failed at 10.2 s in remediated',
      'only: only in remediated: #3 at 10 s: restart new/0 (pod.restart → new/0), applied at 20.0 s',
      'alert: alert connect-failures fired in incident at 13.0 s, never in remediated',
    ]);
  });

  it('puts both variants\' SLO values in adjacent columns', async () => {
    const [incident, remediated] = await perVariant();
    const html = parse(renderCombinedHtml(incident!.scenario, combinedVariants([{ report: incident!, href: null }, { report: remediated!, href: null }])));
    const row = html.querySelector('table.compare tr[data-slo="conn-success"]')!;
    expect(row.querySelectorAll('td').map((td) => td.text.replace(/\s+/g, ' ').trim())).toEqual(['Connection success conn-success', 'rate>=0.99', '0.8750', 'fail', '1', 'pass']);
    // An SLO only one variant judges says so for the other.
    expect(html.querySelector('table.compare tr[data-slo="ws-probe-duplicated"]')!.text).toContain('not judged');
  });

  it('needs two variants', async () => {
    const [incident] = await perVariant();
    expect(() => renderCombinedHtml(incident!.scenario, combinedVariants([{ report: incident!, href: null }]))).toThrow(/needs two variants/);
  });
});
