/**
 * How the REST probe's requests reach the server: written by hand on one raw connection (which
 * reads the wire as it comes, unsolicited responses included), or by the `pusher` npm client that
 * app servers use, on a keep-alive agent with one socket so its requests share a connection.
 */
import { Agent } from 'node:http';
import Pusher from 'pusher';
import { channelInfoRequest, LOOPBACK_HOST, publishRequest, type AppCredentials, type Endpoint } from '../load/pusher-client/index.ts';
import type { RawHttpConnection } from './raw-http-connection.ts';
import type { RestRequestKind } from './rest-fingerprint.ts';

/** Event data over the API's 10 KB limit. */
export const OVERSIZED_DATA_BYTES = 10 * 1024 + 1024;
export const PROBE_EVENT_NAME = 'probe-rest';

export interface RestAnswer {
  status: number;
  body: string;
}

export interface RestSender {
  /** Starts one request; `connection` names the connection it went out on, when the sender knows. */
  send(kind: RestRequestKind, valid: boolean, n: number): { connection: string | undefined; answer: Promise<RestAnswer> };
  close(): void;
}

const eventData = (valid: boolean, n: number): string => (valid ? JSON.stringify({ n }) : 'x'.repeat(OVERSIZED_DATA_BYTES));

export function rawSender(conn: RawHttpConnection, app: AppCredentials, channel: string): RestSender {
  return {
    send(kind, valid, n) {
      const req = kind === 'channel-info' ? channelInfoRequest(app, channel, ['subscription_count']) : publishRequest(app, [channel], PROBE_EVENT_NAME, eventData(valid, n));
      const answer = conn.request(req); // opens a connection if needed, so its id is known below
      return { connection: conn.connectionId, answer: answer.then((r) => ({ status: r.status, body: r.body.toString('utf8') })) };
    },
    close: () => conn.close(),
  };
}

/** The `pusher` client rejects a 4XX/5XX with a RequestError that carries the status and body. */
function asAnswer(err: unknown): RestAnswer {
  const e = err as { status?: unknown; body?: unknown; message?: string };
  if (typeof e.status === 'number') return { status: e.status, body: typeof e.body === 'string' ? e.body : '' };
  throw err instanceof Error ? err : new Error(String(e.message ?? err));
}

export function pusherSender(endpoint: Endpoint, app: AppCredentials, channel: string, opts: { keepAlive: boolean; timeoutMs: number }): RestSender {
  const agent = new Agent({ keepAlive: opts.keepAlive, maxSockets: 1 });
  const pusher = new Pusher({ appId: app.id, key: app.key, secret: app.secret, host: LOOPBACK_HOST, port: String(endpoint.port), useTLS: false, agent, timeout: opts.timeoutMs });
  return {
    send(kind, valid, n) {
      const res = kind === 'channel-info' ? pusher.get({ path: `/channels/${channel}`, params: { info: 'subscription_count' } }) : pusher.trigger(channel, PROBE_EVENT_NAME, eventData(valid, n));
      const answer = res.then(async (r) => ({ status: r.status, body: await r.text() }), asAnswer);
      return { connection: undefined, answer };
    },
    close: () => agent.destroy(),
  };
}
