import type { Transport } from '../scenario/vocabulary.ts';
import { podGet } from './pod-http.ts';
import { metricByLabel, metricSum } from './prometheus-text.ts';

/**
 * Where a server's own Prometheus metrics say what the harness reads, so the pod sampler, the limit
 * probes and the end-of-run counters work with any server. A metric a server does not have is left
 * out: what it would have shown is then missing, never zero.
 */
export interface PodMetricNames {
  /** Open client connections, a gauge; by transport when `transportLabel` is set, else all WebSocket. */
  connections: { metric: string; transportLabel?: string };
  /** Connections the pod turned away, a counter; by reason when `reasonLabel` is set. */
  refusals?: { metric: string; reasonLabel?: string; reasons?: string[]; /** The server's reason → ours (e.g. its cap refusal → max_connections). */ asOurs?: Record<string, string> };
  /** Messages the pod sent to clients, a counter. */
  messagesOut?: { metric: string };
  /** Fallback requests waiting in the pod's limiter, a gauge. */
  queuedRequests?: { metric: string };
  /** Webhook events written, by the originating connection's transport. */
  webhookWrites?: { metric: string; transportLabel: string };
  /** REST requests by HTTP status. */
  restRequests?: { metric: string; statusLabel: string };
  /** The live heap after a forced full collection (a gauge, bytes) and how many samples were taken (a counter). */
  liveHeap?: { bytes: string; samples: string };
}

/** Our server's names (server-under-test/src/metrics.ts). */
export const SUT_METRIC_NAMES: PodMetricNames = {
  connections: { metric: 'sut_connections', transportLabel: 'transport' },
  refusals: { metric: 'sut_connections_refused_total', reasonLabel: 'reason' },
  messagesOut: { metric: 'sut_messages_out_total' },
  queuedRequests: { metric: 'sut_fallback_queued_requests' },
  webhookWrites: { metric: 'sut_webhook_events_written_total', transportLabel: 'transport' },
  restRequests: { metric: 'sut_rest_requests_total', statusLabel: 'status' },
  liveHeap: { bytes: 'sut_heap_live_bytes', samples: 'sut_heap_live_samples_total' },
};

/** Where one pod's metrics are and what they are called. */
export interface PodMetricsSource {
  url: string;
  names: PodMetricNames;
}

export interface PodMetricsReading {
  connections: Partial<Record<Transport, number>>;
  /** By reason; a server without reasons counts under `refused`. */
  refusedByReason: Record<string, number>;
  messagesOut?: number;
  queued: number;
  webhookWrites: Record<string, number>;
  restByStatus: Record<string, number>;
  /** Present when the server exports it; `samples` 0 means the sampling is off. */
  liveHeap?: { bytes: number; samples: number };
}

export function readPodMetrics(text: string, names: PodMetricNames): PodMetricsReading {
  const c = names.connections;
  const connections = c.transportLabel ? (metricByLabel(text, c.metric, c.transportLabel) as Partial<Record<Transport, number>>) : { ws: metricSum(text, c.metric) };
  let refusedByReason: Record<string, number> = {};
  if (names.refusals?.reasonLabel) {
    refusedByReason = metricByLabel(text, names.refusals.metric, names.refusals.reasonLabel);
    const keep = names.refusals.reasons;
    if (keep) refusedByReason = Object.fromEntries(Object.entries(refusedByReason).filter(([r]) => keep.includes(r)));
    const asOurs = names.refusals.asOurs;
    if (asOurs) refusedByReason = Object.fromEntries(Object.entries(refusedByReason).map(([r, n]) => [asOurs[r] ?? r, n]));
  } else if (names.refusals) {
    refusedByReason = { refused: metricSum(text, names.refusals.metric) };
  }
  return {
    connections,
    refusedByReason,
    ...(names.messagesOut ? { messagesOut: metricSum(text, names.messagesOut.metric) } : {}),
    queued: names.queuedRequests ? metricSum(text, names.queuedRequests.metric) : 0,
    webhookWrites: names.webhookWrites ? metricByLabel(text, names.webhookWrites.metric, names.webhookWrites.transportLabel) : {},
    restByStatus: names.restRequests ? metricByLabel(text, names.restRequests.metric, names.restRequests.statusLabel) : {},
    ...(names.liveHeap && new RegExp(`^${names.liveHeap.samples}[{ ]`, 'm').test(text)
      ? { liveHeap: { bytes: metricSum(text, names.liveHeap.bytes), samples: metricSum(text, names.liveHeap.samples) } }
      : {}),
  };
}

/** One reading of a pod's metrics; undefined when the pod does not answer. */
export async function fetchPodMetrics(source: PodMetricsSource, timeoutMs: number): Promise<PodMetricsReading | undefined> {
  const res = await podGet(source.url, timeoutMs);
  return res?.status === 200 ? readPodMetrics(res.body, source.names) : undefined;
}
