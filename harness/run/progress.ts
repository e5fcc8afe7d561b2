import { percentileMs } from '../metrics/histogram.ts';
import type { SeriesStore } from '../metrics/series-store.ts';

const WINDOW_S = 5;

/**
 * The live numbers of the progress line, over the last few complete seconds of the merged view:
 * connections by transport, connect failures, probe delivery p99, 5xx and misaligned REST responses.
 * Short and stable in shape so CI logs stay readable.
 */
export function liveStatus(store: SeriesStore, nowMs: number): string {
  const to = Math.floor(nowMs / 1000);
  const window = { from: Math.max(0, to - WINDOW_S), to };
  const conns = store.labelValues('connections', 'transport').map((t) => {
    const g = store.gauge('connections', { transport: t });
    return `${t}=${g[to - 1] ?? 0}`;
  });
  const attempts = store.counterTotal('connect.attempts', undefined, window);
  const failures = store.counterTotal('connect.failures', undefined, window);
  const h = store.trend('delivery.latency', undefined, window);
  const parts = [
    `pod conns ${conns.join(' ') || '0'}`,
    `connect fail ${failures}/${attempts}`,
    `delivery p99 ${h ? `${percentileMs(h, 99).toFixed(0)} ms` : '–'}`,
  ];
  const rest = store.counterTotal('rest.requests', undefined, window);
  if (rest > 0) parts.push(`rest 5xx ${store.counterTotal('rest.status5xx', undefined, window)}, misaligned ${store.counterTotal('rest.misaligned', undefined, window)}`);
  const unhealthy = store.gauge('pods.unhealthy')[to - 1];
  if (unhealthy) parts.push(`unhealthy pods ${unhealthy}`);
  return `${parts.join(', ')} (last ${WINDOW_S} s)`;
}
