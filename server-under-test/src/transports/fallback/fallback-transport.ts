/**
 * HTTP fallback transports as pusher-js uses them in Node:
 *   POST /pusher/app/{key}/{server}/{session}/xhr_streaming   receive, streamed
 *   POST /pusher/app/{key}/{server}/{session}/xhr             receive, long-polling
 *   POST /pusher/app/{key}/{server}/{session}/xhr_send        send: a JSON array of frames
 * Sessions live in this pod (a load balancer must be sticky per session path).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerConfig } from '../../config/env.ts';
import type { Hub } from '../../hub/hub.ts';
import type { LocalConnection } from '../../hub/connection.ts';
import type { Logger } from '../../log.ts';
import type { Metrics } from '../../metrics.ts';
import { CloseCode, errorFrame, type Transport } from '../../protocol/messages.ts';
import type { WebhookWriter } from '../../webhooks/webhook-writer.ts';
import { readBody } from '../../boundary/read-body.ts';
import { decodeSegment } from '../../boundary/request-target.ts';
import { Limiter } from './limiter.ts';
import { DEFAULT_SESSION_OPTIONS, FallbackSession, type Receiver, type SessionOptions } from './session.ts';

const PATH_RE = /^\/pusher\/app\/([^/]+)\/([^/]+)\/([^/]+)\/(xhr_streaming|xhr_send|xhr)$/;
const MAX_SEND_BODY = 128 * 1024;

interface Entry {
  session: FallbackSession;
  local: LocalConnection | undefined;
}

export class FallbackTransport {
  private readonly sessions = new Map<string, Entry>();
  private readonly limiter: Limiter;
  private draining = false;

  constructor(
    private readonly config: ServerConfig,
    private readonly hub: Hub,
    private readonly webhooks: WebhookWriter,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly sessionOptions: SessionOptions = DEFAULT_SESSION_OPTIONS,
  ) {
    const sw = config.switches;
    this.limiter = new Limiter(sw.fallbackMaxConcurrent, sw.fallbackQueueLimit, sw.fallbackRequestCostMs, (n) => metrics.fallbackQueued.set(n));
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Returns false when the path is not ours. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = PATH_RE.exec(url.pathname);
    if (!m) return false;
    const [, key, server, sessionId, kind] = m as unknown as [string, string, string, string, string];
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return true;
    }
    const appKey = decodeSegment(key);
    if (appKey === undefined) {
      req.resume();
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Malformed percent-encoding in the app key\n');
      return true;
    }
    const id = `${server}/${sessionId}`;
    const transport: Transport = kind === 'xhr_streaming' ? 'xhr_streaming' : 'xhr_polling';
    void this.limiter
      .run(() => (kind === 'xhr_send' ? this.send(id, req, res) : this.receive(id, appKey, transport, req, res)))
      .then((done) => {
        if (done) return;
        this.metrics.refused.labels(transport, 'fallback_queue').inc();
        req.resume();
        if (!res.headersSent) res.writeHead(503, { 'Content-Type': 'text/plain' }).end('Fallback over capacity\n');
      })
      .catch((err: Error) => {
        this.log.warn('fallback request failed', { err: err.message });
        if (!res.headersSent) res.writeHead(500).end();
      });
    return true;
  }

  private receive(id: string, key: string, transport: Transport, req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    let entry = this.sessions.get(id);
    if (!entry) {
      const cap = this.config.switches.fallbackMaxSessions;
      if (this.draining || (cap > 0 && this.sessions.size >= cap)) {
        this.metrics.refused.labels(transport, this.draining ? 'draining' : 'fallback_sessions').inc();
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end('Fallback over capacity\n');
        return;
      }
      entry = this.createSession(id, key, transport);
    }
    // A receiving request is client activity (a polling client sends nothing else while idle).
    if (entry.local) entry.local.lastActivity = Date.now();
    this.metrics.fallbackReceives.labels(transport).inc();
    res.writeHead(200, {
      'Content-Type': 'application/javascript; charset=UTF-8',
      'Cache-Control': 'no-store, no-cache, no-transform, must-revalidate, max-age=0',
    });
    res.socket?.setNoDelay(true);
    const receiver: Receiver = {
      kind: transport === 'xhr_streaming' ? 'streaming' : 'polling',
      write: (chunk) => {
        if (!res.writableEnded) res.write(chunk);
      },
      end: (chunk) => {
        if (!res.writableEnded) res.end(chunk);
      },
    };
    const session = entry.session;
    res.on('close', () => session.detach(receiver));
    session.attach(receiver);
  }

  private createSession(id: string, key: string, transport: Transport): Entry {
    const entry: Entry = {
      session: new FallbackSession(
        id,
        () => {
          this.sessions.delete(id);
          this.metrics.fallbackSessions.set(this.sessions.size);
          if (entry.local) this.hub.closed(entry.local);
        },
        this.sessionOptions,
      ),
      local: undefined,
    };
    this.sessions.set(id, entry);
    this.metrics.fallbackSessions.set(this.sessions.size);
    const session = entry.session;
    if (key !== this.config.appKey) {
      this.metrics.refused.labels(transport, 'unknown_app').inc();
      session.enqueue(errorFrame(CloseCode.AppNotFound, `App key ${key.slice(0, 200)} not in this cluster`));
      session.close(CloseCode.AppNotFound, 'App not found');
      return entry;
    }
    entry.local = this.hub.open(
      {
        transport,
        send: (f) => session.enqueue(f),
        close: (code, reason) => session.close(code, reason),
      },
      this.webhooks,
    );
    return entry;
  }

  private async send(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry = this.sessions.get(id);
    const read = await readBody(req, MAX_SEND_BODY, this.config.limits.bodyTimeoutMs);
    if (!read.ok && read.status === 408) {
      this.metrics.clientsDropped.labels('slow_body').inc();
      res.writeHead(408, { 'Content-Type': 'text/plain', Connection: 'close' }).end('Request body not received in time\n');
      return;
    }
    if (!entry || !entry.local) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Session not found\n');
      return;
    }
    if (!read.ok) {
      res.writeHead(read.status).end();
      return;
    }
    let frames: unknown;
    try {
      frames = JSON.parse(read.body.toString('utf8'));
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Broken JSON encoding.\n');
      return;
    }
    if (!Array.isArray(frames)) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Payload expected.\n');
      return;
    }
    entry.local.lastActivity = Date.now();
    for (const f of frames) if (typeof f === 'string') this.hub.message(entry.local, f);
    res.writeHead(204).end();
  }

  drain(): void {
    this.draining = true;
  }

  terminateAll(): void {
    for (const e of [...this.sessions.values()]) e.session.terminate();
  }
}
