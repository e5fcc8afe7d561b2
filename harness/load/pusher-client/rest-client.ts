/**
 * Signed requests to the Pusher HTTP API over Node http with a keep-alive agent: what an app
 * server's `pusher` client does, without its dependencies, so probes control the connection.
 */
import { createHash, createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { AppCredentials } from './auth.ts';
import { httpBase, type Endpoint } from './endpoint.ts';

/**
 * Adds auth_key, auth_timestamp, auth_version, body_md5 and auth_signature to `query`: HMAC-SHA256
 * over "METHOD\nPATH\nsorted lower-cased key=value pairs" (Pusher's documented scheme).
 */
export function signQuery(
  app: Pick<AppCredentials, 'key' | 'secret'>,
  method: string,
  path: string,
  query: Record<string, string>,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const q: Record<string, string> = { ...query, auth_key: app.key, auth_timestamp: String(nowSeconds), auth_version: '1.0' };
  if (body.length > 0) q.body_md5 = createHash('md5').update(body, 'utf8').digest('hex');
  const pairs = Object.entries(q)
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  q.auth_signature = createHmac('sha256', app.secret).update(`${method.toUpperCase()}\n${path}\n${pairs}`, 'utf8').digest('hex');
  return q;
}

export function toQueryString(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/** Method, path with signed query, and body of a Pusher API request. */
export interface SignedRequest {
  method: 'GET' | 'POST';
  pathAndQuery: string;
  body: string;
}

export function signedRequest(app: AppCredentials, method: 'GET' | 'POST', path: string, query: Record<string, string> = {}, body = ''): SignedRequest {
  return { method, pathAndQuery: `${path}?${toQueryString(signQuery(app, method, path, query, body))}`, body };
}

export function publishRequest(app: AppCredentials, channels: string[], event: string, data: string): SignedRequest {
  return signedRequest(app, 'POST', `/apps/${app.id}/events`, {}, JSON.stringify({ name: event, channels, data }));
}

export function channelInfoRequest(app: AppCredentials, channel: string, info: string[] = []): SignedRequest {
  const query: Record<string, string> = info.length > 0 ? { info: info.join(',') } : {};
  return signedRequest(app, 'GET', `/apps/${app.id}/channels/${encodeURIComponent(channel)}`, query);
}

export interface RestResponse {
  status: number;
  body: string;
}

export interface RestClientOptions {
  keepAlive?: boolean;
  /** Requests in flight at once; 1 keeps them in order on one connection. */
  maxSockets?: number;
  timeoutMs?: number;
}

/** Sends signed requests to one endpoint; `close()` destroys its sockets. */
export class RestClient {
  private readonly agent: Agent;
  private readonly base: string;

  constructor(
    readonly endpoint: Endpoint,
    readonly app: AppCredentials,
    private readonly opts: RestClientOptions = {},
  ) {
    this.base = httpBase(endpoint);
    this.agent = new Agent({ keepAlive: opts.keepAlive ?? true, maxSockets: opts.maxSockets ?? 1 });
  }

  send(req: SignedRequest): Promise<RestResponse> {
    return new Promise((resolve, reject) => {
      const r = request(`${this.base}${req.pathAndQuery}`, {
        method: req.method,
        agent: this.agent,
        timeout: this.opts.timeoutMs ?? 5000,
        headers: req.body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(req.body) } : {},
      });
      r.on('timeout', () => r.destroy(new Error(`no response after ${this.opts.timeoutMs ?? 5000} ms`)));
      r.on('error', reject);
      r.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      r.end(req.body || undefined);
    });
  }

  publish(channels: string[], event: string, data: string): Promise<RestResponse> {
    return this.send(publishRequest(this.app, channels, event, data));
  }

  close(): void {
    this.agent.destroy();
  }
}
