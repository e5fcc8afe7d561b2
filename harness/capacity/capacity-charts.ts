import type { CapacityReport, ConnectionRunResult, MessageRunResult } from './capacity-schema.ts';
import type { ChartSpec } from '../report/html-page.ts';
import { MAX_UTILISATION } from './fit.ts';
import { utilisationBasis } from './model.ts';

// Chart data for capacity-report.html: one chart per breakpoint run with its break marked, and the
// fitted curves drawn over the measured points. Pure; the page's script only draws.

// Drawn by the report's one chart client: measured points are dots, held-out runs hollow dots,
// fitted curves lines; the break is a vertical mark, limits and SLOs horizontal lines.
export type CapacityChart = ChartSpec;
type CapacitySeries = ChartSpec['series'][number];
const FIT_COLOUR = '#111827';

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

function connectionRunChart(run: ConnectionRunResult): CapacityChart {
  const steps = run.steps;
  return {
    id: `run-${run.id}`,
    title: `${run.role === 'ws' ? 'WebSocket' : 'Fallback (xhr_streaming)'} breakpoint, ${run.memoryMb} MiB / ${run.cpus} CPU (${run.use})`,
    hint: `${run.break.kind}: ${run.break.reason}`,
    xLabel: 'seconds',
    yLabel: 'connections',
    y2Label: 'MiB',
    x: steps.map((s) => round(s.atS)),
    series: [
      { label: 'connections (pod)', values: steps.map((s) => s.connections), scale: 'y', spanGaps: true },
      { label: 'memory working set', values: steps.map((s) => (s.memoryMb === null ? null : round(s.memoryMb))), scale: 'y2', spanGaps: true },
    ],
    marks: [{ x: round(run.break.atS), label: `break: ${run.break.kind} at ${Math.round(run.break.value)}`, kind: 'break' }],
    lines: [{ value: run.memoryMb, label: `memory limit ${run.memoryMb} MiB`, scale: 'y2' }],
  };
}

function messageRunChart(run: MessageRunResult): CapacityChart {
  return {
    id: `run-${run.id}`,
    title: `Message breakpoint, ${run.cpus} CPU, fan-out ${run.fanOut} (${run.use})`,
    hint: `${run.break.kind}: ${run.break.reason}`,
    xLabel: 'offered publishes/s',
    yLabel: 'delivered messages/s',
    y2Label: 'publish p99 ms',
    x: run.steps.map((s) => s.offeredRatePerS),
    series: [
      { label: 'delivered/s', values: run.steps.map((s) => Math.round(s.deliveredPerS)), scale: 'y', spanGaps: true },
      { label: 'publish p99', values: run.steps.map((s) => (s.publishP99Ms === null ? null : round(s.publishP99Ms, 1))), scale: 'y2', spanGaps: true },
    ],
    // Repeated rates share an x: each repeat is its own point.
    marks: run.break.kind === 'none' ? [] : [{ x: run.break.value, label: `break: ${run.break.kind}`, kind: 'break' }],
    lines: [],
  };
}

/** Measured (x, y) per run on one shared, sorted x axis, plus the fitted curve at every x. */
function fitChart(base: Omit<CapacityChart, 'x' | 'series'>, runs: { label: string; kind: 'measured' | 'holdout'; points: { x: number; y: number }[] }[], curve: (x: number) => number, curveLabel: string): CapacityChart {
  const xs = [...new Set(runs.flatMap((r) => r.points.map((p) => round(p.x, 3))))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const series: CapacitySeries[] = runs.map((r) => {
    const values: (number | null)[] = xs.map(() => null);
    for (const p of r.points) values[index.get(round(p.x, 3))!] = round(p.y);
    return { label: r.label, values, scale: 'y', style: r.kind === 'measured' ? 'points' : 'hollow' };
  });
  series.push({ label: curveLabel, values: xs.map((x) => round(curve(x))), scale: 'y', color: FIT_COLOUR, spanGaps: true });
  return { ...base, x: xs, series };
}

export function buildCapacityCharts(report: CapacityReport): CapacityChart[] {
  const charts: CapacityChart[] = [];
  for (const m of report.model.memory) {
    const runs = report.connectionRuns.filter((r) => r.role === m.role);
    charts.push(
      fitChart(
        {
          id: `fit-memory-${m.role}`,
          title: `Memory per connection, ${m.role}: ${m.perConnectionKb.toFixed(1)} KiB each on a base of ${m.baseMb.toFixed(1)} MiB`,
          hint: `Working-set memory against open connections, every sample before the break; fit on the "fit" runs (R² ${m.fit.r2.toFixed(4)}, RMSE ${m.fit.rmse.toFixed(2)} MiB), held-out runs only compared.`,
          xLabel: 'open connections',
          yLabel: 'MiB',
          marks: [],
          lines: runs.map((r) => ({ value: r.memoryMb, label: `limit ${r.memoryMb} MiB`, scale: 'y' as const })),
        },
        runs.map((r) => ({
          label: `${r.memoryMb} MiB (${r.use})`,
          kind: r.use === 'fit' ? 'measured' : 'holdout',
          points: r.steps.filter((s) => s.memoryMb !== null && s.atS < r.break.atS).map((s) => ({ x: s.connections, y: s.memoryMb! })),
        })),
        (x) => m.baseMb + (x * m.perConnectionKb) / 1024,
        'fit',
      ),
    );
  }
  const mm = report.model.messages;
  charts.push(
    fitChart(
      {
        id: 'fit-cpu',
        title: `CPU per delivered message: ${Math.round(mm.messagesPerSPerCore)} messages/s per core`,
        hint: `Pod CPU against delivered messages/s per rate step (R² ${mm.cpuFit.r2.toFixed(3)}, RMSE ${mm.cpuFit.rmse.toFixed(3)} cores).`,
        xLabel: 'delivered messages/s',
        yLabel: 'CPU cores',
        marks: [],
        lines: [],
      },
      report.messageRuns.map((r) => ({ label: `${r.cpus} CPU (${r.use})`, kind: r.use === 'fit' ? 'measured' : 'holdout', points: r.steps.map((s) => ({ x: s.deliveredPerS, y: s.cpuCores })) })),
      (x) => mm.cpuFit.intercept + mm.cpuFit.slope * x,
      'fit',
    ),
  );
  charts.push(
    fitChart(
      {
        id: 'fit-latency',
        title: `Publish p99 against CPU utilisation: l0 / (1 − u), l0 = ${mm.latency.l0.toFixed(1)} ms`,
        hint: `By the curve the SLO (${report.slo.publishP99Ms} ms) is reached at ${(mm.latency.utilisationAtSlo * 100).toFixed(0)}% utilisation (RMSE ${mm.latency.rmse.toFixed(1)} ms), reported, not planned on: ${utilisationBasis(mm)}.`,
        xLabel: 'CPU utilisation (of the pod limit)',
        yLabel: 'ms',
        marks: [],
        lines: [{ value: report.slo.publishP99Ms, label: `SLO ${report.slo.publishP99Ms} ms`, scale: 'y' }],
      },
      report.messageRuns.map((r) => ({
        label: `${r.cpus} CPU (${r.use})`,
        kind: r.use === 'fit' ? 'measured' : 'holdout',
        points: r.steps.filter((s) => s.publishP99Ms !== null).map((s) => ({ x: s.utilisation, y: s.publishP99Ms! })),
      })),
      (u) => mm.latency.l0 / (1 - Math.min(Math.max(u, 0), MAX_UTILISATION)),
      'fit',
    ),
  );
  return [...charts, ...report.connectionRuns.map(connectionRunChart), ...report.messageRuns.map(messageRunChart)];
}
