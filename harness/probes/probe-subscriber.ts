/**
 * One probe client that keeps a subscription alive on one transport: connect, subscribe, and on
 * any close reconnect after a short pause (on the same transport: a probe measures its transport,
 * it never falls back). Every attempt and close goes to the history through connectRecorded.
 */
import { connectRecorded, recordNoTarget } from '../load/recorded-connect.ts';
import { sleep } from '../load/timing.ts';
import type { ClientTransport, Endpoint, PusherConnection, PusherFrame } from '../load/pusher-client/index.ts';
import { endpointFor, type ProbeContext } from './probe.ts';

export interface ProbeSubscriberOptions {
  client: string;
  transport: ClientTransport;
  deployment: string | undefined;
  channel: string;
  onFrame(frame: PusherFrame, endpoint: Endpoint): void;
  signal: AbortSignal;
  deadline: number;
  /** Pause between a close and the next attempt. */
  retryMs?: number;
}

export class ProbeSubscriber {
  private conn: PusherConnection | undefined;
  ready = false;
  readonly done: Promise<void>;

  constructor(
    private readonly ctx: ProbeContext,
    private readonly opts: ProbeSubscriberOptions,
  ) {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    const { ctx, opts } = this;
    const retryMs = opts.retryMs ?? 500;
    const labels = { client: opts.client, source: 'probe' as const };
    // Bounded by time and by attempts (a refused port fails fast; this caps the spin).
    const maxAttempts = Math.ceil((opts.deadline - performance.now()) / Math.max(50, retryMs)) + 1;
    for (let attempt = 0; attempt < maxAttempts && !opts.signal.aborted && performance.now() < opts.deadline; attempt++) {
      const endpoint = endpointFor(ctx.targets, opts.deployment);
      if (!endpoint) {
        recordNoTarget(ctx.history, labels, opts.transport, opts.deployment ?? '');
        await sleep(retryMs, opts.signal);
        continue;
      }
      let conn: PusherConnection;
      try {
        conn = await connectRecorded(ctx.history, labels, {
          endpoint,
          app: ctx.app,
          transport: opts.transport,
          timeoutMs: ctx.connectTimeoutMs ?? 5000,
          ...(ctx.activityTimeoutMs !== undefined ? { activityTimeoutMs: ctx.activityTimeoutMs } : {}),
          ...(ctx.pongTimeoutMs !== undefined ? { pongTimeoutMs: ctx.pongTimeoutMs } : {}),
        });
      } catch {
        await sleep(retryMs, opts.signal);
        continue;
      }
      this.conn = conn;
      if (opts.signal.aborted) conn.close();
      conn.onEvent((f) => opts.onFrame(f, endpoint));
      try {
        await conn.subscribe(opts.channel);
        this.ready = true;
      } catch {
        conn.close();
      }
      await conn.closed;
      this.ready = false;
      this.conn = undefined;
      await sleep(retryMs, opts.signal);
    }
  }

  /**
   * Leaves the channel and joins it again at once on the same connection (both frames back to back),
   * resolving once the server confirmed the new subscription: true, or false when it did not.
   */
  async rejoin(): Promise<boolean> {
    const conn = this.conn;
    if (!conn || !this.ready) return false;
    conn.unsubscribe(this.opts.channel);
    try {
      await conn.subscribe(this.opts.channel);
      return true;
    } catch {
      conn.close();
      return false;
    }
  }

  /** Closes the connection; `done` resolves once the loop has ended. */
  close(): void {
    this.conn?.close();
  }
}
