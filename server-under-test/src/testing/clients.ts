/** Test helpers around the real third-party clients: pusher-js 8 and the `pusher` REST client. */
import { Agent } from 'node:http';
import PusherJsModule from 'pusher-js';
import type { Channel, ChannelAuthorizationCallback, PresenceChannel } from 'pusher-js';
import Pusher from 'pusher';
import type { StartedPod } from '../pod.ts';
import type { Transport } from '../protocol/messages.ts';
import { APP } from './pods.ts';

// pusher-js is CommonJS (module.exports = Pusher) while its typings declare a default export.
type PusherJsClass = (typeof import('pusher-js'))['default'];
const PusherJs = PusherJsModule as unknown as PusherJsClass;
export type PusherJsClient = InstanceType<PusherJsClass>;

export function restClient(pod: StartedPod, opts: { keepAlive?: boolean; secret?: string } = {}): Pusher {
  return new Pusher({
    appId: APP.id,
    key: APP.key,
    secret: opts.secret ?? APP.secret,
    host: '127.0.0.1',
    port: String(pod.port),
    useTLS: false,
    ...(opts.keepAlive ? { agent: new Agent({ keepAlive: true, maxSockets: 1 }) } : {}),
  });
}

/**
 * A pusher-js client forced onto one transport ('default': pusher-js's own strategy, ws first). Private/presence channels are authorized by the
 * `pusher` REST client's own signing (as an app's auth endpoint would).
 */
export function pusherJs(pod: StartedPod, transport: Transport | 'default', user?: { id: string; info?: Record<string, unknown> }): PusherJsClient {
  const signer = restClient(pod);
  return new PusherJs(APP.key, {
    cluster: 'local',
    forceTLS: false,
    wsHost: '127.0.0.1',
    wsPort: pod.port,
    httpHost: '127.0.0.1',
    httpPort: pod.port,
    ...(transport === 'default' ? {} : { enabledTransports: [transport] }),
    disableStats: true,
    channelAuthorization: {
      endpoint: '/unused',
      transport: 'ajax',
      customHandler: (params: { socketId: string; channelName: string }, callback: ChannelAuthorizationCallback) => {
        const auth = params.channelName.startsWith('presence-')
          ? signer.authorizeChannel(params.socketId, params.channelName, { user_id: user?.id ?? 'anon', user_info: user?.info ?? {} })
          : signer.authorizeChannel(params.socketId, params.channelName);
        callback(null, auth);
      },
    },
  });
}

export function connected(client: PusherJsClient, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`pusher-js not connected after ${timeoutMs} ms (state ${client.connection.state})`)), timeoutMs);
    const done = (): void => {
      clearTimeout(t);
      resolve(client.connection.socket_id);
    };
    if (client.connection.state === 'connected') return done();
    client.connection.bind('connected', done);
  });
}

export function subscribed<C extends Channel = Channel>(client: PusherJsClient, name: string, timeoutMs = 10_000): Promise<C> {
  const ch = client.subscribe(name) as C;
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no subscription_succeeded for ${name} after ${timeoutMs} ms`)), timeoutMs);
    ch.bind('pusher:subscription_succeeded', () => {
      clearTimeout(t);
      resolve(ch);
    });
    client.connection.bind('message', (m: { event?: string; data?: { message?: string } }) => {
      if (m.event === 'pusher:error') {
        clearTimeout(t);
        reject(new Error(`pusher:error while subscribing to ${name}: ${JSON.stringify(m.data)}`));
      }
    });
  });
}

export type Presence = PresenceChannel;

/** Resolves with the first `n` events named `event` on `channel`. */
export function collect<T = unknown>(ch: Channel, event: string, n: number, timeoutMs = 10_000): Promise<T[]> {
  const got: T[] = [];
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${got.length}/${n} "${event}" events on ${ch.name} after ${timeoutMs} ms`)), timeoutMs);
    ch.bind(event, (data: T) => {
      got.push(data);
      if (got.length === n) {
        clearTimeout(t);
        resolve(got);
      }
    });
  });
}

export function disconnectAll(clients: PusherJsClient[]): void {
  for (const c of clients.splice(0)) c.disconnect();
}

/**
 * Round trip over the client's connection (pusher:ping -> pusher:pong). On one ordered connection,
 * everything the server sent before the pong has arrived once this resolves.
 */
export function barrier(client: PusherJsClient, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no pusher:pong after ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: { event?: string }): void => {
      if (m.event !== 'pusher:pong') return;
      clearTimeout(t);
      client.connection.unbind('message', onMessage);
      resolve();
    };
    client.connection.bind('message', onMessage);
    client.connection.send_event('pusher:ping', {});
  });
}
