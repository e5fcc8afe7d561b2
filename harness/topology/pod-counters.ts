import { metricByLabel } from './prometheus-text.ts';

/**
 * A pod's own counters, read from its /metrics at the end of a run: what the server itself says it
 * did, next to what the clients saw (e.g. zero webhook stream writes from fallback pods, 2022-08).
 */
export interface PodCounters {
  /** sut_webhook_events_written_total by the originating connection's transport. */
  webhookWrites: Record<string, number>;
  /** sut_rest_requests_total by status. */
  restByStatus: Record<string, number>;
  /** sut_connections_refused_total by reason (max_connections, fallback_queue, ...): what the pod turned away. */
  refusedByReason: Record<string, number>;
}

export async function podCounters(url: string, timeoutMs = 1000): Promise<PodCounters | undefined> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const text = await res.text();
    return {
      webhookWrites: metricByLabel(text, 'sut_webhook_events_written_total', 'transport'),
      restByStatus: metricByLabel(text, 'sut_rest_requests_total', 'status'),
      refusedByReason: metricByLabel(text, 'sut_connections_refused_total', 'reason'),
    };
  } catch {
    return undefined; // a pod that is gone or refused to start has no counters to show
  }
}
