/**
 * One simulated end-user client: starts at its planned time, connects WebSocket first, joins its
 * channels, and on a failed connect or a dropped connection retries by close-code range, falling
 * back down the transport ladder after repeated connect failures (pusher-js behaviour).
 */
import type { History } from '../../history/history.ts';
import { reasonKey } from '../../history/events.ts';
import type { ReconnectPolicy } from '../../scenario/schema.ts';
import { ConnectError, type AppCredentials, type ClientTransport, type Endpoint, type PusherConnection } from '../pusher-client/index.ts';
import { connectRecorded } from '../recorded-connect.ts';
import { sleep } from '../timing.ts';
import type { ClientPlan } from './client-plan.ts';
import { nextStep } from './reconnect-policy.ts';
import { seededRandom } from './seeded-random.ts';
import { TransportLadder } from './transport-ladder.ts';

export interface PopulationStats {
  clients: number;
  /** Open connections now, by transport. */
  connected: Record<ClientTransport, number>;
  attempts: number;
  /** Failed connects by reason key (`close:1006`, `http:503`, `refused`...). */
  failures: Record<string, number>;
  /** Open connections that dropped (not closed by us). */
  drops: number;
  /** Connections closed on purpose by churn (clean closes, followed by a reconnect). */
  churned: number;
  /** Clients that stopped reconnecting (4000-4099, or out of attempts). */
  gaveUp: number;
  /** Clients now on a fallback transport. */
  fellBack: number;
  subscribeFailures: number;
  /** Non-protocol events received, all clients together (a counter, never per-message history). */
  messages: number;
}

export function emptyStats(clients: number): PopulationStats {
  return { clients, connected: { ws: 0, xhr_streaming: 0, xhr_polling: 0 }, attempts: 0, failures: {}, drops: 0, churned: 0, gaveUp: 0, fellBack: 0, subscribeFailures: 0, messages: 0 };
}

export interface ClientEnv {
  history: History;
  app: AppCredentials;
  /** One per edge process; attempt n of client i goes to targets[(i + n) % length]. */
  targets: readonly Endpoint[];
  policy: ReconnectPolicy;
  signal: AbortSignal;
  /** performance.now() after which no new attempt starts. */
  deadline: number;
  stats: PopulationStats;
  connectTimeoutMs: number;
  activityTimeoutMs?: number;
  pongTimeoutMs?: number;
  /** Floor under every retry delay, so an `immediate` client hitting a refused port cannot spin. */
  minRetryMs: number;
  maxAttempts: number;
}

export class PopulationClient {
  private conn: PusherConnection | undefined;
  readonly done: Promise<void>;
  private readonly ladder: TransportLadder;
  /** Set by leave(): the close that follows is churn, and the client comes back after this long. */
  private awayMs: number | undefined;

  constructor(
    readonly plan: ClientPlan,
    private readonly env: ClientEnv,
  ) {
    this.ladder = new TransportLadder(env.policy.fallbackAfterFailures);
    this.done = this.run();
  }

  get transport(): ClientTransport {
    return this.ladder.current;
  }

  private live(): boolean {
    return !this.env.signal.aborted && performance.now() < this.env.deadline;
  }

  private async run(): Promise<void> {
    const { env, plan } = this;
    const random = seededRandom(plan.seed);
    await sleep(plan.startAtMs, env.signal);
    let retry = 0;
    for (let attempt = 0; attempt < env.maxAttempts && this.live(); attempt++) {
      const transport = this.ladder.current;
      env.stats.attempts++;
      let conn: PusherConnection;
      try {
        conn = await connectRecorded(env.history, { client: plan.id, source: 'client' }, {
          endpoint: env.targets[(plan.index + attempt) % env.targets.length]!,
          app: env.app,
          transport,
          timeoutMs: env.connectTimeoutMs,
          ...(env.activityTimeoutMs !== undefined ? { activityTimeoutMs: env.activityTimeoutMs } : {}),
          ...(env.pongTimeoutMs !== undefined ? { pongTimeoutMs: env.pongTimeoutMs } : {}),
        });
      } catch (err) {
        const e = err instanceof ConnectError ? err : new ConnectError('error', undefined, String(err));
        const key = reasonKey(e);
        env.stats.failures[key] = (env.stats.failures[key] ?? 0) + 1;
        if (this.ladder.failed() && transport === 'ws') env.stats.fellBack++;
        const step = nextStep(env.policy, e, ++retry, random);
        if (step.action === 'give-up') break;
        await sleep(Math.max(env.minRetryMs, step.delayMs), env.signal);
        continue;
      }
      retry = 0;
      this.ladder.succeeded();
      this.conn = conn;
      env.stats.connected[transport]++;
      if (!this.live()) conn.close();
      conn.onEvent((f) => {
        if (!f.event.startsWith('pusher')) env.stats.messages++;
      });
      for (const channel of plan.channels) {
        conn.subscribe(channel, { userId: plan.userId }).catch(() => env.stats.subscribeFailures++);
      }
      const info = await conn.closed;
      env.stats.connected[transport]--;
      this.conn = undefined;
      const away = this.awayMs;
      this.awayMs = undefined;
      if (info.by === 'client') {
        // Churn: a user who left comes back as a new session; any other close by us is the end.
        if (away === undefined || !this.live()) return;
        await sleep(away, env.signal);
        retry = 0;
        continue;
      }
      env.stats.drops++;
      const step = nextStep(env.policy, { reason: 'close', code: info.code }, ++retry, random);
      if (step.action === 'give-up') break;
      await sleep(Math.max(env.minRetryMs, step.delayMs), env.signal);
    }
    if (this.live()) env.stats.gaveUp++;
  }

  close(): void {
    this.awayMs = undefined;
    this.conn?.close();
  }

  /**
   * Leave as a user does (a clean close) and come back `awayMs` later. Recorded as churn before the
   * close, so the close it causes is told apart from a drop. False when not connected now.
   */
  leave(awayMs: number): boolean {
    const conn = this.conn;
    if (!conn || this.awayMs !== undefined || !this.live()) return false;
    this.awayMs = awayMs;
    this.env.stats.churned++;
    this.env.history.record({ type: 'client.churned', client: this.plan.id, transport: conn.transport, source: 'client', awayMs });
    conn.close();
    return true;
  }
}
