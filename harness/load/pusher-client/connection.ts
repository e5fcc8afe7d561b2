/**
 * A Pusher connection over any transport: waits for `pusher:connection_established`, subscribes
 * (signing private/presence channels locally), sends client events, pings after the activity
 * timeout and treats a missing pong as a dropped connection, as pusher-js does.
 */
import { authorizeChannel, type AppCredentials, type PresenceUser } from './auth.ts';
import { ConnectError } from './connect-error.ts';
import type { Endpoint } from './endpoint.ts';
import {
  encodeFrame,
  parseError,
  parseEstablished,
  parsePusherFrame,
  PING_FRAME,
  subscribeFrame,
  unsubscribeFrame,
  type PusherFrame,
} from './frames.ts';
import { ABNORMAL_CLOSURE, type ClientTransport, type CloseInfo, type RawSocket, type SocketListener } from './raw-socket.ts';
import { openWsSocket, type FallbackSessionPath, type OpenSocketOptions } from './ws-socket.ts';
import { openXhrSocket } from './xhr-socket.ts';

export interface ConnectOptions {
  endpoint: Endpoint;
  app: Pick<AppCredentials, 'key' | 'secret'>;
  transport: ClientTransport;
  /** Until `connection_established`; default 10 s (pusher-js's unavailable timeout is 10 s too). */
  timeoutMs?: number;
  /** Silence before a ping; default: the server's activity_timeout. Scenarios compress it. */
  activityTimeoutMs?: number;
  /** A ping unanswered this long means the connection is dead; default 30 s (pusher-js). */
  pongTimeoutMs?: number;
  /** Subscriptions unconfirmed after this long fail; default 10 s. */
  subscribeTimeoutMs?: number;
  /** HTTP fallback only: continue a session whose open frame was read elsewhere. */
  session?: FallbackSessionPath;
}

export type EventHandler = (frame: PusherFrame) => void;

interface Pending {
  resolve(): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class SubscriptionError extends Error {
  constructor(
    readonly channel: string,
    message: string,
    readonly pusherCode?: number,
  ) {
    super(`subscription to ${channel} failed: ${message}`);
  }
}

export class PusherConnection implements SocketListener {
  socketId = '';
  readonly closed: Promise<CloseInfo>;
  private socket: RawSocket | undefined;
  private readonly handlers = new Set<EventHandler>();
  private readonly pending = new Map<string, Pending>();
  private readonly subscribed = new Set<string>();
  private handshake: { resolve(): void; reject(e: ConnectError): void } | undefined;
  private errorCode: number | undefined;
  private closeInfo: CloseInfo | undefined;
  private resolveClosed!: (info: CloseInfo) => void;
  private activityTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private activityMs = 120_000;
  private pongLost = false;
  /** Frames received, all kinds (cheap liveness counter for stats). */
  framesReceived = 0;

  constructor(private readonly opts: ConnectOptions) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  get transport(): ClientTransport {
    return this.opts.transport;
  }

  get endpoint(): Endpoint {
    return this.opts.endpoint;
  }

  /** Frames the server refused (see RawSocket.refusedSends). */
  get refusedSends(): number {
    return this.socket?.refusedSends ?? 0;
  }

  /** Whether every frame sent so far has been answered. */
  get sendsSettled(): boolean {
    return this.socket?.sendsSettled ?? true;
  }

  get isOpen(): boolean {
    return this.closeInfo === undefined && this.socketId !== '';
  }

  /** Resolves on connection_established; rejects with ConnectError (close code, timeout). */
  waitEstablished(timeoutMs: number): Promise<void> {
    if (this.closeInfo) return Promise.reject(this.closeError(this.closeInfo));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.handshake = undefined;
        this.socket?.close();
        reject(new ConnectError('timeout', undefined, `no connection_established after ${timeoutMs} ms`));
      }, timeoutMs);
      this.handshake = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  attach(socket: RawSocket): void {
    this.socket = socket;
  }

  private closeError(info: CloseInfo): ConnectError {
    // A pusher:error before the close names the Pusher code when the transport's code is generic.
    const code = info.code < 4000 && this.errorCode !== undefined ? this.errorCode : info.code;
    return new ConnectError('close', code, info.reason || 'closed before connection_established');
  }

  onMessage(text: string): void {
    this.framesReceived++;
    const frame = parsePusherFrame(text);
    if (!frame) return;
    if (this.socketId === '') {
      const est = parseEstablished(frame);
      if (est) {
        this.socketId = est.socketId;
        this.activityMs = this.opts.activityTimeoutMs ?? est.activityTimeoutS * 1000;
        this.armActivity();
        this.handshake?.resolve();
        this.handshake = undefined;
        return;
      }
      const err = parseError(frame);
      if (err?.code !== null && err?.code !== undefined) this.errorCode = err.code;
      return;
    }
    this.armActivity();
    switch (frame.event) {
      case 'pusher:pong':
        return;
      case 'pusher:ping':
        this.socket?.send(encodeFrame('pusher:pong', {}));
        return;
      case 'pusher_internal:subscription_succeeded':
        if (frame.channel !== undefined) this.settle(frame.channel);
        break;
      case 'pusher:error': {
        const err = parseError(frame);
        for (const channel of this.pending.keys()) {
          if (err && err.message.includes(channel)) this.settle(channel, new SubscriptionError(channel, err.message, err.code ?? undefined));
        }
        break;
      }
    }
    for (const h of this.handlers) h(frame);
  }

  onClose(info: CloseInfo): void {
    if (this.closeInfo) return;
    const final = this.pongLost ? { code: ABNORMAL_CLOSURE, reason: 'Pong reply not received', by: 'network' as const } : info;
    this.closeInfo = final;
    clearTimeout(this.activityTimer);
    clearTimeout(this.pongTimer);
    this.handshake?.reject(this.closeError(final));
    this.handshake = undefined;
    for (const channel of [...this.pending.keys()]) this.settle(channel, new SubscriptionError(channel, `connection closed (${final.code})`));
    this.resolveClosed(final);
  }

  private armActivity(): void {
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
    clearTimeout(this.activityTimer);
    if (this.closeInfo) return;
    this.activityTimer = setTimeout(() => {
      this.socket?.send(PING_FRAME);
      this.pongTimer = setTimeout(() => {
        this.pongLost = true;
        this.socket?.close(1000, 'pong timeout');
      }, this.opts.pongTimeoutMs ?? 30_000);
      this.pongTimer.unref();
    }, this.activityMs);
    this.activityTimer.unref();
  }

  private settle(channel: string, err?: Error): void {
    const p = this.pending.get(channel);
    if (!p) return;
    this.pending.delete(channel);
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else {
      this.subscribed.add(channel);
      p.resolve();
    }
  }

  /** Subscribes and resolves on subscription_succeeded; presence channels need a user. */
  subscribe(channel: string, user?: PresenceUser): Promise<void> {
    if (this.closeInfo) return Promise.reject(new SubscriptionError(channel, 'connection closed'));
    if (this.subscribed.has(channel)) return Promise.resolve();
    if (this.pending.has(channel)) return Promise.reject(new SubscriptionError(channel, 'already subscribing'));
    const { auth, channelData } = authorizeChannel(this.opts.app, this.socketId, channel, user);
    const timeoutMs = this.opts.subscribeTimeoutMs ?? 10_000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(channel, new SubscriptionError(channel, `no subscription_succeeded after ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      this.pending.set(channel, { resolve, reject, timer });
      this.socket?.send(subscribeFrame(channel, auth, channelData));
    });
  }

  unsubscribe(channel: string): void {
    this.subscribed.delete(channel);
    this.socket?.send(unsubscribeFrame(channel));
  }

  /** A client event (`client-*`) on a private or presence channel. */
  trigger(channel: string, event: string, data: unknown): void {
    this.socket?.send(encodeFrame(event, data, channel));
  }

  /** Every frame after the handshake except pongs; returns the unsubscriber. */
  onEvent(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  close(): void {
    this.socket?.close(1000, 'client closed');
  }
}

function openSocket(transport: ClientTransport, o: OpenSocketOptions): Promise<RawSocket> {
  return transport === 'ws' ? openWsSocket(o) : openXhrSocket(transport, o);
}

/**
 * Opens a transport and completes the Pusher handshake. Rejects with ConnectError whose `reason`
 * and `code` go straight into the history.
 */
export async function connect(opts: ConnectOptions): Promise<PusherConnection> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const started = performance.now();
  const conn = new PusherConnection(opts);
  const socket = await openSocket(opts.transport, { endpoint: opts.endpoint, key: opts.app.key, timeoutMs, listener: conn, ...(opts.session ? { session: opts.session } : {}) });
  conn.attach(socket);
  if (conn.socketId !== '') return conn;
  await conn.waitEstablished(Math.max(1, timeoutMs - (performance.now() - started)));
  return conn;
}
