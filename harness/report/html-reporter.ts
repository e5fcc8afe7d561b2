import { evidenceLines } from './evidence-lines.ts';
import { evidenceView, type Cell } from './evidence-view.ts';
import { seconds, sloValue } from './format.ts';
import { chartFigure, esc, htmlPage, ZOOM_HINT, type ChartGroup, type ChartSpec } from './html-page.ts';
import type { Mark, RunReport, VariantReport } from './report-data.ts';
import type { Reporter } from './reporter.ts';
import { missingExpectedSlos, sloOutcome } from './slo-outcome.ts';

// report.html: the story of one run for a person. Static parts (story, SLO table, detections,
// evidence tables) are rendered here so the page reads with scripts disabled; the charts are drawn by
// the shared chart client (html-page.ts).

const num = sloValue;
const sec = seconds;

function sloTable(v: VariantReport): string {
  const rows = v.slos.map((s) => {
    const o = sloOutcome(v.expectation, s);
    return `<tr data-slo="${esc(s.id)}" data-status="${s.status}" data-ask="${o.ask}"><td><strong>${esc(s.title)}</strong><br><span class="mono">${esc(s.id)}</span></td><td class="mono">${esc(s.threshold)}</td><td class="num">${esc(num(s.value, s.unit))}</td><td class="${s.status}">${s.status}</td><td>${o.ask === 'not asked' ? '—' : o.ask}</td><td class="outcome ${o.verdict.replace(/ /g, '-').toLowerCase()}">${o.verdict}</td><td>${esc(s.detail)}</td><td>${esc(s.why)}</td></tr>`;
  });
  const missing = missingExpectedSlos(v).map((id) => `<tr data-slo="${esc(id)}" data-status="missing"><td class="mono">${esc(id)}</td><td>—</td><td class="num">—</td><td class="unknown">not judged</td><td>must breach</td><td class="outcome no-data">no data</td><td>no SLO of this name was judged</td><td></td></tr>`);
  return `<table class="slos"><thead><tr><th>SLO</th><th>threshold</th><th>value</th><th>status</th><th>expectation</th><th>outcome</th><th>how measured</th><th>why this number</th></tr></thead><tbody>${[...rows, ...missing].join('')}</tbody></table>`;
}

function detectionTable(v: VariantReport): string {
  if (v.detections.length === 0 && v.alerts.length === 0) return '<p>No alerts are configured for this variant.</p>';
  const det = v.detections.map((d) => `<tr><td class="mono">${esc(d.alert)}</td><td class="num">${sec(d.faultAtS)}</td><td class="num">${sec(d.firedAtS)}</td><td class="num">${d.seconds === null ? (d.faultAtS === null ? 'no fault' : '<strong>not detected</strong>') : `${d.seconds.toFixed(1)} s`}</td></tr>`);
  const fired = v.alerts.map((a) => `<tr><td class="mono">${esc(a.alert)}</td><td>${esc(a.title)}</td><td class="num">${sec(a.firedAtS)}</td><td class="num">${a.resolvedAtS === null ? 'still firing' : sec(a.resolvedAtS)}</td><td>${esc(a.subject ?? '')}</td></tr>`);
  return (
    (det.length ? `<table><thead><tr><th>alert</th><th>fault first seen</th><th>alert fired</th><th>detection time</th></tr></thead><tbody>${det.join('')}</tbody></table>` : '') +
    (fired.length ? `<table><thead><tr><th>alert</th><th>title</th><th>fired</th><th>resolved</th><th>subject</th></tr></thead><tbody>${fired.join('')}</tbody></table>` : '<p>No alert fired during this run.</p>')
  );
}

function evidenceTables(evidence: Record<string, unknown> | null): string {
  if (!evidence) return '<p class="meta">No evidence was recorded.</p>';
  const view = evidenceView(evidence);
  const td = (c: Cell, cls = 'mono') => `<td class="${cls}"${c.full ? ` title="${esc(c.full)}"` : ''}>${esc(c.text)}</td>`;
  const facts = view.facts.length ? `<table class="facts"><tbody>${view.facts.map((f) => `<tr><th>${esc(f.key)}</th>${td(f.value)}</tr>`).join('')}</tbody></table>` : '';
  const tables = view.tables.map((t) => `<table class="evidence"><caption>${esc(t.title)}</caption><thead><tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map((c, i) => td(c, i === 0 && t.columns[0] === '' ? 'key' : 'mono')).join('')}</tr>`).join('')}</tbody></table>`);
  return `${facts}${tables.join('')}<details class="raw"><summary>raw JSON</summary><pre class="mono">${esc(JSON.stringify(evidence, null, 2))}</pre></details>`;
}

/** One block per action: what was planned, when it took effect (or failed), and what was read back. */
function actionBlocks(v: VariantReport): string {
  if (v.actions.length === 0) return '<p>No timeline actions were recorded.</p>';
  return v.actions
    .map((a) => {
      const when = a.failedAtS !== null ? `<span class="unmet">failed at ${sec(a.failedAtS)}</span>` : a.appliedAtS !== null ? `applied at ${sec(a.appliedAtS)}` : '<span class="unmet">not confirmed</span>';
      return `<div class="action" id="action-${esc(v.variant)}-${a.index + 1}"><h4>#${a.index + 1} ${esc(a.label)}</h4><p class="meta"><span class="mono">${esc(a.type)} → ${esc(a.target)}</span> · planned at ${a.at} s · ${when}</p>${a.error ? `<p class="warning">${esc(a.error)}</p>` : ''}${evidenceTables(a.evidence)}</div>`;
    })
    .join('');
}

const MARK_KIND: Record<Mark['kind'], string> = { action: 'action', 'action-failed': 'action failed', fault: 'fault first seen', alert: 'alert fired', phase: 'phase' };

/** The words for the numbers drawn on the charts. */
function marksLegend(v: VariantReport): string {
  if (v.marks.length === 0) return '';
  return `<ol class="marks">${v.marks.map((m) => `<li value="${m.n}" class="${m.kind}"><span class="num">${sec(m.t)}</span> <span class="kind">${MARK_KIND[m.kind]}</span> ${esc(m.label)}</li>`).join('')}</ol>`;
}

/** A run chart as the shared client draws it: per-second series, the variant's marks on every chart. */
export function runChartSpec(v: Pick<VariantReport, 'variant' | 'durationS' | 'marks'>, c: VariantReport['charts'][number]): ChartSpec {
  return {
    id: `${v.variant}-${c.id}`,
    title: c.title,
    hint: c.hint,
    xLabel: 'replay second',
    yLabel: c.unit,
    x: Array.from({ length: v.durationS }, (_, i) => i),
    series: c.series.map((s) => ({ label: s.label, values: s.values })),
    lines: c.lines,
    marks: v.marks.map((m) => ({ x: m.t, label: m.label, kind: m.kind, n: m.n })),
  };
}

function probeTables(v: VariantReport): string {
  const parts: string[] = [];
  if (v.delivery.length) {
    parts.push(
      `<h3>Delivery probes (lost / duplicated / reordered)</h3><table><thead><tr><th>probe</th><th>transport</th><th>deployment</th><th>sent</th><th>received</th><th>lost</th><th>duplicated</th><th>reordered</th></tr></thead><tbody>${v.delivery
        .map((d) => `<tr><td class="mono">${esc(d.probe)}${d.subscriber === '-' ? '' : `/${esc(d.subscriber)}`}</td><td>${esc(d.transport)}</td><td>${esc(d.deployment ?? 'via edge')}</td><td class="num">${d.sent}</td><td class="num">${d.received}</td><td class="num">${d.lost}</td><td class="num">${d.duplicated}</td><td class="num">${d.reordered}</td></tr>`)
        .join('')}</tbody></table>`,
    );
  }
  if (v.rest.requests > 0) {
    const ex = v.rest.examples.map((e) => `<li class="mono">${esc(e.id)} at ${(e.t / 1000).toFixed(1)} s: HTTP ${e.status}, expected ${esc(e.expected)}, got ${esc(e.got)}</li>`).join('');
    parts.push(
      `<h3>REST probe (does each response belong to its request?)</h3><p>${v.rest.requests} requests, ${v.rest.responses} responses, <strong>${v.rest.misaligned} misaligned</strong>, ${v.rest.valid4xx} 4xx on valid requests, ${v.rest.unanswered} unanswered; status classes ${esc(JSON.stringify(v.rest.byStatusClass))}.</p>${ex ? `<ul>${ex}</ul>` : ''}`,
    );
  }
  if (v.webhooks.transports.length) {
    parts.push(
      `<h3>Webhooks per transport</h3><table><thead><tr><th>transport</th><th>expected</th><th>received on time</th><th>missing</th><th>late</th><th>bad signature</th><th>duplicated</th><th>stray</th></tr></thead><tbody>${v.webhooks.transports
        .map((w) => `<tr><td>${esc(w.transport)}</td><td class="num">${w.expected}</td><td class="num">${w.received}</td><td class="num">${w.missing}</td><td class="num">${w.late}</td><td class="num">${w.invalidSignature}</td><td class="num">${w.duplicated}</td><td class="num">${w.stray}</td></tr>`)
        .join('')}</tbody></table>`,
    );
  }
  return parts.join('');
}

function evidence(v: VariantReport): string {
  const lines = evidenceLines(v.evidence);
  if (lines.length === 0) return '';
  return `<details><summary>Evidence: pods, deploys, gates, heals (${lines.length})</summary><pre class="mono">${esc(lines.join('\n'))}</pre></details>`;
}

function logs(v: VariantReport): string {
  if (v.logs.length === 0) return '';
  const lines = v.logs.map((l) => `${(l.t / 1000).toFixed(1)}s ${l.source}${l.tag ? ` [${l.tag}]` : ''}: ${l.line}`);
  return `<details><summary>Log lines of interest (${v.logs.length})</summary><pre class="mono">${esc(lines.join('\n'))}</pre></details>`;
}

function variantSection(v: VariantReport): string {
  const exp = 'breach' in v.expectation ? `expected to breach: ${v.expectation.breach.join(', ')}` : 'expected to hold every SLO';
  return `<section class="variant" id="variant-${esc(v.variant)}">
<h2>Variant “${esc(v.variant)}” <span class="badge ${v.verdict.status}">${v.verdict.status}</span> <span class="${v.verdict.met ? 'met' : 'unmet'}">${v.verdict.met ? 'as expected' : 'NOT as expected'}</span></h2>
<p class="meta">${esc(exp)} · seed ${v.seed} · ${v.replayS} s replayed and judged · ${v.events} history events${v.startedAt ? ` · started ${esc(v.startedAt)}` : ''}</p>
${v.description ? `<p>${esc(v.description)}</p>` : ''}
${v.warnings.map((w) => `<p class="warning">${esc(w)}</p>`).join('')}
<h3>What happened</h3>
<ol class="narrative">${v.narrative.map((l) => `<li>${esc(l)}</li>`).join('')}</ol>
<h3>SLOs</h3>
${sloTable(v)}
${v.exempt.map((e) => `<p class="meta">Not judged: <span class="mono">${esc(e.probe)}</span> ${esc(e.check)}, because ${esc(e.why)}</p>`).join('')}
<h3>Detection</h3>
${detectionTable(v)}
<h3>Timeline</h3>
<p class="legend-marks"><span><i style="border-color:#374151"></i>timeline action</span><span><i style="border-color:#7c3aed"></i>fault first seen</span><span><i style="border-color:#c2410c;border-top-style:solid"></i>alert fired</span><span><i style="border-color:#b91c1c"></i>action failed</span></p>
<p class="meta">The numbers on the charts are the marks listed below them. ${ZOOM_HINT}</p>
<div class="charts">${v.charts.map((c) => chartFigure({ id: `${v.variant}-${c.id}`, title: c.title, hint: c.hint, unit: c.unit })).join('')}</div>
${v.charts.length === 0 ? '<p>No time series were recorded.</p>' : ''}
${marksLegend(v)}
<h3>Timeline actions and the evidence that they took effect</h3>
${actionBlocks(v)}
${probeTables(v)}
${evidence(v)}
${logs(v)}
</section>`;
}

export function runChartGroups(report: Pick<RunReport, 'variants'>): ChartGroup[] {
  return report.variants.map((v) => ({ sync: v.variant, charts: v.charts.map((c) => runChartSpec(v, c)) }));
}

export function renderHtml(report: RunReport): string {
  const sc = report.scenario;
  const verdicts = report.variants.map((v) => `<li><a href="#variant-${esc(v.variant)}">${esc(v.variant)}</a>: <span class="badge ${v.verdict.status}">${v.verdict.status}</span> ${v.verdict.met ? '<span class="met">as expected</span>' : '<span class="unmet">not as expected</span>'}</li>`);
  const body = `<h1>${esc(sc.title)}</h1>
<p class="meta">scenario <code>${esc(sc.id)}</code> · replays postmortem <code>${esc(sc.postmortem)}</code> · run <code>${esc(report.runId)}</code> · generated ${esc(report.generatedAt)} · exit code ${report.exitCode}</p>
${report.unfinished ? `<p class="warning unfinished"><strong>This run did not finish</strong> (${esc(report.unfinished)}): its verdicts are unknown, never green.</p>` : ''}
<div class="summary"><p>${esc(sc.summary)}</p><ul>${verdicts.join('')}</ul></div>
${report.variants.map(variantSection).join('\n')}`;
  return htmlPage({ title: `${sc.title} — incident replay ${report.runId}`, body, groups: runChartGroups(report) });
}

export const htmlReporter: Reporter = { name: 'html', file: 'report.html', render: renderHtml };
