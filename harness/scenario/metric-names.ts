// The metric catalogue: every series the metrics fold produces, with its kind. Scenarios name these
// in SLOs and alerts, so the names are checked when the scenario loads, not when a run is judged.
// Kinds follow k6: counters add up, trends keep distributions (HDR), gauges keep the last sample.

export const COUNTERS = [
  'connect.attempts',
  'connect.successes',
  'connect.failures',
  'connections.closed',
  'connections.dropped',
  /** Clients that left on purpose (load.clients.churn): closed by the client, not dropped. */
  'connections.churned',
  'messages.sent',
  'messages.received',
  'delivery.lost',
  'delivery.duplicated',
  'delivery.reordered',
  'rest.requests',
  'rest.responses',
  'rest.valid',
  'rest.valid4xx',
  'rest.status2xx',
  'rest.status3xx',
  'rest.status4xx',
  'rest.status5xx',
  'rest.aligned',
  'rest.misaligned',
  'webhooks.expected',
  'webhooks.received',
  'webhooks.late',
  'webhooks.missing',
  'webhooks.invalidSignature',
  'webhooks.duplicated',
  'webhooks.stray',
  'pod.samples',
  'pod.restarts',
  'pod.oomKills',
  'log.lines',
  'k6.points',
] as const;

export const TRENDS = ['delivery.latency', 'rest.latency', 'connect.latency'] as const;
export const GAUGES = ['connections', 'pod.memoryMb', 'pod.heapLiveMb', 'pods.unhealthy', 'pods.running'] as const;

export type CounterName = (typeof COUNTERS)[number];
export type TrendName = (typeof TRENDS)[number];
export type GaugeName = (typeof GAUGES)[number];
export type MetricKind = 'counter' | 'trend' | 'gauge';

/** Labels a series may carry; `where` filters in SLOs and alerts use these keys. */
export const LABELS = ['deployment', 'pod', 'transport', 'reason', 'source', 'probe', 'event', 'status', 'kind', 'tag', 'code', 'abnormal'] as const;

/**
 * k6 metrics pass through as `k6.<name>`: counted as a counter (sum of values) and, for trends, also
 * as a distribution, so `k6.ws_connecting` works with both `count` and `p(95)`.
 */
export function metricKind(name: string): MetricKind | undefined {
  if ((COUNTERS as readonly string[]).includes(name)) return 'counter';
  if ((TRENDS as readonly string[]).includes(name)) return 'trend';
  if ((GAUGES as readonly string[]).includes(name)) return 'gauge';
  if (/^k6\.[\w.]+$/.test(name)) return 'counter';
  return undefined;
}

/** k6's built-in timings, by their names. */
const K6_TREND = /(_duration|_connecting|_waiting|_sending|_receiving|_blocked|_handshaking|latency)$/;

/**
 * The Trend metrics the scripts in scenarios/load/ declare (`new Trend(…)`): their names follow no
 * rule, so they are listed (k6-scripts.test.ts checks the list against the scripts).
 */
export const K6_SCRIPT_TRENDS: readonly string[] = ['pusher_connect_time'];

/** k6 metrics (by their k6 name) whose values are also kept as a distribution: timings. */
export function isK6Trend(k6Metric: string): boolean {
  return K6_TREND.test(k6Metric) || K6_SCRIPT_TRENDS.includes(k6Metric);
}

export function isTrendLike(name: string): boolean {
  return (TRENDS as readonly string[]).includes(name) || /^k6\.[\w.]+$/.test(name);
}

/**
 * The counter that proves a counter had a chance to count. `delivery.lost == 0` with no probe message
 * ever sent is no evidence of anything: the verdict must be unknown, never a silent pass.
 */
export function evidenceBase(counter: string): string {
  if (counter.startsWith('k6.')) return 'k6.points';
  if (counter.startsWith('delivery.') || counter.startsWith('messages.')) return 'messages.sent';
  if (counter.startsWith('rest.')) return 'rest.requests';
  if (counter.startsWith('webhooks.')) return 'webhooks.expected';
  if (counter.startsWith('connect.')) return 'connect.attempts';
  if (counter.startsWith('connections.')) return 'connect.successes';
  return 'pod.samples';
}
