/**
 * The webhook receiver: an HTTP server on 127.0.0.1 that checks X-Pusher-Key/X-Pusher-Signature
 * with the `pusher` client's own WebHook verification and records every event it carries.
 * It answers 200 even to a bad signature (recorded as such) so a dispatcher does not retry a
 * request that can never pass.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Pusher from 'pusher';
import type { History } from '../history/history.ts';
import { LOOPBACK_HOST, type AppCredentials } from '../load/pusher-client/index.ts';
import { webhookKey } from './webhook-key.ts';

const MAX_BODY = 1024 * 1024;

export interface WebhookReceiverOptions {
  history: History;
  app: AppCredentials;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Each event of a parsed body as sent (user_id, event, data, ...), with its request's signature verdict. */
  onEvent?(event: Readonly<Record<string, unknown>>, signatureValid: boolean): void;
}

export interface WebhookReceiverStats {
  requests: number;
  events: number;
  invalidSignatures: number;
  malformed: number;
}

export interface StartedWebhookReceiver {
  /** What WEBHOOK_URL should be. */
  readonly url: string;
  readonly port: number;
  stats(): WebhookReceiverStats;
  stop(): Promise<void>;
}

interface WebhookBody {
  events?: { name?: unknown; channel?: unknown; [field: string]: unknown }[];
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  }
  return size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8');
}

export async function startWebhookReceiver(opts: WebhookReceiverOptions): Promise<StartedWebhookReceiver> {
  const pusher = new Pusher({ appId: opts.app.id, key: opts.app.key, secret: opts.app.secret, host: LOOPBACK_HOST });
  const stats: WebhookReceiverStats = { requests: 0, events: 0, invalidSignatures: 0, malformed: 0 };

  const server: Server = createServer((req, res) => {
    void (async () => {
      stats.requests++;
      const rawBody = req.method === 'POST' ? await readBody(req) : undefined;
      if (rawBody === undefined) {
        stats.malformed++;
        res.writeHead(req.method === 'POST' ? 413 : 405).end();
        return;
      }
      const hook = pusher.webhook({ headers: req.headers as Record<string, string>, rawBody });
      const signatureValid = hook.isValid();
      if (!signatureValid) stats.invalidSignatures++;
      let body: WebhookBody | undefined;
      try {
        body = JSON.parse(rawBody) as WebhookBody;
      } catch {
        body = undefined;
      }
      if (!body || !Array.isArray(body.events)) {
        stats.malformed++;
        res.writeHead(400).end();
        return;
      }
      // Recorded with the answer it is about to get: every event of a parsed body is acknowledged 200.
      for (const e of body.events) {
        if (typeof e.name !== 'string' || typeof e.channel !== 'string') continue;
        stats.events++;
        opts.history.record({ type: 'webhook.received', key: webhookKey(e.name, e.channel), event: e.name, channel: e.channel, signatureValid, status: 200 });
        opts.onEvent?.(e, signatureValid);
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK_HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK_HOST}:${port}/webhooks`,
    port,
    stats: () => ({ ...stats }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
