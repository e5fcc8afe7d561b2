import { relative, join } from 'node:path';
import { parseThreshold } from '../scenario/threshold.ts';
import { formatDrift, type Drift } from './drift.ts';
import { esc, htmlPage } from './html-page.ts';
import { metOf, statusOf, type RunIndexRow } from './run-rows.ts';
import { sparkline, TREND_POINTS, type TrendSeries } from './trend.ts';

// The trend as people read it: per SLO of each scenario variant, the last runs' values against the
// threshold, as sparkline characters in index.md and as small SVG charts in index.html.

const limitOf = (threshold: string) => {
  const t = parseThreshold(threshold);
  return t.ok ? t.threshold.value : null;
};
const fmt = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(4));
const cell = (s: string) => s.replace(/\|/g, '\\|');

export function trendMarkdown(series: readonly TrendSeries[]): string[] {
  if (series.length === 0) return [];
  return [
    `## Trend (last ${TREND_POINTS} runs per variant, oldest first; a full bar is the threshold)`,
    '',
    '| scenario / variant | SLO | threshold | trend | values |',
    '|---|---|---|---|---|',
    ...series.map((s) => `| ${s.scenario} / ${s.variant} | ${s.slo} | \`${cell(s.threshold)}\` | ${sparkline(s.points.map((p) => p.value), limitOf(s.threshold))} | ${s.points.map((p) => fmt(p.value)).join(', ')} |`),
    '',
  ];
}

/** A small SVG line of the values with the threshold as a dashed red line (no script needed). */
export function sparkSvg(s: TrendSeries, width = 160, height = 32): string {
  const limit = limitOf(s.threshold);
  const known = s.points.map((p) => p.value).filter((v): v is number => v !== null);
  const lo = Math.min(0, ...known);
  const hi = Math.max(...known, limit ?? -Infinity, lo + 1e-9);
  const y = (v: number) => (height - 3 - ((v - lo) / (hi - lo)) * (height - 6)).toFixed(1);
  const x = (i: number) => (s.points.length < 2 ? width / 2 : 3 + (i * (width - 6)) / (s.points.length - 1)).toFixed(1);
  const pts = s.points.map((p, i) => (p.value === null ? null : `${x(i)},${y(p.value)}`));
  const path = pts.filter((p) => p !== null).join(' ');
  const dots = s.points.map((p, i) => (p.value === null ? '' : `<circle cx="${x(i)}" cy="${y(p.value)}" r="2.2" fill="${p.status === 'fail' ? '#b91c1c' : p.status === 'unknown' ? '#9ca3af' : '#2563eb'}"><title>${esc(`${p.runId}: ${fmt(p.value)} (${p.status})`)}</title></circle>`)).join('');
  const line = limit === null ? '' : `<line x1="0" x2="${width}" y1="${y(limit)}" y2="${y(limit)}" stroke="#b91c1c" stroke-dasharray="4 3" stroke-width="1"/>`;
  return `<svg class="sparkline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(`${s.slo}: ${s.points.map((p) => fmt(p.value)).join(', ')} against ${s.threshold}`)}">${line}<polyline points="${path}" fill="none" stroke="#2563eb" stroke-width="1.5"/>${dots}</svg>`;
}

export interface IndexPage {
  outRoot: string;
  startedAt: string;
  rows: readonly RunIndexRow[];
  /** Combined report per scenario, absolute paths. */
  combined: ReadonlyMap<string, string>;
  series: readonly TrendSeries[];
  drift: readonly Drift[];
}

export function renderIndexHtml(p: IndexPage): string {
  const link = (file: string, text: string) => `<a href="${esc(relative(p.outRoot, file))}">${esc(text)}</a>`;
  const rows = p.rows.map((r) => {
    const met = metOf(r);
    const status = r.error ? `error: ${r.error}` : statusOf(r);
    const links = r.runDir ? `${link(join(r.runDir, 'report.html'), 'report')} · ${link(join(r.runDir, 'summary.md'), 'summary')}` : '–';
    return `<tr><td class="${met ? 'pass' : 'fail'}">${met ? '✔' : '✘'}</td><td>${esc(r.scenario)} / ${esc(r.variant)}</td><td>${esc(status)}</td><td>${links}</td></tr>`;
  });
  const combined = [...p.combined].map(([scenario, file]) => `<li>${link(file, `${scenario}: the variants side by side`)}</li>`);
  const trend = p.series.map((s) => `<tr data-trend="${esc(`${s.scenario}/${s.variant}/${s.slo}`)}"><td>${esc(s.scenario)} / ${esc(s.variant)}</td><td class="mono">${esc(s.slo)}</td><td class="mono">${esc(s.threshold)}</td><td>${sparkSvg(s)}</td><td class="spark">${sparkline(s.points.map((x) => x.value), limitOf(s.threshold))}</td><td class="num">${esc(fmt(s.points.at(-1)?.value ?? null))}</td><td class="num">${s.points.length}</td></tr>`);
  const body = `<h1>Replay run of ${esc(p.startedAt)}</h1>
<table id="runs"><thead><tr><th></th><th>scenario / variant</th><th>verdict</th><th>reports</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p>${p.rows.filter(metOf).length} of ${p.rows.length} variant(s) met their expectation.</p>
${combined.length ? `<h2>Incident beside remediation</h2><ul id="combined">${combined.join('')}</ul>` : ''}
${p.drift.length ? `<h2>Drift towards a threshold</h2><ul id="drift">${p.drift.map((d) => `<li class="drift">${esc(formatDrift(d))}</li>`).join('')}</ul>` : ''}
<h2>Trend</h2>
${trend.length ? `<p class="meta">Each SLO over the last ${TREND_POINTS} runs of its variant, oldest first (from trend.ndjson). Red dashed line: the threshold; red dots: breaches; grey: no data.</p><table id="trend"><thead><tr><th>scenario / variant</th><th>SLO</th><th>threshold</th><th>values</th><th>sparkline</th><th>latest</th><th>runs</th></tr></thead><tbody>${trend.join('')}</tbody></table>` : '<p id="trend">No earlier runs recorded yet.</p>'}`;
  return htmlPage({ title: `Replay run of ${p.startedAt}`, body, groups: [] });
}
