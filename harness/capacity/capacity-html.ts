import { chartFigure, esc, htmlPage, ZOOM_HINT } from '../report/html-page.ts';
import { buildCapacityCharts } from './capacity-charts.ts';
import type { CapacityReport, Prediction } from './capacity-schema.ts';
import { utilisationBasis } from './model.ts';

// capacity-report.html: in the report's one page frame (html-page.ts: uPlot and the shared chart
// client inlined, data embedded as JSON), readable without scripts: the plan, the model and every
// break are tables; charts add shape.

export const FLEET = { planned: 'this plan', 'steady-only': 'sized for its steady load only (as in 2021)', current: 'deployed today (target.currentFallbackPods)' } as const;

const pct = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);
const abs = (v: number | null) => (v === null ? '—' : `±${(v * 100).toFixed(1)}%`);
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '∞');

function predictionRows(ps: readonly Prediction[], unit: string): string {
  return ps
    .map((p) => `<tr><td class="mono">${esc(p.run)}</td><td>${p.use}</td><td>${esc(p.size)}</td><td class="num">${int(p.predicted)} ${unit}</td><td class="num">${p.measured === null ? '—' : `${int(p.measured)} ${unit}`}</td><td class="num">${pct(p.error)}</td><td>${esc(p.note)}${p.spread ? ` (${p.spread.n} repeats alone: ${int(p.spread.min)}..${int(p.spread.max)})` : ''}</td></tr>`)
    .join('');
}

function planSection(r: CapacityReport): string {
  const t = r.plan;
  const rows = t.roles.flatMap((role) =>
    role.limits.map(
      (l, i) =>
        `<tr>${i === 0 ? `<td rowspan="${role.limits.length}"><strong>${role.role}</strong><br>${role.podMemoryMb} MiB, ${role.podCpus} CPU</td>` : ''}<td>${esc(l.name)}${l.name === role.binding ? ' <strong>(binds)</strong>' : ''}</td><td class="num">${int(l.perPod)} ${esc(l.unit)}</td><td class="num">${int(l.load)} ${esc(l.unit)}</td><td class="num">${int(l.podsNeeded)}</td>${i === 0 ? `<td rowspan="${role.limits.length}" class="num"><strong>${role.pods}</strong></td><td rowspan="${role.limits.length}" class="num">${role.memoryLimitMb} MiB</td>` : ''}</tr>`,
    ),
  );
  const f = t.failover;
  return `<h2>The plan</h2>
<table><thead><tr><th>role, pod size</th><th>limit</th><th>per pod (after headroom)</th><th>load</th><th>pods for it</th><th>pods (N+1)</th><th>memory limit a pod needs</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<div class="summary"><p><strong>Primary fails:</strong> ${int(f.surge)} WebSocket clients arrive on the fallback. The largest surge each fallback fleet absorbs, with one pod down, before its pods reach their measured limit:</p>
<table><thead><tr><th>fallback fleet</th><th>pods</th><th>largest surge</th><th>the primary failing</th></tr></thead><tbody>${f.fleets.map((x) => `<tr><td>${FLEET[x.name]}</td><td class="num">${x.pods}</td><td class="num">${int(x.largestAbsorbableSurge)}</td><td class="${x.survives ? 'pass' : 'fail'}">${x.survives ? 'survives' : 'does not survive'}</td></tr>`).join('')}</tbody></table>
<ul>${t.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>`;
}

function breakTable(r: CapacityReport): string {
  const conn = r.connectionRuns.map(
    (x) => `<tr><td class="mono">${esc(x.id)}</td><td>${x.use}</td><td>${x.role} (${x.client})</td><td class="num">${x.rampPerS}/s to ${x.maxConnections}</td><td class="${x.break.kind === 'none' ? 'pass' : 'fail'}">${x.break.kind}</td><td class="num">${int(x.break.value)} connections</td><td class="num">${x.break.atS.toFixed(1)} s</td><td>${esc(x.break.reason)}</td></tr>`,
  );
  const msg = r.messageRuns.map(
    (x) => `<tr><td class="mono">${esc(x.id)}</td><td>${x.use}</td><td>messages, fan-out ${x.fanOut}</td><td class="num">${x.steps[0]?.offeredRatePerS ?? '—'}..${x.steps.at(-1)?.offeredRatePerS ?? '—'}/s</td><td class="${x.break.kind === 'none' ? 'pass' : 'fail'}">${x.break.kind}</td><td class="num">${int(x.break.value)} publishes/s</td><td class="num">${x.break.atS.toFixed(1)} s</td><td>${esc(x.break.reason)}</td></tr>`,
  );
  return `<table><thead><tr><th>run</th><th>use</th><th>what</th><th>ramp</th><th>break</th><th>where</th><th>when</th><th>why</th></tr></thead><tbody>${[...conn, ...msg].join('')}</tbody></table>`;
}

function modelSection(r: CapacityReport): string {
  const m = r.model;
  const mem = m.memory
    .map((x) => `<tr><td>${x.role}</td><td class="num">${x.baseMb.toFixed(1)} MiB</td><td class="num">${x.perConnectionKb.toFixed(2)} KiB</td><td class="num">${x.fit.n}</td><td class="num">${x.fit.r2.toFixed(4)}</td><td class="num">${x.fit.rmse.toFixed(2)} MiB</td><td class="num">${x.fit.maxAbsResidual.toFixed(2)} MiB</td></tr>`)
    .join('');
  const mm = m.messages;
  return `<h2>The model</h2>
<p>Measured with <code>RETAINED_BYTES_PER_CONNECTION=${m.retainedBytesPerConnection}</code>. Worst error on held-out sizes: memory <strong>${abs(m.heldOutError.memory)}</strong>, messages <strong>${abs(m.heldOutError.messages)}</strong>.</p>
<table><thead><tr><th>role</th><th>base</th><th>per connection</th><th>samples</th><th>R²</th><th>RMSE</th><th>max residual</th></tr></thead><tbody>${mem}</tbody></table>
<p>Messages: CPU = ${mm.cpuFit.intercept.toFixed(3)} + ${(mm.cpuFit.slope * 1000).toFixed(4)} × (delivered/s ÷ 1000) cores → <strong>${int(mm.messagesPerSPerCore)} delivered messages/s per core</strong> (R² ${mm.cpuFit.r2.toFixed(3)}, RMSE ${mm.cpuFit.rmse.toFixed(3)} cores, ${mm.cpuFit.n} steps). Publish p99 = ${mm.latency.l0.toFixed(1)} ms / (1 − u) (RMSE ${mm.latency.rmse.toFixed(1)} ms) reaches the ${r.slo.publishP99Ms} ms SLO at ${(mm.latency.utilisationAtSlo * 100).toFixed(0)}% CPU (reported, not planned on); <strong>${esc(utilisationBasis(mm))}</strong>.</p>
<h3>Predictions against measurements</h3>
<table><thead><tr><th>run</th><th>use</th><th>size</th><th>predicted</th><th>measured</th><th>error</th><th>what</th></tr></thead><tbody>${m.memory.map((x) => predictionRows(x.predictions, 'conn.')).join('')}${predictionRows(mm.predictions, 'msg/s')}</tbody></table>`;
}

export function renderCapacityHtml(r: CapacityReport): string {
  const charts = buildCapacityCharts(r);
  const fits = charts.filter((c) => c.id.startsWith('fit-'));
  const runs = charts.filter((c) => c.id.startsWith('run-'));
  const t = r.target as { connections?: Record<string, number>; publishRatePerS?: number; fanOut?: number; fallbackShareOnPrimaryFailure?: number };
  const body = `<h1>Capacity report</h1>
<p class="meta">profile <code>${esc(r.profile.file)}</code> (${esc(r.profile.name)}) · run <code>${esc(r.runId)}</code> · generated ${esc(r.generatedAt)} · ${r.machine.cpus} CPUs, Node ${esc(r.machine.node)} · ${r.durationS.toFixed(0)} s of measurement</p>
<div class="summary"><p>Target: ${int(t.connections?.ws ?? 0)} WebSocket + ${int(t.connections?.fallback ?? 0)} fallback connections, ${t.publishRatePerS ?? 0} publishes/s at fan-out ${t.fanOut ?? 0}, ${Math.round((t.fallbackShareOnPrimaryFailure ?? 0) * 100)}% of WebSocket clients falling back when the primary fails. SLOs: connect p99 ${r.slo.connectP99Ms} ms, publish p99 ${r.slo.publishP99Ms} ms, delivered ≥ ${r.slo.minDeliveredRatio * 100}% of published × fan-out.</p></div>
${planSection(r)}
${modelSection(r)}
<h3>Fitted curves</h3>
<p class="meta">${ZOOM_HINT.replace(' (the charts beside it follow)', '')}</p>
${fits.map(chartFigure).join('\n')}
<h2>Breakpoint runs</h2>
${breakTable(r)}
${runs.map(chartFigure).join('\n')}`;
  // Each chart has its own x axis (connections, rate, utilisation): no zoom group.
  return htmlPage({ title: `Capacity report ${r.runId}`, body, groups: [{ sync: null, charts }] });
}
