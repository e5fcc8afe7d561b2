/**
 * A configured pod becomes a started pod: HTTP server, roles, shared state, webhooks.
 * Only a StartedPod has a port and stop().
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackAddresses } from './boundary/address-limit.ts';
import { parseTarget } from './boundary/request-target.ts';
import { answerClientError, rejectUpgrade } from './boundary/raw-response.ts';
import type { ServerConfig } from './config/env.ts';
import { Hub } from './hub/hub.ts';
import type { Logger } from './log.ts';
import type { RequestHook } from './memory-grow-hook.ts';
import { startLiveHeapSampler } from './live-heap.ts';
import { Metrics } from './metrics.ts';
import { CloseCode } from './protocol/messages.ts';
import { RestApi } from './rest/rest-api.ts';
import { MemoryState } from './state/memory-state.ts';
import { RedisState } from './state/redis-state.ts';
import type { SharedState } from './state/shared-state.ts';
import { FallbackTransport } from './transports/fallback/fallback-transport.ts';
import { DEFAULT_SESSION_OPTIONS, type SessionOptions } from './transports/fallback/session.ts';
import { WsTransport } from './transports/ws/ws-transport.ts';
import { WebhookDispatcher } from './webhooks/dispatcher.ts';
import { MemoryQueue, RedisStreamQueue, type WebhookQueue } from './webhooks/webhook-queue.ts';
import { WebhookWriter } from './webhooks/webhook-writer.ts';

export interface StartedPod {
  readonly config: ServerConfig;
  readonly port: number;
  /** http://host:port */
  readonly url: string;
  readonly metrics: Metrics;
  readonly hub: Hub;
  /** Graceful: readyz 503, clients told to reconnect (4200), state and webhook stream flushed. */
  stop(): Promise<void>;
}

export interface PodOptions {
  sessionOptions?: Partial<SessionOptions>;
  /** Harness fault hooks (memory-grow-hook.ts), asked first; main.ts adds them only when enabled. */
  requestHooks?: RequestHook[];
}

export async function startPod(config: ServerConfig, log: Logger, options: PodOptions = {}): Promise<StartedPod> {
  const metrics = new Metrics(config.podName, config.appVersion);
  let state: SharedState;
  let queue: WebhookQueue;
  let redis: RedisState | undefined;
  if (config.redisUrl) {
    redis = new RedisState(config.redisUrl, config.appId, config.podName, config.redisDeadlines);
    state = redis;
  } else {
    state = new MemoryState();
  }
  const hub = new Hub(config, state, metrics, log);
  await state.start((m) => hub.deliver(m));
  if (redis) {
    const reader = config.roles.has('webhook-dispatcher') ? redis.duplicate() : undefined;
    queue = new RedisStreamQueue(redis.client, reader, config.webhookStream, config.podName);
  } else {
    queue = new MemoryQueue();
  }
  const onWriteError = (err: Error): void => log.warn('webhook stream write failed', { err: err.message });
  // 2022-08: each role reads its own variable.
  const wsWebhooks = new WebhookWriter(queue, config.switches.wsWebhookStreamEnabled, metrics, onWriteError);
  const fallbackWebhooks = new WebhookWriter(queue, config.switches.fallbackWebhookStreamEnabled, metrics, onWriteError);

  const ws = config.roles.has('ws') ? new WsTransport(config, hub, wsWebhooks, metrics, log) : undefined;
  const fallback = config.roles.has('fallback') ? new FallbackTransport(config, hub, fallbackWebhooks, metrics, log, {
        ...DEFAULT_SESSION_OPTIONS,
        disconnectDelayMs: config.fallbackDisconnectDelayMs,
        ...options.sessionOptions,
      }) : undefined;
  const rest = config.roles.has('rest') ? new RestApi(config, hub, state, metrics, log) : undefined;
  let dispatcher: WebhookDispatcher | undefined;
  if (config.roles.has('webhook-dispatcher')) {
    if (config.webhookUrl) {
      dispatcher = new WebhookDispatcher(queue, { url: config.webhookUrl, appKey: config.appKey, appSecret: config.appSecret }, metrics, log);
      dispatcher.start();
    } else {
      log.warn('webhook-dispatcher role without WEBHOOK_URL: webhook events stay queued');
    }
  }
  hub.start();
  const liveHeap = startLiveHeapSampler(config.liveHeapSampleMs, metrics);
  state.onRecovered(() => {
    hub.resync().then(
      (n) => log.info('shared state re-registered after an outage', { subscriptions: n }),
      (err: Error) => log.warn('re-registering shared state failed', { err: err.message }),
    );
  });

  let draining = false;
  const health = (): Record<string, unknown> => ({
    status: draining ? 'draining' : 'ok',
    version: config.appVersion,
    configVersion: config.file.configVersion,
    pod: config.podName,
    roles: [...config.roles],
    state: state.kind,
    connections: { ws: hub.count('ws'), xhr_streaming: hub.count('xhr_streaming'), xhr_polling: hub.count('xhr_polling') },
  });

  const limits = config.limits;
  // Node checks the headers deadline on this interval: keep it well under the deadline.
  const serverOptions = { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, Math.ceil(limits.headersTimeoutMs / 2)) };
  const { mode, deadlineMs } = config.readiness;
  const readiness = async (): Promise<Record<string, unknown> & { ready: boolean }> => {
    const connected = state.healthy();
    const shallow = !draining && connected;
    // deep: this pod's own publish must come back on its fan-out subscription within the deadline.
    const roundTrip = mode === 'deep' && shallow ? await state.roundTrip(deadlineMs) : undefined;
    const ready = shallow && roundTrip !== false;
    return { ready, mode, draining, state: connected ? 'ok' : 'unavailable', ...(roundTrip === undefined ? {} : { roundTrip: roundTrip ? 'ok' : `none within ${deadlineMs} ms` }) };
  };
  const server: Server = createServer(serverOptions, (req: IncomingMessage, res: ServerResponse) => {
    const target = parseTarget(req.url);
    if (!target.ok) {
      metrics.rejectedRequests.labels('http', target.status === 414 ? 'target_too_long' : 'malformed_target').inc();
      req.resume();
      return json(res, target.status, { error: target.reason });
    }
    const path = target.url.pathname;
    if (req.method === 'GET' && path === '/healthz') return json(res, 200, health());
    if (req.method === 'GET' && path === '/readyz') {
      void readiness().then((r) => json(res, r.ready ? 200 : 503, r));
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text);
      });
      return;
    }
    if (options.requestHooks?.some((hook) => hook(req, res))) return;
    if (rest?.handle(req, res)) return;
    if (fallback?.handle(req, res)) return;
    req.resume();
    json(res, 404, { error: 'Not found' });
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = Math.max(server.requestTimeout, limits.headersTimeoutMs);
  trackAddresses(server, limits.maxConnectionsPerAddress, metrics);
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    socket.on('error', () => {});
    const target = parseTarget(req.url);
    if (!target.ok) {
      metrics.rejectedRequests.labels('upgrade', target.status === 414 ? 'target_too_long' : 'malformed_target').inc();
      return rejectUpgrade(socket, target.status, target.reason);
    }
    if (!ws?.handleUpgrade(req, socket, head)) rejectUpgrade(socket, 404, 'Not found: WebSocket upgrades go to /app/{key}');
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => answerClientError(err, socket, metrics));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      draining = true;
      liveHeap.stop();
      ws?.drain();
      fallback?.drain();
      hub.closeAll(CloseCode.GenericReconnect, 'Server is shutting down, reconnect');
      const deadline = Date.now() + config.shutdownGraceMs;
      while (hub.count() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      ws?.terminateAll();
      fallback?.terminateAll();
      await hub.settle();
      await wsWebhooks.flush();
      await fallbackWebhooks.flush();
      if (dispatcher && queue instanceof MemoryQueue) {
        while (queue.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      }
      await dispatcher?.stop();
      hub.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close();
      await state.stop();
    })());

  return { config, port, url: `http://${config.host}:${port}`, metrics, hub, stop };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}
