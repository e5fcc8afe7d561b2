import { chartFigure, esc, htmlPage, type ChartSpec } from '../report/html-page.ts';
import { decisiveLine, fmt } from './margin-markdown.ts';
import type { MarginReport } from './margin-report.ts';

// margin.html: one self-contained page in the frame every report shares (html-page.ts: uPlot and the
// one chart client inlined, data embedded): the margin, what decided it, a chart of each SLO's value
// along the axis with its limit, the capacity cross-check, and links to every run's own report.

/** One chart per SLO that had a value somewhere: x is the factor, y the median of the runs there. */
export function marginCharts(r: MarginReport): ChartSpec[] {
  const hold = r.expectation === 'hold';
  const marks = [
    ...(r.search.met === null ? [] : [{ x: r.search.met, label: `${hold ? 'holds' : 'reproduces'} ×${r.search.met}`, kind: 'action' }]),
    ...(r.search.unmet === null ? [] : [{ x: r.search.unmet, label: `${hold ? 'breaks' : 'does not reproduce'} ×${r.search.unmet}`, kind: 'break' }]),
  ];
  const x = r.points.map((p) => p.factor);
  return r.slos
    .filter((s) => s.points.some((p) => p.value !== null))
    .map((s) => {
      const values = s.points.map((p) => p.value);
      return {
        id: `margin-${s.id}`,
        title: `${s.title} (${s.id})`,
        hint: `Median of the runs at each factor; statuses ${s.points.map((p) => `×${p.factor}: ${p.statuses.join('/') || '—'}`).join(', ')}.`,
        xLabel: `${r.axis.name} factor`,
        yLabel: s.unit,
        x,
        series: [
          { label: 'median of the runs', values, spanGaps: true },
          { label: 'factors run', values, style: 'points' as const },
        ],
        lines: s.limit === null ? [] : [{ value: s.limit, label: `SLO ${s.threshold}` }],
        marks,
      };
    });
}

export function renderMarginHtml(r: MarginReport): string {
  const charts = marginCharts(r);
  const decisive = r.decisive
    ? `<h2>${r.decisive.kind === 'broke' ? 'First SLO to break' : 'First expected breach to go away'} (at ×${r.decisive.factor})</h2>${
        r.decisive.slos.length === 0
          ? '<p>No single SLO: the runs there were red or inconclusive for reasons outside the SLOs (see the run reports).</p>'
          : `<ul>${r.decisive.slos.map((d) => `<li><span class="mono">${esc(d.id)}</span> (${esc(d.title)}): ${esc(decisiveLine(d, r.decisive!.kind).replace(/`/g, ''))}</li>`).join('')}</ul>`
      }`
    : '';
  const capacity = r.capacity ? `<h2>Capacity model cross-check</h2><p class="${r.capacity.verdict === 'disagrees' ? 'warning' : ''}">${r.capacity.verdict === 'disagrees' ? '<strong>Finding:</strong> ' : ''}${esc(r.capacity.statement)}.</p>` : '';
  const sloRows = r.slos.map(
    (s) => `<tr><td><span class="mono">${esc(s.id)}</span></td><td class="mono">${esc(s.threshold)}</td>${s.points.map((p) => `<td class="num ${p.statuses.includes('fail') ? 'fail' : p.statuses.includes('unknown') ? 'unknown' : 'pass'}">${esc(fmt(p.value))}</td>`).join('')}</tr>`,
  );
  const runRows = r.points.flatMap((p) =>
    p.runs.map((x, i) => `<tr><td class="num">×${p.factor}</td><td>${i === 0 ? p.verdict : ''}</td><td class="num">${i + 1}</td><td>${esc(x.status)}${x.error ? `: ${esc(x.error)}` : ''}</td><td class="num">${x.wallS.toFixed(0)} s</td><td class="mono">${x.runDir ? `<a href="${esc(x.runDir)}/report.html">${esc(x.runDir)}</a>` : '—'}</td></tr>`),
  );
  const body = `<h1>Margin: ${esc(r.scenario.title)}</h1>
<p class="meta">scenario <code>${esc(r.scenario.id)}</code> · variant <code>${esc(r.variant)}</code> · axis <code>${esc(r.axis.name)}</code> (${esc(r.axis.kind)}) · generated ${esc(r.generatedAt)}</p>
<div class="summary"><p><strong>${r.expectation === 'hold' ? 'The variant' : 'The incident'} ${esc(r.statement)}.</strong></p>
<ul><li>Axis: ${esc(r.axis.description)}; range ×${r.axis.range.min}..×${r.axis.range.max}, resolution ${r.axis.resolution}. Why: ${esc(r.axis.why)}</li>
<li>Search: ${r.search.runs} runs in ${r.search.elapsedS.toFixed(0)} s of a ${r.budgetS.toFixed(0)} s budget; stopped because ${esc(r.search.stop)}${r.search.complete ? '' : ' — <strong>partial</strong>: the interval is still open'}.</li>
<li>Noise: ${esc(r.noise)}. Repeats per point: ${r.repeats}.</li></ul></div>
${!r.search.complete ? '<p class="warning unfinished"><strong>Partial result</strong>: the margin lies in the open interval above; it is not a measured margin.</p>' : ''}
${decisive}
${capacity}
<h2>Each SLO along the axis</h2>
<p class="meta">Marks: ${r.expectation === 'hold' ? 'the highest factor at which it held (dashed) and the lowest at which it broke (red)' : 'the lowest factor at which the incident reproduced (dashed) and the highest at which it did not (red)'}. Drag across a chart to zoom; double-click to zoom out.</p>
<div class="charts">${charts.map((c) => chartFigure({ ...c, unit: c.yLabel })).join('\n')}</div>
${charts.length === 0 ? '<p>No SLO had a value at any factor.</p>' : ''}
<table><thead><tr><th>SLO</th><th>threshold</th>${r.points.map((p) => `<th>×${p.factor}</th>`).join('')}</tr></thead><tbody>${sloRows.join('')}</tbody></table>
<h2>Runs (each a normal run directory with its own reports)</h2>
<table><thead><tr><th>factor</th><th>point</th><th>run</th><th>verdict</th><th>wall time</th><th>run directory</th></tr></thead><tbody>${runRows.join('')}</tbody></table>
<p class="meta">Command: <code>${esc(r.command)}</code></p>`;
  return htmlPage({ title: `Margin: ${r.scenario.title} — ${r.variant} along ${r.axis.name}`, body, groups: [{ sync: 'margin', charts }] });
}
