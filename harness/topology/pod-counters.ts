import { fetchPodMetrics, type PodMetricsSource } from './pod-metrics.ts';

/**
 * A pod's own counters, read from its metrics at the end of a run: what the server itself says it
 * did, next to what the clients saw (e.g. zero webhook stream writes from fallback pods, 2022-08).
 * A server whose metrics lack one of them shows it empty (harness/topology/pod-metrics.ts).
 */
export interface PodCounters {
  /** Webhook events written (sut_webhook_events_written_total) by the originating connection's transport. */
  webhookWrites: Record<string, number>;
  /** REST requests (sut_rest_requests_total) by status. */
  restByStatus: Record<string, number>;
  /** Refused connections (sut_connections_refused_total) by reason (max_connections, fallback_queue, ...): what the pod turned away. */
  refusedByReason: Record<string, number>;
}

export async function podCounters(source: PodMetricsSource, timeoutMs = 1000): Promise<PodCounters | undefined> {
  // A pod that is gone or refused to start has no counters to show.
  const m = await fetchPodMetrics(source, timeoutMs);
  return m ? { webhookWrites: m.webhookWrites, restByStatus: m.restByStatus, refusedByReason: m.refusedByReason } : undefined;
}
