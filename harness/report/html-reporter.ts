import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { RunReport, VariantReport } from './report-data.ts';
import type { Reporter } from './reporter.ts';

// report.html: one self-contained file that works offline (no CDN, no fetch): uPlot's IIFE build and
// our small chart script are inlined, the data is embedded as JSON. The static parts (story, SLO table,
// detections, evidence) are rendered here so the page reads even with scripts disabled.

const require = createRequire(import.meta.url);
const asset = (name: string) => readFileSync(fileURLToPath(new URL(`./assets/${name}`, import.meta.url)), 'utf8');
const uplotJs = () => readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
const uplotCss = () => readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');

export function esc(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON inside <script> must not contain "</script" or "<!--": escaping every "<" is enough. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const num = (v: number | null, unit: string) => (v === null ? '—' : `${Number.isInteger(v) ? v : v.toFixed(unit === 'ratio' ? 4 : 1)}${unit === 'ms' ? ' ms' : unit === 's' ? ' s' : ''}`);
const sec = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} s`);

function sloTable(v: VariantReport): string {
  const rows = v.slos.map((s) => {
    const expected = 'breach' in v.expectation ? (v.expectation.breach.includes(s.id) ? 'must breach' : '—') : 'must hold';
    return `<tr><td><strong>${esc(s.title)}</strong><br><span class="mono">${esc(s.id)}</span></td><td class="mono">${esc(s.threshold)}</td><td class="num">${esc(num(s.value, s.unit))}</td><td class="${s.status}">${s.status}</td><td>${esc(expected)}</td><td>${esc(s.detail)}</td><td>${esc(s.why)}</td></tr>`;
  });
  return `<table class="slos"><thead><tr><th>SLO</th><th>threshold</th><th>value</th><th>status</th><th>expectation</th><th>how measured</th><th>why this number</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
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

function actionTable(v: VariantReport): string {
  if (v.actions.length === 0) return '<p>No timeline actions were recorded.</p>';
  const rows = v.actions.map((a) => {
    const when = a.failedAtS !== null ? `<span class="unmet">failed at ${sec(a.failedAtS)}</span>` : a.appliedAtS !== null ? `applied at ${sec(a.appliedAtS)}` : 'not confirmed';
    return `<tr><td class="num">${a.at} s</td><td>${esc(a.label)}</td><td class="mono">${esc(a.type)} → ${esc(a.target)}</td><td>${when}${a.error ? `<br>${esc(a.error)}` : ''}</td><td class="mono">${esc(a.evidence ? JSON.stringify(a.evidence) : '—')}</td></tr>`;
  });
  return `<table><thead><tr><th>planned</th><th>action</th><th>type → target</th><th>outcome</th><th>evidence it took effect</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
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
<div class="charts" id="charts-${esc(v.variant)}"></div>
${v.charts.length === 0 ? '<p>No time series were recorded.</p>' : ''}
<h3>Timeline actions and the evidence that they took effect</h3>
${actionTable(v)}
${probeTables(v)}
${logs(v)}
</section>`;
}

export function renderHtml(report: RunReport): string {
  const sc = report.scenario;
  const verdicts = report.variants.map((v) => `<li><a href="#variant-${esc(v.variant)}">${esc(v.variant)}</a>: <span class="badge ${v.verdict.status}">${v.verdict.status}</span> ${v.verdict.met ? '<span class="met">as expected</span>' : '<span class="unmet">not as expected</span>'}</li>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(sc.title)} — incident replay ${esc(report.runId)}</title>
<style>${uplotCss()}</style>
<style>${asset('report.css')}</style>
</head>
<body>
<script>window.addEventListener('error', function (e) { document.body.setAttribute('data-error', String(e.message)); });</script>
<main>
<h1>${esc(sc.title)}</h1>
<p class="meta">scenario <code>${esc(sc.id)}</code> · replays postmortem <code>${esc(sc.postmortem)}</code> · run <code>${esc(report.runId)}</code> · generated ${esc(report.generatedAt)} · exit code ${report.exitCode}</p>
${report.unfinished ? `<p class="warning unfinished"><strong>This run did not finish</strong> (${esc(report.unfinished)}): its verdicts are unknown, never green.</p>` : ''}
<div class="summary"><p>${esc(sc.summary)}</p><ul>${verdicts.join('')}</ul></div>
${report.variants.map(variantSection).join('\n')}
</main>
<script id="report-data" type="application/json">${embedJson({ variants: report.variants.map((v) => ({ variant: v.variant, durationS: v.durationS, charts: v.charts, marks: v.marks })) })}</script>
<script>${uplotJs()}</script>
<script>${asset('report-client.js')}</script>
</body>
</html>
`;
}

export const htmlReporter: Reporter = { name: 'html', file: 'report.html', render: renderHtml };
