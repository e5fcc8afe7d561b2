/**
 * The webhook-dispatcher role: reads the queue, POSTs batches to WEBHOOK_URL signed with
 * X-Pusher-Key / X-Pusher-Signature, acks on 2XX, retries with exponential back-off otherwise,
 * so nothing is lost while the receiver is briefly down.
 */
import { webhookSignature } from '../auth/signing.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { WebhookQueue } from './webhook-queue.ts';

export interface DispatcherOptions {
  url: string;
  appKey: string;
  appSecret: string;
  batchSize?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  requestTimeoutMs?: number;
}

export class WebhookDispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly queue: WebhookQueue & { release?(ids: string[]): void; retryPending?(): void },
    private readonly opts: DispatcherOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private async run(): Promise<void> {
    const batchSize = this.opts.batchSize ?? 50;
    const minB = this.opts.minBackoffMs ?? 100;
    const maxB = this.opts.maxBackoffMs ?? 5000;
    let backoff = minB;
    while (this.running) {
      let entries;
      try {
        entries = await this.queue.read(batchSize, 500);
      } catch (err) {
        if (!this.running) break;
        this.log.warn('webhook queue read failed', { err: (err as Error).message });
        await this.sleep(backoff);
        backoff = Math.min(maxB, backoff * 2);
        continue;
      }
      if (entries.length === 0) continue;
      const events = entries.map((e) => JSON.parse(e.body) as unknown);
      const body = JSON.stringify({ time_ms: Date.now(), events });
      const ok = await this.post(body);
      if (ok) {
        backoff = minB;
        await this.queue.ack(entries.map((e) => e.id)).catch((err: Error) => this.log.warn('webhook ack failed', { err: err.message }));
      } else {
        this.queue.release?.(entries.map((e) => e.id));
        this.queue.retryPending?.();
        if (!this.running) break;
        await this.sleep(backoff);
        backoff = Math.min(maxB, backoff * 2);
      }
    }
  }

  private async post(body: string): Promise<boolean> {
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Pusher-Key': this.opts.appKey,
          'X-Pusher-Signature': webhookSignature(this.opts.appSecret, body),
        },
        body,
        signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      const ok = res.status >= 200 && res.status < 300;
      this.metrics.webhookDelivered.labels(ok ? 'ok' : `http_${res.status}`).inc();
      return ok;
    } catch (err) {
      this.metrics.webhookDelivered.labels('error').inc();
      this.log.debug('webhook post failed', { err: (err as Error).message });
      return false;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.queue.close();
    await this.loop;
  }
}
