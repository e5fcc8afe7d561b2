/**
 * sockudo's configuration file (`sockudo --config <file>`, JSON) for one pod, rendered from the
 * harness's pod settings. Option names as sockudo 5.2.0 reads them (crate sockudo-core,
 * src/options/): ServerOptions at the top, apps under app_manager.array.apps.
 */
export interface SockudoPodSettings {
  podName: string;
  port: number;
  metricsPort: number;
  app: { id: string; key: string; secret: string };
  /** Several pods share channels through this Redis (adapter `redis`); absent: one pod alone (`local`). */
  redisUrl?: string;
  /** Where the app's webhooks go. */
  webhookUrl?: string;
  /** Open connections per pod; over it sockudo answers the connection with pusher:error 4100. Absent: unlimited. */
  maxConnections?: number;
}

/**
 * Limits as Pusher Channels documents them and our server enforces them, so the same request gets
 * the same answer from both: event data up to 10 KB (an oversized publish is a 413), up to 100
 * channels per publish, 10 events per batch.
 */
export const SOCKUDO_PAYLOAD_LIMITS = { maxEventPayloadKb: 10, maxEventChannelsAtOnce: 100, maxEventBatchSize: 10, requestLimitMb: 1 } as const;

/** Webhook events as Pusher names them; every one the receiver can expect. */
const WEBHOOK_EVENT_TYPES = ['channel_occupied', 'channel_vacated', 'member_added', 'member_removed', 'client_event'];

export function renderSockudoConfig(s: SockudoPodSettings): Record<string, unknown> {
  const redis = s.redisUrl ? new URL(s.redisUrl) : undefined;
  return {
    debug: false,
    mode: 'production',
    host: '127.0.0.1',
    port: s.port,
    instance: { process_id: s.podName },
    // 0 is sockudo's "unlimited".
    max_connections: s.maxConnections ?? 0,
    shutdown_grace_period: 3,
    logging: { colors_enabled: false, include_target: false },
    app_manager: {
      driver: 'memory',
      array: {
        apps: [
          {
            id: s.app.id,
            key: s.app.key,
            secret: s.app.secret,
            enabled: true,
            // The per-app cap counts across every pod (a quota, not a pod's cap): the pod cap is max_connections above.
            max_connections: 0,
            enable_client_messages: true,
            max_client_events_per_second: 1000,
            max_event_payload_in_kb: SOCKUDO_PAYLOAD_LIMITS.maxEventPayloadKb,
            max_event_channels_at_once: SOCKUDO_PAYLOAD_LIMITS.maxEventChannelsAtOnce,
            max_event_batch_size: SOCKUDO_PAYLOAD_LIMITS.maxEventBatchSize,
            ...(s.webhookUrl ? { webhooks: [{ url: s.webhookUrl, event_types: WEBHOOK_EVENT_TYPES }] } : {}),
          },
        ],
      },
    },
    http_api: { request_limit_in_mb: SOCKUDO_PAYLOAD_LIMITS.requestLimitMb, accept_traffic: { enabled: false } },
    // On by default at about 20 WebSocket connects and 100 API requests a minute, which any load
    // test exceeds in its first second: off, so what is measured is the server, not its limiter.
    rate_limiter: { enabled: false, driver: 'memory' },
    adapter: redis
      ? {
          driver: 'redis',
          // A build without the Redis adapter must fail, not fall back to a pod alone.
          fallback_to_local: false,
          redis: { prefix: 'sockudo_adapter:', redis_pub_options: { url: s.redisUrl }, redis_sub_options: { url: s.redisUrl }, cluster_mode: false },
        }
      : { driver: 'local' },
    // Several pods: sockudo refuses to start clustered with a pod-local cache (idempotency and its
    // compatibility layer deduplicate across nodes through it). One pod: in memory. The queue stays
    // in the pod either way: webhooks are sent from the pod itself.
    cache: { driver: redis ? 'redis' : 'memory' },
    queue: { driver: 'memory' },
    database: redis ? { redis: { host: redis.hostname, port: Number(redis.port || 6379) } } : {},
    metrics: { enabled: true, driver: 'prometheus', host: '127.0.0.1', port: s.metricsPort, prometheus: { prefix: 'sockudo_' } },
  };
}
