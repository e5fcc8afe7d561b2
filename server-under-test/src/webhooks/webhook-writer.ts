/**
 * Writes webhook events to the queue. One writer per transport family, each enabled by its own
 * variable (2022-08): the ws role reads WEBHOOK_STREAM_ENABLED, the fallback role reads
 * FALLBACK_STREAM_WRITES. A disabled writer drops events without a word, as the report describes.
 */
import type { Metrics } from '../metrics.ts';
import type { Transport } from '../protocol/messages.ts';
import type { WebhookQueue } from './webhook-queue.ts';

export interface WebhookEvent {
  name: 'channel_occupied' | 'channel_vacated' | 'member_added' | 'member_removed' | 'client_event';
  channel: string;
  user_id?: string;
  event?: string;
  data?: string;
  socket_id?: string;
}

export class WebhookWriter {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly queue: WebhookQueue,
    private readonly enabled: boolean,
    private readonly metrics: Metrics,
    private readonly onError: (err: Error) => void,
  ) {}

  write(event: WebhookEvent, transport: Transport): void {
    if (!this.enabled) return;
    const p = this.queue
      .append(JSON.stringify(event))
      .then(() => this.metrics.webhookWritten.labels(transport).inc())
      .catch((err: Error) => this.onError(err))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Wait for every write issued so far (graceful shutdown). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
