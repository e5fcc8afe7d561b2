import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runK6, type K6Point } from './k6-runner.ts';
import { connect, RestClient, type PusherConnection } from './pusher-client/index.ts';
import { hasK6, stopAfterEach, sum } from './testing/k6-test-kit.ts';
import { startServerProcess, TEST_APP, type ServerProcess } from './testing/server-process.ts';

const script = (name: string): string => fileURLToPath(new URL(`../../scenarios/load/${name}`, import.meta.url));
const { servers, cleanups } = stopAfterEach();

async function pod(env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await startServerProcess(env);
  servers.push(s);
  return s;
}

const env = (s: ServerProcess): Record<string, string> => ({
  EDGE_WS: `ws://127.0.0.1:${s.port}`,
  EDGE_HTTP: `http://127.0.0.1:${s.port}`,
  APP_ID: TEST_APP.id,
  APP_KEY: TEST_APP.key,
  APP_SECRET: TEST_APP.secret,
});

describe.skipIf(!hasK6)('k6 scripts through runK6', () => {
  it('ws-subscribers: every socket connects and subscribes (private, signed in k6); received events are counted in per-second samples', async () => {
    const s = await pod();
    const rest = new RestClient({ port: s.port }, TEST_APP);
    cleanups.push(() => rest.close());
    const publisher = setInterval(() => {
      void rest.publish(['private-load-0', 'private-load-1'], 'tick', '{}').catch(() => undefined);
    }, 100);
    cleanups.push(() => clearInterval(publisher));
    const points: K6Point[] = [];
    const r = await runK6({
      script: script('ws-subscribers.ts'),
      env: { ...env(s), VUS: 2, SOCKETS_PER_VU: 5, DURATION_S: 4, CHANNELS: 2, CHANNEL_KIND: 'private' },
      maxDurationS: 60,
      onPoint: (p) => points.push(p),
    });
    expect(r.outcome, r.stderrTail.join('\n')).toBe('passed');
    expect(sum(points, 'pusher_connected')).toBe(10);
    expect(sum(points, 'pusher_subscribed')).toBe(10);
    expect(sum(points, 'pusher_connect_failures')).toBe(0);
    expect(sum(points, 'pusher_messages_received')).toBeGreaterThan(10);
    // Sampled: at most one point per VU per second (plus the final flush), whatever the message count.
    expect(points.filter((p) => p.metric === 'pusher_messages_received').length).toBeLessThanOrEqual(2 * (4 + 2));
    // Closed by the script itself at DURATION_S (not by k6's hard stop): 10 normal closes.
    expect(sum(points, 'pusher_closes', { abnormal: 'false' })).toBe(10);
    expect(sum(points, 'pusher_closes', { abnormal: 'true' })).toBe(0);
  });

  it('ws-subscribers with churn: a share of the sockets leaves cleanly each second and reconnects; no drop is counted', async () => {
    const s = await pod();
    const points: K6Point[] = [];
    const r = await runK6({
      script: script('ws-subscribers.ts'),
      // 20% of 10 sockets per VU each second over [1 s, 5 s): 2 × 4 × 2 = 16 departures planned.
      env: { ...env(s), VUS: 2, SOCKETS_PER_VU: 10, DURATION_S: 7, CHURN_SHARE_PER_S: 0.2, CHURN_FROM_S: 1, CHURN_TO_S: 5, CHURN_AWAY_MS: 200, SEED: 3 },
      maxDurationS: 60,
      onPoint: (p) => points.push(p),
    });
    expect(r.outcome, r.stderrTail.join('\n')).toBe('passed');
    const n = sum(points, 'pusher_churned');
    // A socket picked again while still away is skipped.
    expect(n).toBeGreaterThanOrEqual(12);
    expect(n).toBeLessThanOrEqual(16);
    expect(sum(points, 'pusher_closes', { reason: 'churn', abnormal: 'false' })).toBe(n);
    expect(sum(points, 'pusher_closes', { abnormal: 'true' })).toBe(0);
    // Every churned socket came back: 20 first connects plus one per departure.
    expect(sum(points, 'pusher_connected')).toBe(20 + n);
    expect(sum(points, 'pusher_connect_failures')).toBe(0);
  });

  it('ws-subscribers over a capped pod: the refused sockets are counted as 1006 failures', async () => {
    const s = await pod({ MAX_CONNECTIONS: '3' });
    const points: K6Point[] = [];
    const r = await runK6({
      script: script('ws-subscribers.ts'),
      env: { ...env(s), VUS: 1, SOCKETS_PER_VU: 5, DURATION_S: 2, RECONNECT: 'false' },
      maxDurationS: 60,
      onPoint: (p) => points.push(p),
    });
    expect(r.outcome, r.stderrTail.join('\n')).toBe('passed');
    expect(sum(points, 'pusher_connected')).toBe(3);
    expect(sum(points, 'pusher_connect_failures', { reason: 'close', code: '1006' })).toBe(2);
  });

  it('ws-subscribers with OVER_CAP_MODE=close-4100: failures carry the 4100 close code', async () => {
    const s = await pod({ MAX_CONNECTIONS: '1', OVER_CAP_MODE: 'close-4100' });
    const points: K6Point[] = [];
    await runK6({
      script: script('ws-subscribers.ts'),
      env: { ...env(s), VUS: 1, SOCKETS_PER_VU: 3, DURATION_S: 2, RECONNECT: 'false' },
      maxDurationS: 60,
      onPoint: (p) => points.push(p),
    });
    expect(sum(points, 'pusher_connect_failures', { reason: 'close', code: '4100' })).toBe(2);
  });

  it('rest-publish: signed publishes arrive; every 4th is oversized and answered 413 as expected', async () => {
    const s = await pod();
    const sub: PusherConnection = await connect({ endpoint: { port: s.port }, app: TEST_APP, transport: 'ws' });
    cleanups.push(() => sub.close());
    await sub.subscribe('load-0');
    let got = 0;
    sub.onEvent((f) => {
      if (f.event === 'load') got++;
    });
    const points: K6Point[] = [];
    const r = await runK6({
      script: script('rest-publish.ts'),
      env: { ...env(s), VUS: 2, DURATION_S: 3, RATE_PER_S: 20, OVERSIZED_EVERY: 4, PAYLOAD_BYTES: 200 },
      maxDurationS: 60,
      onPoint: (p) => points.push(p),
    });
    expect(r.outcome, r.stderrTail.join('\n')).toBe('passed');
    const ok = sum(points, 'pusher_publish_results', { status: '200', valid: 'true' });
    const tooLarge = sum(points, 'pusher_publish_results', { status: '413', valid: 'false' });
    expect(ok).toBeGreaterThan(20);
    expect(tooLarge).toBeGreaterThan(5);
    expect(sum(points, 'pusher_publish_unexpected')).toBe(0);
    expect(got).toBe(ok);
  });

  it('refuses a target other than 127.0.0.1 before sending anything', async () => {
    const r = await runK6({ script: script('rest-publish.ts'), env: { EDGE_HTTP: 'http://10.1.2.3:80' }, maxDurationS: 30 });
    expect(r.outcome).toBe('error');
    expect(r.stderrTail.join('\n')).toMatch(/expected http:\/\/127\.0\.0\.1/);
  });
});
