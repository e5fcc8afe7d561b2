import type { Observation } from '../metrics/fold.ts';
import { percentileMs } from '../metrics/histogram.ts';
import type { Slo } from '../scenario/schema.ts';
import { parseThreshold } from '../scenario/threshold.ts';

// The time series a person needs to see the incident: connections per deployment and per transport,
// connect failures by reason, delivery latency per transport, pod memory and health, REST and
// webhook outcomes. A chart with no data is left out rather than drawn empty.

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

/** A horizontal reference line: an SLO's limit drawn where the data is. */
export interface ChartLine {
  value: number;
  label: string;
}

export interface Chart {
  id: string;
  title: string;
  unit: string;
  lines: ChartLine[];
  /** What to look for, for someone who has never seen this incident. */
  hint: string;
  series: ChartSeries[];
}

const hasData = (c: Chart) => c.series.some((s) => s.values.some((v) => v !== null && v !== 0));

/** p(N) latency SLOs on probe delivery, drawn on the latency chart (which shows p99 per second). */
function latencyLines(slos: readonly Slo[]): ChartLine[] {
  return slos.flatMap((s) => {
    if (s.kind !== 'trend' || s.metric !== 'delivery.latency') return [];
    const t = parseThreshold(s.threshold);
    if (!t.ok || t.threshold.agg.kind !== 'percentile') return [];
    const scope = Object.values(s.where ?? {}).join(', ');
    return [{ value: t.threshold.value, label: `SLO ${s.threshold}${scope ? ` (${scope})` : ''}` }];
  });
}

export function buildCharts(obs: Observation, slos: readonly Slo[] = []): Chart[] {
  const m = obs.metrics;
  const n = m.durationS;
  const perSecondP99 = (where: Record<string, string>): (number | null)[] =>
    Array.from({ length: n }, (_, s) => {
      const h = m.trend('delivery.latency', where, { from: s, to: s + 1 });
      return h ? Math.round(percentileMs(h, 99) * 10) / 10 : null;
    });
  const charts: Chart[] = [
    {
      id: 'connections-deployment',
      title: 'Open connections per deployment',
      unit: 'connections',
      lines: [],
      hint: 'Where clients are connected. A drop is a kill or a cap; a rise elsewhere is clients moving.',
      // The total beside the deployments: the run's peak (summary.json's peakConnections) is read here.
      series: [
        ...m.labelValues('connections', 'deployment').map((d) => ({ label: d, values: m.gauge('connections', { deployment: d }) })),
        { label: 'all pods', values: m.gauge('connections') },
      ],
    },
    {
      id: 'connections-transport',
      title: 'Open connections per transport',
      unit: 'connections',
      lines: [],
      hint: 'WebSocket versus the HTTP fallback. Fallback growth means clients gave up on WebSocket.',
      series: m.labelValues('connections', 'transport').map((t) => ({ label: t, values: m.gauge('connections', { transport: t }) })),
    },
    {
      id: 'connect-failures',
      title: 'Connection attempts per second: all of them, and the failed ones by reason (all deployments)',
      unit: 'per s',
      lines: [],
      hint: 'close:1006 = WebSocket dropped before the handshake finished; http:502/503 = the edge had no healthy backend.',
      series: [
        { label: 'all attempts', values: m.counter('connect.attempts') },
        ...m.labelValues('connect.failures', 'reason').map((r) => ({ label: r, values: m.counter('connect.failures', { reason: r }) })),
      ],
    },
    {
      id: 'delivery-latency',
      title: 'Probe delivery latency p99 per transport',
      unit: 'ms',
      lines: latencyLines(slos),
      hint: 'End-to-end publish-to-receive time of the synthetic probes, per second.',
      series: m.labelValues('delivery.latency', 'transport').map((t) => ({ label: t, values: perSecondP99({ transport: t }) })),
    },
    {
      id: 'delivery-loss',
      title: 'Probe messages lost / duplicated / reordered per second',
      unit: 'messages/s',
      lines: [],
      hint: 'Counted at the second the message was sent (lost) or received (duplicated, reordered).',
      series: ['delivery.lost', 'delivery.duplicated', 'delivery.reordered'].map((x) => ({ label: x.split('.')[1]!, values: m.counter(x) })),
    },
    {
      id: 'pod-memory',
      title: 'Memory per pod',
      unit: 'MB',
      lines: [],
      hint: 'A line that climbs and then falls to zero is a pod killed by the kernel at its memory limit.',
      series: m.labelValues('pod.memoryMb', 'pod').map((p) => ({ label: p, values: m.gauge('pod.memoryMb', { pod: p }) })),
    },
    {
      id: 'pods-unhealthy',
      title: 'Unhealthy pods per deployment',
      unit: 'pods',
      lines: [],
      hint: 'Pods not running-and-ready. Nobody was paged for this in 2021-12.',
      series: m.labelValues('pods.unhealthy', 'deployment').map((d) => ({ label: d, values: m.gauge('pods.unhealthy', { deployment: d }) })),
    },
    {
      id: 'rest',
      title: 'REST responses per second',
      unit: 'responses/s',
      lines: [],
      hint: 'misaligned = the response belonged to a different request (keep-alive desync).',
      series: [
        ...['2xx', '3xx', '4xx', '5xx'].map((c) => ({ label: c, values: m.counter(`rest.status${c}`) })),
        { label: 'misaligned', values: m.counter('rest.misaligned') },
      ].filter((s) => s.values.some((v) => v > 0)),
    },
    {
      id: 'webhooks',
      title: 'Webhooks per second, per transport',
      unit: 'webhooks/s',
      lines: [],
      hint: 'expected vs received on time; "missing" is counted when a deadline passes without the webhook.',
      series: m.labelValues('webhooks.expected', 'transport').flatMap((t) => [
        { label: `${t} received`, values: m.counter('webhooks.received', { transport: t }) },
        { label: `${t} missing`, values: m.counter('webhooks.missing', { transport: t }) },
      ]),
    },
  ];
  return charts.filter(hasData);
}
