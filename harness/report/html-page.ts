import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// The frame every HTML report shares (a run's report.html, the combined report, the trend index,
// capacity-report.html): one self-contained file that works offline (no CDN, no fetch), uPlot's IIFE
// build and the one chart client inlined, the chart data embedded as JSON. Pages render their static
// parts (tables, captions) themselves so they read with scripts disabled.

const require = createRequire(import.meta.url);
const asset = (name: string) => readFileSync(fileURLToPath(new URL(`./assets/${name}`, import.meta.url)), 'utf8');
const uplotJs = () => readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
const uplotCss = () => readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');

/** One chart as the client draws it: series over a shared x, limit lines, vertical marks. */
export interface ChartSpec {
  /** The host element is #chart-<id>. */
  id: string;
  title: string;
  hint: string;
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  x: number[];
  series: {
    label: string;
    values: (number | null)[];
    scale?: 'y' | 'y2';
    /** line (default), points (measured samples), hollow (held-out samples). */
    style?: 'line' | 'points' | 'hollow';
    dash?: boolean;
    color?: string;
    width?: number;
    spanGaps?: boolean;
  }[];
  lines: { value: number; label: string; scale?: 'y' | 'y2'; color?: string }[];
  /** Vertical marks; `n` numbers it (the page's legend has the words). */
  marks: { x: number; label: string; kind: string; n?: number }[];
  height?: number;
}

/** Charts drawn together: `sync` names a group whose charts zoom and hover as one (same x axis). */
export interface ChartGroup {
  sync: string | null;
  charts: ChartSpec[];
}

export function esc(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON inside <script> must not contain "</script" or "<!--": escaping every "<" is enough. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A chart's figure: caption rendered here, the plot drawn into it by the client. */
export function chartFigure(c: Pick<ChartSpec, 'id' | 'title' | 'hint'> & { unit?: string }): string {
  return `<figure class="chart" id="chart-${esc(c.id)}"><figcaption><strong>${esc(c.title)}</strong>${c.unit ? ` <span class="unit">(${esc(c.unit)})</span>` : ''}<br><span class="hint">${esc(c.hint)}</span></figcaption></figure>`;
}

export const ZOOM_HINT = 'Drag across a chart to zoom to a time range (the charts beside it follow); double-click to zoom out.';

export function htmlPage(o: { title: string; body: string; groups: readonly ChartGroup[] }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)}</title>
<style>${uplotCss()}</style>
<style>${asset('report.css')}</style>
</head>
<body>
<script>window.addEventListener('error', function (e) { document.body.setAttribute('data-error', String(e.message)); });</script>
<main>
${o.body}
</main>
<script id="chart-data" type="application/json">${embedJson({ groups: o.groups })}</script>
<script>${uplotJs()}</script>
<script>${asset('chart-client.js')}</script>
</body>
</html>
`;
}
