/** What a transport gives the hub: a way to send frames to one client and to close it. */
import type { Transport } from '../protocol/messages.ts';
import type { SharedFrame } from '../protocol/shared-frame.ts';
import type { WebhookWriter } from '../webhooks/webhook-writer.ts';

export interface ClientConnection {
  readonly transport: Transport;
  /** Send one Pusher frame (JSON text); `shared` is the same frame, encoded once for a fan-out. */
  send(frame: string, shared?: SharedFrame): void;
  /** Close with a Pusher close code (4000-4299) or a WebSocket code. */
  close(code: number, reason: string): void;
}

/** Token bucket: `rate` events per second, bursts up to `rate`. */
export class RateLimiter {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.tokens = rate;
    this.last = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface Subscription {
  userId?: string;
  userInfo?: unknown;
}

/** A client connection as the hub tracks it. */
export class LocalConnection {
  readonly channels = new Map<string, Subscription>();
  lastActivity: number;
  closed = false;
  /** RETAINED_BYTES_PER_CONNECTION (2021-12): really allocated and touched, dropped on close. */
  retained: Buffer | undefined;
  readonly clientEvents: RateLimiter;

  constructor(
    readonly socketId: string,
    readonly conn: ClientConnection,
    readonly webhooks: WebhookWriter,
    retainedBytes: number,
    clientEventRate: number,
    now: number,
  ) {
    this.lastActivity = now;
    this.clientEvents = new RateLimiter(clientEventRate, now);
    if (retainedBytes > 0) this.retained = Buffer.alloc(retainedBytes).fill(0x5a);
  }

  get transport(): Transport {
    return this.conn.transport;
  }
}
