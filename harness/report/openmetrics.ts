import type { Chart } from './charts.ts';
import type { RunReport, VariantReport } from './report-data.ts';
import type { Reporter } from './reporter.ts';

// metrics.om: each run's per-second series as OpenMetrics text with timestamps, so replays can sit
// beside production in Grafana (backfill with `promtool tsdb create-blocks-from openmetrics`, see
// docs/grafana.md). The series are the ones report.html draws (charts.ts), under Prometheus names and
// base units; a chart this table does not know yet is still exported, as replay_<chart id>{series}.
// Every sample carries scenario, variant and run_id; times are the run's wall clock.

interface Family {
  name: string;
  type: 'gauge' | 'counter';
  unit?: string;
  help: string;
  /** The label a chart series' label becomes, plus fixed labels per series. */
  series: (label: string) => { labels: Record<string, string>; name?: string; scale?: number };
}

const FAMILIES: Record<string, Family[]> = {
  'connections-deployment': [{ name: 'replay_connections_by_deployment', type: 'gauge', help: 'Open client connections per deployment.', series: (l) => ({ labels: { deployment: l } }) }],
  'connections-transport': [{ name: 'replay_connections_by_transport', type: 'gauge', help: 'Open client connections per transport.', series: (l) => ({ labels: { transport: l } }) }],
  'connect-failures': [
    { name: 'replay_connect_attempts', type: 'counter', help: 'Connection attempts, all deployments.', series: () => ({ labels: {} }) },
    { name: 'replay_connect_failures', type: 'counter', help: 'Failed connection attempts by reason.', series: (l) => ({ labels: { reason: l } }) },
  ],
  'delivery-latency': [{ name: 'replay_delivery_latency_p99_seconds', type: 'gauge', unit: 'seconds', help: 'Probe publish-to-receive latency p99 per second, per transport.', series: (l) => ({ labels: { transport: l }, scale: 1 / 1000 }) }],
  'delivery-loss': [{ name: 'replay_delivery_problems', type: 'counter', help: 'Probe messages lost, duplicated or reordered.', series: (l) => ({ labels: { problem: l } }) }],
  'pod-memory': [{ name: 'replay_pod_memory_bytes', type: 'gauge', unit: 'bytes', help: 'Working-set memory per pod.', series: (l) => ({ labels: { pod: l }, scale: 1024 * 1024 }) }],
  'pods-unhealthy': [{ name: 'replay_pods_unhealthy', type: 'gauge', help: 'Pods not running-and-ready, per deployment.', series: (l) => ({ labels: { deployment: l } }) }],
  rest: [
    { name: 'replay_rest_responses', type: 'counter', help: 'REST probe responses by status class.', series: (l) => ({ labels: { class: l } }) },
    { name: 'replay_rest_misaligned', type: 'counter', help: 'REST responses that answered another request (keep-alive desync).', series: () => ({ labels: {} }) },
  ],
  webhooks: [{ name: 'replay_webhooks', type: 'counter', help: 'Webhooks received on time or missing, per transport.', series: (l) => ({ labels: { transport: l.split(' ')[0]!, outcome: l.split(' ').slice(1).join(' ') } }) }],
};

/** Every sample name the export writes for the charts it knows (counters end in _total). */
export const SAMPLE_NAMES: readonly string[] = Object.values(FAMILIES).flatMap((fs) => fs.map((f) => (f.type === 'counter' ? `${f.name}_total` : f.name)));

/** Which family of a chart a series belongs to (charts with two families split by series label). */
function familyOf(chart: Chart, label: string): Family {
  const known = FAMILIES[chart.id];
  if (!known) return { name: `replay_${chart.id.replace(/[^a-zA-Z0-9]+/g, '_')}`, type: 'gauge', help: chart.title, series: (l) => ({ labels: { series: l } }) };
  if (chart.id === 'connect-failures') return label === 'all attempts' ? known[0]! : known[1]!;
  if (chart.id === 'rest') return label === 'misaligned' ? known[1]! : known[0]!;
  return known[0]!;
}

/** Label values escaped as the exposition format wants: backslash, double quote, newline. */
const labelValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${labelValue(v)}"`).join(',')}}`;
const number = (v: number) => (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6));

interface Sample {
  labels: Record<string, string>;
  /** [second, value] */
  points: [number, number][];
}

/** Families with their samples for one variant, keyed by family name (a family is written once). */
function variantFamilies(scenario: string, runId: string, v: VariantReport, into: Map<string, { family: Family; samples: Sample[] }>): void {
  const base = { scenario, variant: v.variant, run_id: runId };
  for (const chart of v.charts) {
    for (const s of chart.series) {
      const family = familyOf(chart, s.label);
      const { labels, scale = 1 } = family.series(s.label);
      let total = 0;
      const points: [number, number][] = [];
      s.values.forEach((value, second) => {
        if (value === null) return;
        // Counters are cumulative in OpenMetrics: the chart's per-second counts are summed.
        if (family.type === 'counter') total += value;
        points.push([second, family.type === 'counter' ? total : value * scale]);
      });
      if (points.length === 0) continue;
      const entry = into.get(family.name) ?? { family, samples: [] };
      entry.samples.push({ labels: { ...base, ...labels }, points });
      into.set(family.name, entry);
    }
  }
}

/** The run's per-second series as OpenMetrics text; the run's start time anchors the timestamps. */
export function renderOpenMetrics(report: RunReport): string {
  const families = new Map<string, { family: Family; samples: Sample[] }>();
  const starts = new Map<string, number>();
  for (const v of report.variants) {
    variantFamilies(report.scenario.id, report.runId, v, families);
    starts.set(v.variant, Date.parse(v.startedAt ?? report.generatedAt) / 1000);
  }
  const out: string[] = [];
  for (const { family, samples } of families.values()) {
    out.push(`# TYPE ${family.name} ${family.type}`);
    if (family.unit) out.push(`# UNIT ${family.name} ${family.unit}`);
    out.push(`# HELP ${family.name} ${family.help}`);
    const sample = family.type === 'counter' ? `${family.name}_total` : family.name;
    for (const s of samples) {
      const start = starts.get(s.labels.variant!)!;
      const labels = labelText(s.labels);
      for (const [second, value] of s.points) out.push(`${sample}${labels} ${number(value)} ${(start + second).toFixed(3)}`);
    }
  }
  out.push('# EOF');
  return `${out.join('\n')}\n`;
}

export const openMetricsReporter: Reporter = { name: 'openmetrics', file: 'metrics.om', render: renderOpenMetrics };
