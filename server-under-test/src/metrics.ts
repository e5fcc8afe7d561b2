/** Prometheus metrics, one registry per pod (several pods can share a test process). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Transport } from './protocol/messages.ts';

export type RefusalReason = 'max_connections' | 'unknown_app' | 'fallback_sessions' | 'fallback_queue' | 'draining';

export class Metrics {
  readonly registry = new Registry();
  readonly connections: Gauge<'transport'>;
  readonly refused: Counter<'transport' | 'reason'>;
  readonly messagesIn: Counter<'transport'>;
  readonly messagesOut: Counter<'transport'>;
  readonly publishToSend: Histogram<'transport'>;
  readonly restRequests: Counter<'route' | 'status'>;
  readonly webhookWritten: Counter<'transport'>;
  readonly webhookDelivered: Counter<'result'>;
  readonly fallbackSessions: Gauge;
  readonly fallbackReceives: Counter<'transport'>;
  readonly fallbackQueued: Gauge;
  readonly retainedBytes: Gauge;
  /** The live heap after a forced full collection (LIVE_HEAP_SAMPLE_MS, live-heap.ts). */
  readonly heapLiveBytes: Gauge;
  readonly heapLiveSampledAt: Gauge;
  /** Samples taken: a reader that saw the same count last time has no new value. */
  readonly heapLiveSamples: Counter;
  /** Client input refused at the boundary (malformed target, oversize headers, ...). */
  readonly rejectedRequests: Counter<'surface' | 'reason'>;
  /** Slow and abusive clients cut off by a bound (ClientLimits). */
  readonly clientsDropped: Counter<'reason'>;

  constructor(pod: string, version: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ pod, version });
    collectDefaultMetrics({ register: this.registry, prefix: 'sut_' });
    this.connections = new Gauge({ name: 'sut_connections', help: 'Open client connections by transport', labelNames: ['transport'], registers });
    this.refused = new Counter({
      name: 'sut_connections_refused_total',
      help: 'Connection attempts refused, by transport and reason',
      labelNames: ['transport', 'reason'],
      registers,
    });
    this.messagesIn = new Counter({ name: 'sut_messages_in_total', help: 'Frames received from clients', labelNames: ['transport'], registers });
    this.messagesOut = new Counter({ name: 'sut_messages_out_total', help: 'Frames sent to clients', labelNames: ['transport'], registers });
    this.publishToSend = new Histogram({
      name: 'sut_publish_to_send_seconds',
      help: 'Time from publish (any pod) to this pod handing the event to a transport, per fan-out batch',
      labelNames: ['transport'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.restRequests = new Counter({ name: 'sut_rest_requests_total', help: 'REST API requests by route and status', labelNames: ['route', 'status'], registers });
    this.webhookWritten = new Counter({
      name: 'sut_webhook_events_written_total',
      help: 'Webhook events written to the stream, by the transport of the originating connection',
      labelNames: ['transport'],
      registers,
    });
    this.webhookDelivered = new Counter({ name: 'sut_webhook_posts_total', help: 'Webhook POST attempts by result', labelNames: ['result'], registers });
    this.fallbackSessions = new Gauge({ name: 'sut_fallback_sessions', help: 'Live HTTP fallback sessions', registers });
    this.fallbackReceives = new Counter({
      name: 'sut_fallback_receive_requests_total',
      help: 'Receiving requests (xhr_streaming, xhr) attached to fallback sessions',
      labelNames: ['transport'],
      registers,
    });
    this.fallbackQueued = new Gauge({ name: 'sut_fallback_queued_requests', help: 'Fallback requests waiting for a slot', registers });
    this.retainedBytes = new Gauge({ name: 'sut_retained_bytes', help: 'Bytes held by RETAINED_BYTES_PER_CONNECTION', registers });
    this.heapLiveBytes = new Gauge({ name: 'sut_heap_live_bytes', help: 'V8 heap in use right after a forced full garbage collection (LIVE_HEAP_SAMPLE_MS)', registers });
    this.heapLiveSampledAt = new Gauge({ name: 'sut_heap_live_sampled_at_seconds', help: 'Unix time of the last live-heap sample', registers });
    this.heapLiveSamples = new Counter({ name: 'sut_heap_live_samples_total', help: 'Live-heap samples taken (each one a forced full garbage collection)', registers });
    this.rejectedRequests = new Counter({
      name: 'sut_rejected_requests_total',
      help: 'Requests refused at the boundary as client errors, by surface (http, upgrade) and reason',
      labelNames: ['surface', 'reason'],
      registers,
    });
    this.clientsDropped = new Counter({
      name: 'sut_clients_dropped_total',
      help: 'Clients cut off by a bound: slow_request (headers not in time), slow_body, send_buffer_full, address_limit, channel_limit (a subscribe refused)',
      labelNames: ['reason'],
      registers,
    });
    for (const r of ['slow_request', 'slow_body', 'send_buffer_full', 'address_limit', 'channel_limit']) this.clientsDropped.labels(r).inc(0);
    for (const t of ['ws', 'xhr_streaming', 'xhr_polling'] as Transport[]) {
      this.connections.labels(t).set(0);
      this.messagesOut.labels(t).inc(0);
      this.messagesIn.labels(t).inc(0);
      this.webhookWritten.labels(t).inc(0);
    }
  }
}
