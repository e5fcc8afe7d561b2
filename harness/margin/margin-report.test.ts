import { describe, expect, it } from 'vitest';
import tinyMargin from './fixtures/tiny-margin.ts';
import { resolveVariant, validateScenario } from '../scenario/resolve.ts';
import { marginCharts, renderMarginHtml } from './margin-html.ts';
import { renderMarginMarkdown } from './margin-markdown.ts';
import { buildMarginReport, marginStatement, noiseText } from './margin-report.ts';
import type { SearchResult } from './search.ts';
import { point, run, slo } from './testing.ts';

const scenario = resolveVariant(validateScenario(tinyMargin, 'harness/margin/fixtures/tiny-margin.ts'), 'remediated');
const axis = scenario.axes[0]!;
const ok = (f: number, v: number) => run(f, 'met', [slo('conn-success', 'pass', v, 'rate>=0.95')]);
const red = (f: number, v: number) => run(f, 'unmet', [slo('conn-success', 'fail', v, 'rate>=0.95')]);

const resolved: SearchResult = {
  metSide: 'low',
  points: [point(1, 'met', [ok(1, 1)]), point(2.5, 'unmet', [red(2.5, 0.4)]), point(1.75, 'unmet', [red(1.75, 0.7)])],
  met: 1,
  unmet: 1.75,
  stop: 'resolved',
  complete: true,
  elapsedMs: 120_000,
};

describe('margin report', () => {
  it('states the margin for each way a search ends, and says when it is partial', () => {
    const r = { min: 1, max: 3 };
    expect(marginStatement({ stop: 'resolved', met: 1.8, unmet: 1.85, complete: true }, 'hold', r)).toBe('holds up to ×1.8 and breaks at ×1.85: margin ×1.8');
    expect(marginStatement({ stop: 'resolved', met: 0.7, unmet: 0.65, complete: true }, 'breach', r)).toBe('still reproduces at ×0.7, not at ×0.65: the incident would have happened at ×0.7');
    expect(marginStatement({ stop: 'met-across-range', met: 3, unmet: null, complete: true }, 'hold', r)).toBe('holds across the whole range: margin ≥ ×3');
    expect(marginStatement({ stop: 'unmet-across-range', met: null, unmet: 1, complete: true }, 'hold', r)).toBe('does not hold even at ×1: margin < ×1');
    expect(marginStatement({ stop: 'budget', met: 1.5, unmet: 2, complete: false }, 'hold', r)).toBe('PARTIAL (the budget ran out): holds at ×1.5, breaks at ×2; the interval is still open');
    expect(marginStatement({ stop: 'undecided', met: 1, unmet: null, complete: false }, 'hold', r)).toMatch(/^PARTIAL \(a point had no majority\): holds at ×1, no factor broken yet/);
  });

  it('says how noise is treated, with the repeat count', () => {
    expect(noiseText(3)).toMatch(/until 2 of its 3 repeats agree.*up to 6 runs/);
    expect(noiseText(1)).toMatch(/run once.*up to 2 runs/);
  });

  it('gathers the margin, the first SLO to break, the SLOs along the axis and the runs in factor order', () => {
    const r = buildMarginReport({ scenario, axis, result: resolved, repeats: 1, budgetS: 300, command: 'harness margin tiny-margin', capacity: null, now: new Date(0) });
    expect(r.margin).toBe(1);
    expect(r.expectation).toBe('hold');
    expect(r.axis.description).toMatch(/clients ×k over the same ramp/);
    expect(r.points.map((p) => p.factor)).toEqual([1, 1.75, 2.5]);
    expect(r.search.runs).toBe(3);
    expect(r.decisive?.slos.map((s) => s.id)).toEqual(['conn-success']);
    expect(r.slos[0]!.points.map((p) => p.value)).toEqual([1, 0.7, 0.4]);
    const partial = buildMarginReport({ scenario, axis, result: { ...resolved, stop: 'budget', complete: false }, repeats: 1, budgetS: 300, command: 'x', capacity: null });
    expect(partial.margin).toBeNull();
  });

  it('renders markdown and HTML with the statement, the decisive SLO, and a chart per SLO over the factors', () => {
    const r = buildMarginReport({ scenario, axis, result: resolved, repeats: 1, budgetS: 300, command: 'harness margin tiny-margin', capacity: null });
    const md = renderMarginMarkdown(r);
    expect(md).toMatch(/\*\*The variant holds up to ×1 and breaks at ×1.75: margin ×1.\*\*/);
    expect(md).toMatch(/`conn-success` \(the conn-success SLO\): failed in 1 of 1 runs: 0.7000 against `rate>=0.95`, past the limit by 0.2500 \(26%\)/);
    expect(md).toMatch(/\| `conn-success` \| `rate>=0.95` \| 1 \| 0.7000 ❌ \| 0.4000 ❌ \|/);
    const charts = marginCharts(r);
    expect(charts).toHaveLength(1);
    expect(charts[0]!.x).toEqual([1, 1.75, 2.5]);
    expect(charts[0]!.series[0]!.values).toEqual([1, 0.7, 0.4]);
    expect(charts[0]!.lines).toEqual([{ value: 0.95, label: 'SLO rate>=0.95' }]);
    expect(charts[0]!.marks.map((m) => [m.x, m.kind])).toEqual([[1, 'action'], [1.75, 'break']]);
    const html = renderMarginHtml(r);
    // The shared page frame and its one chart client: a host per chart, the data as chart-data.
    expect(html).toContain('id="chart-margin-conn-success"');
    const data = JSON.parse(/<script id="chart-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as { groups: { charts: { id: string; x: number[] }[] }[] };
    expect(data.groups[0]!.charts.map((c) => [c.id, c.x])).toEqual([['margin-conn-success', [1, 1.75, 2.5]]]);
    expect(renderMarginHtml({ ...r, search: { ...r.search, complete: false } })).toContain('Partial result');
  });

  it('reports an incident\'s converse: the smallest factor that still reproduces, and the expected breach that went away below it', () => {
    const incident = resolveVariant(validateScenario(tinyMargin, 'harness/margin/fixtures/tiny-margin.ts'), 'incident');
    // conn-success must breach (rate>=0.95 failing); at ×0.5 it no longer does.
    const reproduces = (f: number, v: number) => run(f, 'met', [slo('conn-success', 'fail', v, 'rate>=0.95')]);
    const gone = (f: number, v: number) => run(f, 'unmet', [slo('conn-success', 'pass', v, 'rate>=0.95')]);
    const result: SearchResult = {
      metSide: 'high',
      points: [point(1, 'met', [reproduces(1, 0.3)]), point(0.25, 'unmet', [gone(0.25, 1)]), point(0.625, 'met', [reproduces(0.625, 0.6)]), point(0.5, 'unmet', [gone(0.5, 0.97)])],
      met: 0.625,
      unmet: 0.5,
      stop: 'resolved',
      complete: true,
      elapsedMs: 240_000,
    };
    const r = buildMarginReport({ scenario: incident, axis: incident.axes[0]!, result, repeats: 1, budgetS: 600, command: 'harness margin tiny-margin --variant incident', capacity: null });
    expect(r.expectation).toBe('breach');
    expect(r.mustBreach).toEqual(['conn-success']);
    expect(r.margin).toBe(0.625);
    expect(r.statement).toBe('still reproduces at ×0.625, not at ×0.5: the incident would have happened at ×0.625');
    expect(r.points.map((p) => p.factor)).toEqual([0.25, 0.5, 0.625, 1]);
    expect(r.decisive).toMatchObject({ factor: 0.5, kind: 'stopped-breaching' });
    expect(r.decisive!.slos.map((d) => [d.id, d.value, d.failed, d.judged])).toEqual([['conn-success', 0.97, 0, 1]]);
    const md = renderMarginMarkdown(r);
    expect(md).toMatch(/\*\*The incident still reproduces at ×0.625, not at ×0.5/);
    expect(md).toMatch(/### First expected breach to go away \(at ×0.5\)/);
    expect(md).toMatch(/`conn-success` \(the conn-success SLO\): no longer breached in 1 of 1 runs: 0.9700 against `rate>=0.95`, inside the limit by 0.0200/);
    const html = renderMarginHtml(r);
    expect(html).toContain('the lowest factor at which the incident reproduced (dashed)');
    expect(marginCharts(r)[0]!.marks.map((m) => [m.x, m.label])).toEqual([[0.625, 'reproduces ×0.625'], [0.5, 'does not reproduce ×0.5']]);
  });
});
