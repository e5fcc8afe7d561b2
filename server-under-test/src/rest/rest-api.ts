/**
 * Pusher HTTP API: POST /apps/{id}/events, /batch_events; GET /apps/{id}/channels,
 * /channels/{name}, /channels/{name}/users. Requests are signed (auth_key, auth_timestamp within
 * 600 s, auth_version, body_md5, auth_signature). Statuses: 200, 400, 401, 404, 413.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyRestRequest } from '../auth/signing.ts';
import type { ServerConfig } from '../config/env.ts';
import type { Hub } from '../hub/hub.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { channelKind, isValidChannelName, MAX_EVENT_DATA_BYTES, MAX_EVENT_NAME, SOCKET_ID_RE } from '../protocol/messages.ts';
import { StateUnavailableError, type SharedState } from '../state/shared-state.ts';
import { readBody } from '../boundary/read-body.ts';
import { decodeSegment } from '../boundary/request-target.ts';
import { DoubleResponder } from './keepalive-double.ts';

const MAX_BODY = 1024 * 1024;
const MAX_CHANNELS = 100;
const MAX_BATCH = 10;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Route = 'events' | 'batch_events' | 'channels' | 'channel' | 'users';

export class RestApi {
  private readonly doubler = new DoubleResponder();

  constructor(
    private readonly config: ServerConfig,
    private readonly hub: Hub,
    private readonly state: SharedState,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/apps\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (!m) return false;
    if (this.config.switches.keepaliveDouble4xx) this.doubler.beforeRequest(req);
    void this.serve(req, res, url, decodeSegment(m[1]!), m[2]!);
    return true;
  }

  private async serve(req: IncomingMessage, res: ServerResponse, url: URL, appId: string | undefined, rest: string): Promise<void> {
    let route: Route | 'unknown' = 'unknown';
    try {
      const read = await readBody(req, MAX_BODY, this.config.limits.bodyTimeoutMs);
      if (!read.ok) {
        if (read.status === 408) this.metrics.clientsDropped.labels('slow_body').inc();
        throw new HttpError(read.status, read.reason);
      }
      const body = read.body;
      let channel: string | undefined;
      let cm: RegExpExecArray | null;
      if (rest === '/events' && req.method === 'POST') route = 'events';
      else if (rest === '/batch_events' && req.method === 'POST') route = 'batch_events';
      else if (rest === '/channels' && req.method === 'GET') route = 'channels';
      else if ((cm = /^\/channels\/([^/]+)$/.exec(rest)) && req.method === 'GET') [route, channel] = ['channel', decodeChannel(cm[1]!)];
      else if ((cm = /^\/channels\/([^/]+)\/users$/.exec(rest)) && req.method === 'GET') [route, channel] = ['users', decodeChannel(cm[1]!)];
      else throw new HttpError(404, `Not found: ${req.method} ${url.pathname}`);
      if (appId === undefined) throw new HttpError(400, 'Malformed percent-encoding in the app id');
      if (appId !== this.config.appId) throw new HttpError(404, `Unknown app id ${appId}`);

      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = v;
      const auth = verifyRestRequest({
        method: req.method ?? 'GET',
        path: url.pathname,
        query,
        body,
        key: this.config.appKey,
        secret: this.config.appSecret,
        nowSeconds: this.now(),
      });
      if (!auth.ok) throw new HttpError(auth.status, auth.reason);

      let result: unknown;
      switch (route) {
        case 'events':
          result = await this.events(parseJson(body));
          break;
        case 'batch_events':
          result = await this.batch(parseJson(body));
          break;
        case 'channels':
          result = await this.channels(query);
          break;
        case 'channel':
          result = await this.channel(channel!, query);
          break;
        case 'users':
          result = await this.users(channel!);
          break;
      }
      this.reply(res, route, 200, JSON.stringify(result));
    } catch (err) {
      if (err instanceof HttpError) {
        this.reply(res, route, err.status, JSON.stringify({ error: err.message }));
      } else if (err instanceof StateUnavailableError) {
        // Redis did not answer within REDIS_COMMAND_TIMEOUT_MS: the event may not have been sent.
        this.log.warn('rest request failed: shared state unavailable', { err: err.message });
        this.reply(res, route, 503, JSON.stringify({ error: 'Service unavailable: the shared state did not answer in time; retry' }));
      } else {
        this.log.error('rest error', { err: (err as Error).message });
        this.reply(res, route, 500, JSON.stringify({ error: 'Internal error' }));
      }
    }
  }

  private reply(res: ServerResponse, route: string, status: number, body: string): void {
    this.metrics.restRequests.labels(route, String(status)).inc();
    // 408: the client's body is still trickling in; close rather than wait for the rest of it.
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...(status === 408 ? { Connection: 'close' } : {}) });
    res.end(body);
    if (status >= 400 && status < 500 && this.config.switches.keepaliveDouble4xx) this.doubler.duplicate(res, status, body);
  }

  private validateEvent(e: Record<string, unknown>, channels: unknown[]): { name: string; data: string; socketId?: string | undefined } {
    const { name, data, socket_id: socketId } = e;
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_EVENT_NAME) throw new HttpError(400, 'Invalid event name: expected 1-200 characters');
    if (typeof data !== 'string') throw new HttpError(400, 'Invalid data: expected a string');
    if (Buffer.byteLength(data) > MAX_EVENT_DATA_BYTES) throw new HttpError(413, `Event data too large: limit is ${MAX_EVENT_DATA_BYTES} bytes`);
    if (channels.length === 0 || channels.length > MAX_CHANNELS) throw new HttpError(400, `Expected 1-${MAX_CHANNELS} channels`);
    for (const c of channels) if (!isValidChannelName(c)) throw new HttpError(400, `Invalid channel name ${JSON.stringify(c)}`);
    if (socketId !== undefined && (typeof socketId !== 'string' || !SOCKET_ID_RE.test(socketId))) throw new HttpError(400, 'Invalid socket_id');
    return { name, data, socketId: socketId as string | undefined };
  }

  private async events(body: Record<string, unknown>): Promise<unknown> {
    const channels = Array.isArray(body.channels) ? (body.channels as unknown[]) : body.channel !== undefined ? [body.channel] : [];
    const e = this.validateEvent(body, channels);
    await this.hub.publish({ channels: channels as string[], event: e.name, data: e.data, excludeSocketId: e.socketId });
    return {};
  }

  private async batch(body: Record<string, unknown>): Promise<unknown> {
    const batch = body.batch;
    if (!Array.isArray(batch) || batch.length === 0 || batch.length > MAX_BATCH) throw new HttpError(400, `Expected batch: an array of 1-${MAX_BATCH} events`);
    const events = batch.map((raw: unknown) => {
      if (typeof raw !== 'object' || raw === null) throw new HttpError(400, 'Batch entries must be objects');
      const r = raw as Record<string, unknown>;
      return { channel: r.channel as string, ...this.validateEvent(r, [r.channel]) };
    });
    for (const e of events) await this.hub.publish({ channels: [e.channel], event: e.name, data: e.data, excludeSocketId: e.socketId });
    return { batch: events.map(() => ({})) };
  }

  private async channels(query: Record<string, string>): Promise<unknown> {
    const prefix = query.filter_by_prefix ?? '';
    const info = (query.info ?? '').split(',').filter(Boolean);
    if (info.includes('user_count') && !prefix.startsWith('presence-')) throw new HttpError(400, 'info=user_count requires filter_by_prefix=presence-');
    const list = await this.state.listChannels(prefix);
    const channels: Record<string, Record<string, number>> = {};
    for (const c of list) channels[c.name] = info.includes('user_count') ? { user_count: c.userCount ?? 0 } : {};
    return { channels };
  }

  private async channel(name: string, query: Record<string, string>): Promise<unknown> {
    if (!isValidChannelName(name)) throw new HttpError(400, 'Invalid channel name');
    const info = (query.info ?? '').split(',').filter(Boolean);
    if (info.includes('user_count') && channelKind(name) !== 'presence') throw new HttpError(400, 'user_count is only available for presence channels');
    const subscriptionCount = await this.state.subscriptionCount(name);
    const out: Record<string, unknown> = { occupied: subscriptionCount > 0 };
    if (info.includes('subscription_count')) out.subscription_count = subscriptionCount;
    if (info.includes('user_count')) out.user_count = (await this.state.members(name)).length;
    return out;
  }

  private async users(name: string): Promise<unknown> {
    if (!isValidChannelName(name) || channelKind(name) !== 'presence') throw new HttpError(400, 'Users are only available for presence channels');
    return { users: (await this.state.members(name)).map((m) => ({ id: m.userId })) };
  }
}

function decodeChannel(segment: string): string {
  const name = decodeSegment(segment);
  if (name === undefined) throw new HttpError(400, 'Malformed percent-encoding in the channel name');
  return name;
}

function parseJson(body: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'Invalid JSON body');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, 'Expected a JSON object body');
  return v as Record<string, unknown>;
}
