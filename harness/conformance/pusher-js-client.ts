/**
 * pusher-js 8 (the real browser/Node client) pointed at the target on one transport, authorized
 * by the command's own auth endpoint. Every wait is bounded and fails with what was seen.
 */
import PusherJsModule from 'pusher-js';
import type { Channel, Options } from 'pusher-js';
import { LOOPBACK_HOST } from '../load/pusher-client/index.ts';

// pusher-js is CommonJS (module.exports = Pusher) while its typings declare a default export.
type PusherJsClass = (typeof import('pusher-js'))['default'];
const PusherJs = PusherJsModule as unknown as PusherJsClass;
type PusherJs = InstanceType<PusherJsClass>;

export type ClientTransport = 'ws' | 'xhr_streaming' | 'xhr_polling';

export interface ClientOptions {
  port: number;
  key: string;
  transport: ClientTransport;
  authUrl: string;
  /** Sent to the auth endpoint as `user_id` (presence channel_data). */
  userId?: string;
  timeoutMs: number;
}

/** A frame pusher-js handed to `connection.bind('message')`. */
interface Frame {
  event?: string;
  channel?: string;
  data?: unknown;
}

export class ConformanceClient {
  private readonly pusher: PusherJs;
  /** Every `pusher:error` the server sent, as JSON text, for failure messages. */
  readonly errors: string[] = [];

  constructor(readonly opts: ClientOptions) {
    const options: Options = {
      cluster: 'local',
      forceTLS: false,
      wsHost: LOOPBACK_HOST,
      wsPort: opts.port,
      httpHost: LOOPBACK_HOST,
      httpPort: opts.port,
      enabledTransports: [opts.transport],
      disableStats: true,
      channelAuthorization: { endpoint: opts.authUrl, transport: 'ajax', params: opts.userId ? { user_id: opts.userId } : {} },
    };
    this.pusher = new PusherJs(opts.key, options);
    this.pusher.connection.bind('message', (m: Frame) => {
      if (m.event === 'pusher:error') this.errors.push(JSON.stringify(m.data));
    });
  }

  /** Resolves with the socket id once connected on the forced transport. */
  connected(): Promise<string> {
    const c = this.pusher.connection;
    return bounded(this.opts.timeoutMs, () => `pusher-js over ${this.opts.transport} not connected (state ${c.state}${this.errorText()})`, (resolve, reject) => {
      const done = (): void => resolve(c.socket_id);
      if (c.state === 'connected') return done();
      c.bind('connected', done);
      c.bind('unavailable', () => reject(new Error(`pusher-js over ${this.opts.transport}: connection unavailable${this.errorText()}`)));
      c.bind('failed', () => reject(new Error(`pusher-js over ${this.opts.transport}: transport not supported${this.errorText()}`)));
    });
  }

  socketId(): string {
    return this.pusher.connection.socket_id;
  }

  /** The channel object pusher-js holds for `name` (subscribed or not). */
  channel(name: string): Channel {
    return this.pusher.channel(name) ?? this.pusher.subscribe(name);
  }

  /** The transport pusher-js really uses (it may not be the one asked for if a strategy fell back). */
  transportName(): string | undefined {
    const mgr = this.pusher.connection as unknown as { connection?: { transport?: { name?: string } } };
    return mgr.connection?.transport?.name;
  }

  /** Subscribes and resolves on `pusher:subscription_succeeded`; rejects on a subscription error. */
  subscribe(name: string): Promise<Channel> {
    const ch = this.pusher.subscribe(name);
    return bounded(this.opts.timeoutMs, () => `no subscription_succeeded for ${name}${this.errorText()}`, (resolve, reject) => {
      ch.bind('pusher:subscription_succeeded', () => resolve(ch));
      ch.bind('pusher:subscription_error', (e: unknown) => reject(new Error(`subscription to ${name} refused: ${JSON.stringify(e)}${this.errorText()}`)));
    });
  }

  /**
   * Subscribes where the server should refuse: resolves with what the refusal looked like when no
   * `subscription_succeeded` comes within `windowMs`; rejects when it does.
   */
  subscribeRefused(name: string, windowMs: number): Promise<string> {
    const ch = this.pusher.subscribe(name);
    const before = this.errors.length;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        const errs = this.errors.slice(before);
        resolve(errs.length > 0 ? `refused with pusher:error ${errs.join(', ')}` : `no subscription_succeeded within ${windowMs} ms (no pusher:error sent)`);
      }, windowMs);
      ch.bind('pusher:subscription_succeeded', () => {
        clearTimeout(t);
        reject(new Error(`subscription to ${name} succeeded with a signature made with the wrong secret`));
      });
    });
  }

  /** The first `n` events named `event` on `ch`, in arrival order. */
  collect<T = unknown>(ch: Channel, event: string, n: number): Promise<T[]> {
    const got: T[] = [];
    return bounded(this.opts.timeoutMs, () => `${got.length}/${n} "${event}" events on ${ch.name}`, (resolve) => {
      ch.bind(event, (data: T) => {
        got.push(data);
        if (got.length === n) resolve(got);
      });
    });
  }

  /** Every event named `event` on `ch` from now on (to prove something did NOT arrive). */
  record<T = unknown>(ch: Channel, event: string): T[] {
    const got: T[] = [];
    ch.bind(event, (data: T) => got.push(data));
    return got;
  }

  /** pusher:ping → pusher:pong: on one ordered connection, all the server sent before has arrived. */
  roundTrip(): Promise<void> {
    const c = this.pusher.connection;
    return bounded(this.opts.timeoutMs, 'no pusher:pong', (resolve) => {
      const on = (m: Frame): void => {
        if (m.event !== 'pusher:pong') return;
        c.unbind('message', on);
        resolve();
      };
      c.bind('message', on);
      c.send_event('pusher:ping', {});
    });
  }

  disconnect(): void {
    this.pusher.disconnect();
  }

  private errorText(): string {
    return this.errors.length > 0 ? `; pusher:error ${this.errors.join(', ')}` : '';
  }
}

/** A promise that rejects with `what` (and "after N ms") unless settled within `ms`. */
export function bounded<T>(ms: number, what: string | (() => string), body: (resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> {
  const p = new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${typeof what === 'string' ? what : what()} after ${ms} ms`)), ms);
    body(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
  // A check that fails early never awaits its other waits; their later rejection is not news.
  p.catch(() => undefined);
  return p;
}
