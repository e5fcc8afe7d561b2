import type { SeriesStore } from './series-store.ts';

// The view the 2021-09 engineers lacked: old, new and fallback deployments on one screen. Totals
// across every deployment, with the per-deployment and per-transport parts next to them.

export interface Breakdown<V> {
  total: V[];
  parts: Record<string, V[]>;
}

export interface MergedView {
  seconds: number;
  connections: { byDeployment: Breakdown<number | null>; byTransport: Breakdown<number | null> };
  connectAttempts: Breakdown<number>;
  connectFailures: { byDeployment: Breakdown<number>; byReason: Breakdown<number> };
  /** Per second, failures / attempts across all deployments; null when there were no attempts. */
  connectFailureRatio: (number | null)[];
}

function gaugeBy(store: SeriesStore, metric: string, label: string): Breakdown<number | null> {
  const parts = Object.fromEntries(store.labelValues(metric, label).map((v) => [v, store.gauge(metric, { [label]: v })]));
  return { total: store.gauge(metric), parts };
}

function counterBy(store: SeriesStore, metric: string, label: string): Breakdown<number> {
  const parts = Object.fromEntries(store.labelValues(metric, label).map((v) => [v, store.counter(metric, { [label]: v })]));
  return { total: store.counter(metric), parts };
}

export function mergedView(store: SeriesStore): MergedView {
  const attempts = counterBy(store, 'connect.attempts', 'deployment');
  const failures = counterBy(store, 'connect.failures', 'deployment');
  return {
    seconds: store.durationS,
    connections: { byDeployment: gaugeBy(store, 'connections', 'deployment'), byTransport: gaugeBy(store, 'connections', 'transport') },
    connectAttempts: attempts,
    connectFailures: { byDeployment: failures, byReason: counterBy(store, 'connect.failures', 'reason') },
    connectFailureRatio: attempts.total.map((a, s) => (a > 0 ? failures.total[s]! / a : null)),
  };
}
