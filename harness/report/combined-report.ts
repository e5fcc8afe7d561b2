import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { seconds, sloValue } from './format.ts';
import { chartFigure, esc, htmlPage, ZOOM_HINT, type ChartSpec } from './html-page.ts';
import type { RunReport, VariantReport } from './report-data.ts';
import { sloOutcome } from './slo-outcome.ts';

// combined-report.html, per scenario: "what did the remediation change?". The variants of one
// scenario side by side: every chart with each variant's series on the same axes (incident solid, the
// others dashed), the SLO table with the variants' values in adjacent columns, and the differences
// between their timelines (actions only one variant ran, moved, or that ended differently) and alerts.

export const COMBINED_FILE = 'combined-report.html';

export interface CombinedVariant {
  runId: string;
  /** The run's own report.html, relative to the combined report. */
  href: string | null;
  variant: VariantReport;
}

const ORDER = (v: string) => (v === 'incident' ? 0 : v === 'remediated' ? 1 : 2);
const palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

export function combinedVariants(runs: readonly { report: RunReport; href: string | null }[]): CombinedVariant[] {
  return runs.flatMap((r) => r.report.variants.map((variant) => ({ runId: r.report.runId, href: r.href, variant }))).sort((a, b) => ORDER(a.variant.variant) - ORDER(b.variant.variant));
}

/** One chart per chart id any variant drew; series keep one colour per label across variants. */
export function combinedCharts(vs: readonly CombinedVariant[]): ChartSpec[] {
  const length = Math.max(...vs.map((v) => v.variant.durationS));
  const x = Array.from({ length }, (_, i) => i);
  const ids: string[] = [];
  for (const v of vs) for (const c of v.variant.charts) if (!ids.includes(c.id)) ids.push(c.id);
  const marks = vs
    .flatMap((v) => v.variant.marks.map((m) => ({ x: m.t, label: `${v.variant.variant}: ${m.label}`, kind: m.kind })))
    .sort((a, b) => a.x - b.x)
    .map((m, i) => ({ ...m, n: i + 1 }));
  return ids.map((id) => {
    const charts = vs.map((v) => v.variant.charts.find((c) => c.id === id));
    const first = charts.find((c) => c !== undefined)!;
    const labels: string[] = [];
    for (const c of charts) for (const s of c?.series ?? []) if (!labels.includes(s.label)) labels.push(s.label);
    const lines = charts.flatMap((c) => c?.lines ?? []).filter((l, i, all) => all.findIndex((o) => o.value === l.value && o.label === l.label) === i);
    return {
      id: `combined-${id}`,
      title: first.title,
      hint: `${first.hint} Solid: ${vs[0]!.variant.variant}; dashed: ${vs.slice(1).map((v) => v.variant.variant).join(', ')}.`,
      xLabel: 'replay second',
      yLabel: first.unit,
      x,
      series: vs.flatMap((v, vi) =>
        (charts[vi]?.series ?? []).map((s) => ({
          label: `${v.variant.variant}: ${s.label}`,
          values: Array.from({ length }, (_, i) => s.values[i] ?? null),
          color: palette[labels.indexOf(s.label) % palette.length],
          dash: vi > 0,
          ...(vi > 0 ? { width: 1.5 } : {}),
        })),
      ),
      lines,
      marks,
      height: 300,
    };
  });
}

export interface TimelineDifference {
  kind: 'only' | 'changed' | 'alert';
  text: string;
}

type Action = VariantReport['actions'][number];
// Actions pair up by what they do to what; their labels may differ between variants.
const actionKey = (a: Action) => `${a.type} ${a.target}`;
const outcomeOf = (a: Action) => (a.failedAtS !== null ? `failed at ${seconds(a.failedAtS)}` : a.appliedAtS !== null ? `applied at ${seconds(a.appliedAtS)}` : 'never confirmed');
const describe = (a: Action) => `#${a.index + 1} at ${a.at} s: ${a.label} (${a.type} → ${a.target})`;

/** Pairs actions of two timelines by a longest common subsequence of type and target. */
function align(a: readonly Action[], b: readonly Action[]): [Action | null, Action | null][] {
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = actionKey(a[i]!) === actionKey(b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: [Action | null, Action | null][] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && actionKey(a[i]!) === actionKey(b[j]!)) out.push([a[i++]!, b[j++]!]);
    else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push([a[i++]!, null]);
    else out.push([null, b[j++]!]);
  }
  return out;
}

/** What differs between the first variant's timeline and another's. */
export function timelineDifferences(base: VariantReport, other: VariantReport): TimelineDifference[] {
  const out: TimelineDifference[] = [];
  for (const [x, y] of align(base.actions, other.actions)) {
    if (x && !y) out.push({ kind: 'only', text: `only in ${base.variant}: ${describe(x)}, ${outcomeOf(x)}` });
    else if (!x && y) out.push({ kind: 'only', text: `only in ${other.variant}: ${describe(y)}, ${outcomeOf(y)}` });
    else if (x && y) {
      const ok = (a: Action) => (a.failedAtS !== null ? 'failed' : a.appliedAtS !== null ? 'applied' : 'unconfirmed');
      const parts = [
        ...(x.label !== y.label ? [`"${x.label}" in ${base.variant}, "${y.label}" in ${other.variant}`] : []),
        ...(x.at !== y.at ? [`planned at ${x.at} s in ${base.variant}, ${y.at} s in ${other.variant}`] : []),
        ...(ok(x) !== ok(y) ? [`${outcomeOf(x)} in ${base.variant}, ${outcomeOf(y)} in ${other.variant}`] : []),
      ];
      if (parts.length) out.push({ kind: 'changed', text: `${x.type} → ${x.target}: ${parts.join('; ')}` });
    }
  }
  const fired = (v: VariantReport) => new Map(v.alerts.map((a) => [a.alert, a.firedAtS] as const));
  const fa = fired(base);
  const fb = fired(other);
  for (const [alert, t] of fa) if (!fb.has(alert)) out.push({ kind: 'alert', text: `alert ${alert} fired in ${base.variant} at ${seconds(t)}, never in ${other.variant}` });
  for (const [alert, t] of fb) if (!fa.has(alert)) out.push({ kind: 'alert', text: `alert ${alert} fired in ${other.variant} at ${seconds(t)}, never in ${base.variant}` });
  return out;
}

function sloTable(vs: readonly CombinedVariant[]): string {
  const ids: { id: string; title: string }[] = [];
  for (const v of vs) for (const s of v.variant.slos) if (!ids.some((x) => x.id === s.id)) ids.push({ id: s.id, title: s.title });
  const head = `<tr><th>SLO</th><th>threshold</th>${vs.map((v) => `<th class="a" colspan="2">${esc(v.variant.variant)}</th>`).join('')}</tr>`;
  const rows = ids.map(({ id, title }) => {
    const per = vs.map((v) => v.variant.slos.find((s) => s.id === id));
    const thresholds = [...new Set(per.filter((s) => s).map((s) => s!.threshold))];
    const cells = vs.map((v, i) => {
      const s = per[i];
      if (!s) return '<td class="a">not judged</td><td></td>';
      const o = sloOutcome(v.variant.expectation, s);
      return `<td class="num a">${esc(sloValue(s.value, s.unit))}</td><td class="${s.status}" title="${esc(`${o.ask}: ${o.verdict}`)}">${s.status}${o.verdict === 'NOT as expected' ? ' ✘' : ''}</td>`;
    });
    return `<tr data-slo="${esc(id)}"><td><strong>${esc(title)}</strong><br><span class="mono">${esc(id)}</span></td><td class="mono">${esc(thresholds.join(' / '))}</td>${cells.join('')}</tr>`;
  });
  return `<table class="slos compare"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

export function renderCombinedHtml(scenario: RunReport['scenario'], vs: readonly CombinedVariant[]): string {
  if (vs.length < 2) throw new Error(`a combined report needs two variants or more of ${scenario.id}; got ${vs.length}`);
  const charts = combinedCharts(vs);
  const base = vs[0]!.variant;
  const diffs = vs.slice(1).flatMap((v) => timelineDifferences(base, v.variant));
  const marks = charts[0]?.marks ?? [];
  const runs = vs.map((v) => `<li>${esc(v.variant.variant)}: <span class="badge ${v.variant.verdict.status}">${v.variant.verdict.status}</span> ${v.variant.verdict.met ? '<span class="met">as expected</span>' : '<span class="unmet">not as expected</span>'} · run ${v.href ? `<a href="${esc(v.href)}">${esc(v.runId)}</a>` : `<code>${esc(v.runId)}</code>`}</li>`);
  const body = `<h1>${esc(scenario.title)}: the variants side by side</h1>
<p class="meta">scenario <code>${esc(scenario.id)}</code> · replays postmortem <code>${esc(scenario.postmortem)}</code></p>
<div class="summary"><p>${esc(scenario.summary)}</p><ul id="combined-runs">${runs.join('')}</ul></div>
<h2>SLOs</h2>
${sloTable(vs)}
<h2>What the timelines did differently</h2>
${diffs.length ? `<ul id="timeline-differences">${diffs.map((d) => `<li class="${d.kind}">${esc(d.text)}</li>`).join('')}</ul>` : '<p id="timeline-differences">The variants ran the same actions with the same outcomes, and the same alerts fired.</p>'}
<h2>On the same axes</h2>
<p class="meta">Solid lines: ${esc(base.variant)}; dashed: ${esc(vs.slice(1).map((v) => v.variant.variant).join(', '))}. The numbers on the charts are the marks listed below them. ${ZOOM_HINT}</p>
<div class="charts">${charts.map((c) => chartFigure({ id: c.id, title: c.title, hint: c.hint, unit: c.yLabel })).join('')}</div>
${charts.length === 0 ? '<p>No time series were recorded.</p>' : ''}
<ol class="marks">${marks.map((m) => `<li value="${m.n}" class="${m.kind}"><span class="num">${seconds(m.x)}</span> ${esc(m.label)}</li>`).join('')}</ol>`;
  return htmlPage({ title: `${scenario.title} — variants side by side`, body, groups: [{ sync: 'combined', charts }] });
}

/** Writes `<scenarioDir>/combined-report.html` for runs of one scenario; the run dirs are its children. */
export async function writeCombinedReport(scenarioDir: string, runs: readonly { report: RunReport; runDir: string }[]): Promise<string> {
  const scenario = runs[0]!.report.scenario;
  const file = join(scenarioDir, COMBINED_FILE);
  const vs = combinedVariants(runs.map((r) => ({ report: r.report, href: relative(scenarioDir, join(r.runDir, 'report.html')) })));
  await writeFile(file, renderCombinedHtml(scenario, vs));
  return file;
}

/**
 * A combined report for every scenario with two variants or more among `runs`, in the folder
 * `folderOf` gives for its run directories (`<out>/<scenario>/`); returns scenario → file.
 */
export async function writeCombinedReports(runs: readonly { report: RunReport; runDir: string }[], folderOf: (runDir: string) => string): Promise<Map<string, string>> {
  const byScenario = new Map<string, { report: RunReport; runDir: string }[]>();
  for (const r of runs) byScenario.set(r.report.scenario.id, [...(byScenario.get(r.report.scenario.id) ?? []), r]);
  const out = new Map<string, string>();
  for (const [scenario, list] of byScenario) {
    if (list.length < 2) continue;
    out.set(scenario, await writeCombinedReport(folderOf(list[0]!.runDir), list));
  }
  return out;
}
