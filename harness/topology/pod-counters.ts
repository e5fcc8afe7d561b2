import { podGet } from './pod-http.ts';
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
  const res = await podGet(`${url}/metrics`, timeoutMs);
  // A pod that is gone or refused to start has no counters to show.
  if (res?.status !== 200) return undefined;
  return {
    webhookWrites: metricByLabel(res.body, 'sut_webhook_events_written_total', 'transport'),
    restByStatus: metricByLabel(res.body, 'sut_rest_requests_total', 'status'),
    refusedByReason: metricByLabel(res.body, 'sut_connections_refused_total', 'reason'),
  };
}
