/**
 * The webhooks the server posted to the command's receiver (harness/probes/webhook-receiver.ts:
 * the `pusher` client's signature verification), kept whole so a check can match on user_id or
 * event name, and waited for with a bound.
 */
import { MemoryHistory } from '../history/memory-history.ts';
import type { AppCredentials } from '../load/pusher-client/index.ts';
import { startWebhookReceiver, type StartedWebhookReceiver } from '../probes/webhook-receiver.ts';

export interface ReceivedWebhook {
  name: string;
  channel: string;
  userId?: string;
  event?: string;
  signatureValid: boolean;
}

export class WebhookInbox {
  readonly received: ReceivedWebhook[] = [];
  private waiters: (() => void)[] = [];

  private constructor(private receiver: StartedWebhookReceiver | undefined) {}

  static async start(app: AppCredentials, port: number): Promise<WebhookInbox> {
    const inbox = new WebhookInbox(undefined);
    inbox.receiver = await startWebhookReceiver({
      history: new MemoryHistory(),
      app,
      port,
      onEvent: (e, signatureValid) => {
        inbox.received.push({
          name: String(e.name),
          channel: String(e.channel),
          userId: typeof e.user_id === 'string' ? e.user_id : undefined,
          event: typeof e.event === 'string' ? e.event : undefined,
          signatureValid,
        });
        for (const w of inbox.waiters.splice(0)) w();
      },
    });
    return inbox;
  }

  get url(): string {
    return this.receiver?.url ?? '';
  }

  /** The first webhook matching `match`, waiting up to `timeoutMs`; undefined when none came. */
  async waitFor(match: (w: ReceivedWebhook) => boolean, timeoutMs: number): Promise<ReceivedWebhook | undefined> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = this.received.find(match);
      if (hit) return hit;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** What arrived for `channel`, for failure messages. */
  seenOn(channel: string): string {
    const on = this.received.filter((w) => w.channel === channel).map((w) => `${w.name}${w.userId ? `(${w.userId})` : ''}${w.signatureValid ? '' : '[bad signature]'}`);
    return on.length > 0 ? on.join(', ') : 'none';
  }

  stop(): Promise<void> {
    return this.receiver?.stop() ?? Promise.resolve();
  }
}
