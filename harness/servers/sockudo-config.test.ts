import { describe, expect, it } from 'vitest';
import { readPodMetrics } from '../topology/pod-metrics.ts';
import { SOCKUDO_METRIC_NAMES } from './sockudo.ts';
import { renderSockudoConfig } from './sockudo-config.ts';

const base = { podName: 'new-1', port: 40001, metricsPort: 40002, app: { id: '424242', key: 'k', secret: 's' } };

describe('sockudo config', () => {
  it('sets the pod cap, the Redis adapter, webhooks and the rate limiter explicitly', () => {
    const c = renderSockudoConfig({ ...base, maxConnections: 4, redisUrl: 'redis://127.0.0.1:41000', webhookUrl: 'http://127.0.0.1:41001/webhooks' }) as Record<string, any>;
    expect(c.port).toBe(40001);
    expect(c.host).toBe('127.0.0.1');
    expect(c.max_connections).toBe(4);
    expect(c.rate_limiter).toEqual({ enabled: false, driver: 'memory' });
    expect(c.adapter.driver).toBe('redis');
    expect(c.adapter.fallback_to_local).toBe(false);
    expect(c.adapter.redis.redis_pub_options.url).toBe('redis://127.0.0.1:41000');
    expect(c.database.redis).toEqual({ host: '127.0.0.1', port: 41000 });
    expect(c.cache.driver).toBe('redis');
    expect(c.metrics).toMatchObject({ enabled: true, host: '127.0.0.1', port: 40002 });
    const apps = c.app_manager.array.apps as Record<string, any>[];
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ id: '424242', key: 'k', secret: 's', enabled: true, max_event_payload_in_kb: 10 });
    expect(apps[0]!.webhooks[0].url).toBe('http://127.0.0.1:41001/webhooks');
  });

  it('runs one pod alone without Redis and without a cap (0 is unlimited)', () => {
    const c = renderSockudoConfig(base) as Record<string, any>;
    expect(c.adapter).toEqual({ driver: 'local' });
    expect(c.max_connections).toBe(0);
    expect(c.app_manager.array.apps[0].webhooks).toBeUndefined();
    expect(c.queue.driver).toBe('memory');
    expect(c.cache.driver).toBe('memory');
  });
});

describe('sockudo metric names', () => {
  it('map onto open connections, refusals and messages out', () => {
    const text = [
      'sockudo_connected{app_id="424242",port="40001"} 7',
      'sockudo_connection_errors_total{app_id="424242",port="40001",error_type="socket_handling_failed"} 3',
      'sockudo_ws_messages_sent_total{app_id="424242",port="40001"} 120',
    ].join('\n');
    const m = readPodMetrics(text, SOCKUDO_METRIC_NAMES);
    expect(m.connections).toEqual({ ws: 7 });
    // Its cap refusal is read as ours, so the limit checks judge it like our server's.
    expect(m.refusedByReason).toEqual({ max_connections: 3 });
    expect(m.messagesOut).toBe(120);
  });
});
