/**
 * What a check gets: the target, pusher-js clients that are disconnected after the check, the
 * `pusher` REST client, fresh channel names, the auth endpoint and the webhook inbox.
 */
import { Agent } from 'node:http';
import Pusher from 'pusher';
import { LOOPBACK_HOST } from '../load/pusher-client/index.ts';
import type { StartedAuthEndpoint } from './auth-endpoint.ts';
import { ConformanceClient, type ClientTransport } from './pusher-js-client.ts';
import type { ConformanceTarget } from './target.ts';
import type { WebhookInbox } from './webhook-inbox.ts';

export interface CheckContext {
  readonly target: ConformanceTarget;
  readonly timeoutMs: number;
  readonly auth: StartedAuthEndpoint;
  /** Undefined when the target has no webhook receiver (checks that need webhooks are skipped). */
  readonly webhooks: WebhookInbox | undefined;
  /** A channel name no other check uses: `<prefix>conf-<run>-<tag>-<n>`. */
  channel(kind: 'public' | 'private' | 'presence', tag: string): string;
  /** A connected pusher-js client; disconnected when the check ends. */
  connect(opts?: { transport?: ClientTransport; userId?: string; forgedAuth?: boolean }): Promise<ConformanceClient>;
  /** The `pusher` REST client with the target's credentials (its own agent, no keep-alive: one connection per request). */
  rest(opts?: { secret?: string }): Pusher;
}

export class LiveCheckContext implements CheckContext {
  private readonly clients: ConformanceClient[] = [];
  /** Not Node's global agent (keep-alive since Node 19): a stray response on a pooled socket must not reach the next check. */
  private readonly agent = new Agent({ keepAlive: false });
  private n = 0;

  constructor(
    readonly target: ConformanceTarget,
    readonly auth: StartedAuthEndpoint,
    readonly webhooks: WebhookInbox | undefined,
    readonly timeoutMs: number,
    private readonly runTag: string,
  ) {}

  channel(kind: 'public' | 'private' | 'presence', tag: string): string {
    return `${kind === 'public' ? '' : `${kind}-`}conf-${this.runTag}-${tag}-${++this.n}`;
  }

  async connect(opts: { transport?: ClientTransport; userId?: string; forgedAuth?: boolean } = {}): Promise<ConformanceClient> {
    const c = new ConformanceClient({
      port: this.target.port,
      key: this.target.app.key,
      transport: opts.transport ?? 'ws',
      authUrl: opts.forgedAuth ? this.auth.forgedUrl : this.auth.url,
      userId: opts.userId,
      timeoutMs: this.timeoutMs,
    });
    this.clients.push(c);
    await c.connected();
    return c;
  }

  rest(opts: { secret?: string } = {}): Pusher {
    const { app, port } = this.target;
    return new Pusher({ appId: app.id, key: app.key, secret: opts.secret ?? app.secret, host: LOOPBACK_HOST, port: String(port), useTLS: false, agent: this.agent, timeout: this.timeoutMs });
  }

  /** Disconnects every client the check opened. */
  close(): void {
    for (const c of this.clients.splice(0)) c.disconnect();
    this.agent.destroy();
  }
}
