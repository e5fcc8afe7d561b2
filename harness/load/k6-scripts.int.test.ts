import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
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

  it('ws-subscribers: an attempt that never sees connection_established fails as no_established at its deadline and tries again', async () => {
    // A server that completes the handshake and then says nothing: a broken server, and what a
    // socket sees when k6 itself drops the frame (scenarios/load/README.md).
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => silent.close());
    const closedByClient: number[] = [];
    silent.on('connection', (ws) => ws.on('close', (code) => closedByClient.push(code)));
    await once(silent, 'listening');
    const port = (silent.address() as AddressInfo).port;
    const points: K6Point[] = [];
    const r = await runK6({
      script: script('ws-subscribers.ts'),
      env: { EDGE_WS: `ws://127.0.0.1:${port}`, APP_KEY: 'key', APP_SECRET: 'secret', VUS: 1, SOCKETS_PER_VU: 2, DURATION_S: 4, ESTABLISHED_TIMEOUT_MS: 500, RECONNECT_DELAY_MS: 200, MAX_ATTEMPTS_PER_SOCKET: 3 },
      maxDurationS: 60,
      onPoint: (p) => points.push(p),
    });
    expect(r.outcome, r.stderrTail.join('\n')).toBe('passed');
    // Two sockets × three attempts, each given up at 500 ms by the client, with a normal close.
    expect(sum(points, 'pusher_connect_attempts')).toBe(6);
    expect(sum(points, 'pusher_connected')).toBe(0);
    expect(sum(points, 'pusher_connect_failures', { reason: 'no_established' })).toBe(6);
    expect(sum(points, 'pusher_connect_failures')).toBe(6);
    expect(closedByClient).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
  });

  it('ws-subscribers: a handshake still pending at the end and failing after it ends the run (k6 2.2 would block on its close)', async () => {
    // Accepts TCP, never answers the upgrade, and resets each connection 1.5 s after the run's end.
    const sockets: Socket[] = [];
    const hanging = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
    });
    hanging.listen(0, '127.0.0.1');
    await once(hanging, 'listening');
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy();
      hanging.close();
    });
    const DURATION_S = 2;
    const reset = setTimeout(() => sockets.forEach((socket) => socket.resetAndDestroy()), (DURATION_S + 1.5) * 1000);
    cleanups.push(() => clearTimeout(reset));
    const points: K6Point[] = [];
    // A VU blocked for good would end only by the runner's kill at 30 s: 'killed', not 'passed'.
    const r = await runK6({
      script: script('ws-subscribers.ts'),
      env: { EDGE_WS: `ws://127.0.0.1:${(hanging.address() as AddressInfo).port}`, APP_KEY: 'key', APP_SECRET: 'secret', VUS: 1, SOCKETS_PER_VU: 2, DURATION_S },
      maxDurationS: 30,
      onPoint: (p) => points.push(p),
    });
    expect(r.outcome, r.stderrTail.join('\n')).toBe('passed');
    expect(sockets).toHaveLength(2);
    expect(sum(points, 'pusher_connect_attempts')).toBe(2);
    expect(sum(points, 'pusher_connect_failures')).toBe(2);
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
