import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { K6Point } from './k6-runner.ts';
import { k6ScriptPath } from './k6-env.ts';
import { runK6Segmented, type K6SegmentedResult } from './k6-segments.ts';
import { channelInfoRequest, connect, RestClient, type PusherConnection } from './pusher-client/index.ts';
import { hasK6, stopAfterEach, sum } from './testing/k6-test-kit.ts';
import { startServerProcess, TEST_APP, type ServerProcess } from './testing/server-process.ts';

// The same k6 load as one process and as three (execution segments) against one real pod: the
// totals as recorded (the points) and as the server saw them must match within 1%. Short on purpose.

const { servers, cleanups } = stopAfterEach();

const within1Percent = (split: number, single: number): void => {
  expect(Math.abs(split - single), `${split} vs ${single}`).toBeLessThanOrEqual(single * 0.01);
};

const baseEnv = (s: ServerProcess) => ({
  EDGE_WS: `ws://127.0.0.1:${s.port}`,
  EDGE_HTTP: `http://127.0.0.1:${s.port}`,
  APP_ID: TEST_APP.id,
  APP_KEY: TEST_APP.key,
  APP_SECRET: TEST_APP.secret,
});

async function pod(): Promise<ServerProcess> {
  const s = await startServerProcess();
  servers.push(s);
  return s;
}

/** What one process (or all) saw of its sockets: attempts, connected, and each failure's reason (retried ones included). */
function attemptsSeen(points: K6Point[], instance?: string): string {
  const tags: Record<string, string> = instance === undefined ? {} : { instance };
  const failures = new Map<string, number>();
  for (const p of points) {
    if (p.metric !== 'pusher_connect_failures' || (instance !== undefined && p.tags.instance !== instance)) continue;
    const reason = [p.tags.reason, p.tags.code].filter(Boolean).join(' ');
    failures.set(reason, (failures.get(reason) ?? 0) + p.value);
  }
  const failed = [...failures].map(([reason, n]) => `${reason} ×${n}`).join(', ') || 'none';
  return `${sum(points, 'pusher_connect_attempts', tags)} attempts, ${sum(points, 'pusher_connected', tags)} connected, failures ${failed}`;
}

interface Recorded {
  result: K6SegmentedResult;
  points: K6Point[];
}

async function run(script: 'ws-subscribers.ts' | 'rest-publish.ts' | 'smoke-http.ts', instances: number, env: Record<string, string | number>, during?: (done: () => boolean) => Promise<void>): Promise<Recorded> {
  const points: K6Point[] = [];
  let finished = false;
  const running = runK6Segmented({ script: k6ScriptPath(script), instances, env, maxDurationS: 40, onPoint: (p) => points.push(p) }).finally(() => {
    finished = true;
  });
  await during?.(() => finished);
  const result = await running;
  expect(result.outcome, result.stderrTail.join('\n')).toBe('passed');
  expect(result.instances).toHaveLength(instances);
  return { result, points };
}

describe.skipIf(!hasK6)('a k6 run split over execution segments makes the load of one process', () => {
  it('ws-subscribers: 3 processes open the sockets of one, on the same presence channels, with distinct users', async () => {
    const s = await pod();
    const rest = new RestClient({ port: s.port }, TEST_APP, { maxSockets: 7 });
    cleanups.push(() => rest.close());
    const CHANNELS = 7;
    const SOCKETS = 300;
    // A socket whose connect fails (a busy 2-core machine) tries again soon, twice at most: the load
    // compared is the sockets held, which a retried socket still is.
    // k6 itself loses a connection_established now and then (scenarios/load/README.md): such a socket
    // gives up on it after 2.5 s and tries again, in time.
    const env = { ...baseEnv(s), VUS: 6, SOCKETS_PER_VU: 50, DURATION_S: 8, RAMP_S: 1, CHANNELS, CHANNEL_KIND: 'presence', RECONNECT_DELAY_MS: 200, MAX_ATTEMPTS_PER_SOCKET: 3, ESTABLISHED_TIMEOUT_MS: 2500 };
    /** Each channel's subscriptions and presence users, as the server counts them. */
    const occupancy = async () =>
      Promise.all(
        Array.from({ length: CHANNELS }, async (_, i) => {
          const r = await rest.send(channelInfoRequest(TEST_APP, `presence-load-${i}`, ['subscription_count', 'user_count']));
          const body = JSON.parse(r.body) as { subscription_count?: number; user_count?: number };
          return { subscriptions: body.subscription_count ?? 0, users: body.user_count ?? 0 };
        }),
      );
    /** The occupancy once every socket is subscribed (polled while k6 runs, bounded by the run). */
    const fullOccupancy = async (done: () => boolean) => {
      while (!done()) {
        const o = await occupancy();
        if (o.reduce((a, c) => a + c.subscriptions, 0) === SOCKETS) return o;
        await sleep(200);
      }
      return undefined;
    };

    let singleSeen: Awaited<ReturnType<typeof occupancy>> | undefined;
    const single = await run('ws-subscribers.ts', 1, env, async (done) => {
      singleSeen = await fullOccupancy(done);
    });
    let splitSeen: Awaited<ReturnType<typeof occupancy>> | undefined;
    const split = await run('ws-subscribers.ts', 3, env, async (done) => {
      splitSeen = await fullOccupancy(done);
    });

    // The expected totals first: 6 VUs × 50 sockets, each connected and subscribed once.
    const diagnosis = `1 process: ${attemptsSeen(single.points)}; 3 processes: ${[1, 2, 3].map((i) => attemptsSeen(split.points, String(i))).join(' | ')}`;
    console.info(`ws-subscribers: ${diagnosis}`);
    const connected = sum(single.points, 'pusher_connected');
    expect(connected, diagnosis).toBe(SOCKETS);
    expect(sum(single.points, 'pusher_subscribed'), diagnosis).toBe(SOCKETS);
    within1Percent(sum(split.points, 'pusher_connected'), connected);
    within1Percent(sum(split.points, 'pusher_subscribed'), sum(single.points, 'pusher_subscribed'));
    // Each process held its share (2 of the 6 VUs) and tagged its points with its instance.
    expect([1, 2, 3].map((i) => sum(split.points, 'pusher_connected', { instance: String(i) })), diagnosis).toEqual([100, 100, 100]);
    expect(single.points.some((p) => 'instance' in p.tags)).toBe(false);
    console.info(`ws-subscribers: per channel ${JSON.stringify(singleSeen?.map((c) => c.subscriptions))} (1 process) / ${JSON.stringify(splitSeen?.map((c) => c.subscriptions))} (3 processes)`);
    // The same channels as one process, and no presence user twice (user ids from exec.vu.idInTest).
    expect(singleSeen).toBeDefined();
    expect(singleSeen!.every((c) => c.users === c.subscriptions && c.subscriptions > 0)).toBe(true);
    expect(splitSeen).toEqual(singleSeen);
  });

  it('rest-publish: 3 processes publish at the arrival rate of one, round-robin over the same channels', async () => {
    const s = await pod();
    const CHANNELS = 3;
    const sub: PusherConnection = await connect({ endpoint: { port: s.port }, app: TEST_APP, transport: 'ws' });
    cleanups.push(() => sub.close());
    for (let i = 0; i < CHANNELS; i++) await sub.subscribe(`load-${i}`);
    let received = new Map<string, number>();
    sub.onEvent((f) => {
      if (f.event === 'load' && f.channel) received.set(f.channel, (received.get(f.channel) ?? 0) + 1);
    });
    const RATE_PER_S = 30;
    const DURATION_S = 10;
    const env = { ...baseEnv(s), VUS: 6, DURATION_S, RATE_PER_S, CHANNELS, PAYLOAD_BYTES: 100 };
    const publishRun = async (instances: number) => {
      received = new Map();
      const r = await run('rest-publish.ts', instances, env);
      const published = sum(r.points, 'pusher_publish_results', { status: '200', valid: 'true' });
      // Delivery trails the last answer by a moment: wait for it, bounded.
      for (let i = 0; i < 50 && [...received.values()].reduce((a, b) => a + b, 0) < published; i++) await sleep(100);
      return { ...r, published, perChannel: Array.from({ length: CHANNELS }, (_, i) => received.get(`load-${i}`) ?? 0) };
    };

    const single = await publishRun(1);
    const split = await publishRun(3);

    console.info(`rest-publish: published ${single.published} (1 process) / ${split.published} (3 processes); per channel ${JSON.stringify(single.perChannel)} / ${JSON.stringify(split.perChannel)}`);
    // The expected total first: the constant arrival rate over the run, 30/s × 10 s.
    expect(single.published).toBeGreaterThanOrEqual(RATE_PER_S * DURATION_S * 0.99);
    expect(single.published).toBeLessThanOrEqual(RATE_PER_S * DURATION_S + 1);
    within1Percent(split.published, single.published);
    expect(sum(single.points, 'pusher_publish_unexpected') + sum(split.points, 'pusher_publish_unexpected')).toBe(0);
    // Every process published its third of the rate.
    for (const i of [1, 2, 3]) within1Percent(3 * sum(split.points, 'pusher_publish_results', { status: '200', instance: String(i) }), single.published);
    // Round-robin by the test-wide iteration number: the same channels, in the same shares.
    expect(single.perChannel.reduce((a, b) => a + b, 0)).toBe(single.published);
    expect(split.perChannel.reduce((a, b) => a + b, 0)).toBe(split.published);
    single.perChannel.forEach((n, i) => within1Percent(split.perChannel[i]!, n));
  });

  it('smoke-http: 3 processes share the iterations of one', async () => {
    const s = await pod();
    const env = { TARGET: `http://127.0.0.1:${s.port}/readyz`, ITERATIONS: 30, VUS: 3 };
    const single = await run('smoke-http.ts', 1, env);
    const split = await run('smoke-http.ts', 3, env);
    expect(sum(single.points, 'http_reqs')).toBe(30);
    expect(sum(split.points, 'http_reqs')).toBe(30);
    expect([1, 2, 3].map((i) => sum(split.points, 'http_reqs', { instance: String(i) }))).toEqual([10, 10, 10]);
  });
});
