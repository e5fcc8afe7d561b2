/** Graceful shutdown, readiness, client-event rate limit. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StartedPod } from '../pod.ts';
import { barrier, collect, connected, pusherJs, restClient, subscribed, type Presence, type PusherJsClient } from '../testing/clients.ts';
import { startTestPod } from '../testing/pods.ts';
import { startRedis, type StartedRedis } from '../testing/redis-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';

let redis: StartedRedis;
let receiver: WebhookReceiver | undefined;
const pods: StartedPod[] = [];
const clients: PusherJsClient[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const p of pods.splice(0)) await p.stop();
  await receiver?.close();
  receiver = undefined;
});
afterAll(async () => {
  await redis?.stop();
});

describe('graceful shutdown', () => {
  it.each(['ws', 'xhr_streaming'] as const)(
    'SIGTERM path over %s: readyz 503, clients told to reconnect (4200), vacated webhooks flushed to the stream',
    async (transport) => {
      receiver = await startWebhookReceiver();
      const stream = `hooks-${transport}-${Date.now()}`;
      const edge = await startTestPod({ REDIS_URL: redis.url, POD_NAME: `edge-${transport}`, ROLES: 'ws,fallback,rest', WEBHOOK_STREAM: stream, SHUTDOWN_GRACE_MS: '3000' });
      const disp = await startTestPod({ REDIS_URL: redis.url, POD_NAME: `disp-${transport}`, ROLES: 'webhook-dispatcher', WEBHOOK_URL: receiver.url, WEBHOOK_STREAM: stream });
      pods.push(disp);
      const c = pusherJs(edge, transport);
      clients.push(c);
      await connected(c);
      await subscribed(c, 'leaving');
      await expect.poll(() => receiver!.events().map((e) => e.name)).toEqual(['channel_occupied']);
      const closeCodes: number[] = [];
      c.connection.bind('error', (e: { data?: { code?: number } }) => {
        if (e.data?.code) closeCodes.push(e.data.code);
      });
      c.connection.bind('message', (m: { event?: string; data?: { code?: number } }) => {
        if (m.event === 'pusher:error' && m.data?.code) closeCodes.push(m.data.code);
      });
      const stopping = edge.stop();
      expect((await fetch(`${edge.url}/readyz`).catch(() => ({ status: 0 }))).status).not.toBe(200);
      await stopping;
      expect(closeCodes).toContain(4200);
      await expect.poll(() => receiver!.events().map((e) => e.name)).toEqual(['channel_occupied', 'channel_vacated']);
    },
  );

  it('readyz is 200 while serving and reports Redis trouble as 503', async () => {
    const own = await startRedis();
    const pod = await startTestPod({ REDIS_URL: own.url, POD_NAME: 'ready-check' });
    pods.push(pod);
    expect((await fetch(`${pod.url}/readyz`)).status).toBe(200);
    await own.stop();
    await expect.poll(async () => (await fetch(`${pod.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${pod.url}/healthz`)).status).toBe(200); // liveness is not readiness
  });
});

describe('Redis restart (state lost)', () => {
  it('pods re-register their subscriptions and presence members, and fan-out resumes', async () => {
    const first = await startRedis();
    const port = first.port;
    const pod = await startTestPod({ REDIS_URL: first.url, POD_NAME: 'survivor' });
    pods.push(pod);
    const c = pusherJs(pod, 'ws', { id: 'stayer' });
    clients.push(c);
    await connected(c);
    const pub = await subscribed(c, 'kept');
    await subscribed<Presence>(c, 'presence-kept');
    await first.stop();
    await expect.poll(async () => (await fetch(`${pod.url}/readyz`)).status).toBe(503);
    const second = await startRedis(10_000, port); // empty: no persistence
    try {
      await expect.poll(async () => (await fetch(`${pod.url}/readyz`)).status, { timeout: 15_000 }).toBe(200);
      const rest = restClient(pod);
      await expect
        .poll(async () => (await (await rest.get({ path: '/channels/presence-kept/users' })).json()) as unknown, { timeout: 5_000 })
        .toEqual({ users: [{ id: 'stayer' }] });
      expect(await (await rest.get({ path: '/channels/kept' })).json()).toEqual({ occupied: true });
      const got = collect(pub, 'after', 1);
      await rest.trigger('kept', 'after', { ok: 1 });
      expect(await got).toEqual([{ ok: 1 }]);
    } finally {
      for (const x of clients.splice(0)) x.disconnect();
      for (const p of pods.splice(0)) await p.stop();
      await second.stop();
    }
  });
});

describe('client events', () => {
  it('are rate-limited per connection (clientEventRateLimit from the config file): excess dropped with a 4301 error', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sut-rl-')), 'c.json');
    writeFileSync(file, JSON.stringify({ configVersion: 'rl', clientEventRateLimit: 3 }));
    const pod = await startTestPod({ CONFIG_FILE: file });
    pods.push(pod);
    const a = pusherJs(pod, 'ws');
    const b = pusherJs(pod, 'ws');
    clients.push(a, b);
    await Promise.all([connected(a), connected(b)]);
    const chA = await subscribed(a, 'private-rl');
    const chB = await subscribed(b, 'private-rl');
    const errors: number[] = [];
    a.connection.bind('message', (m: { event?: string; data?: { code?: number } }) => {
      if (m.event === 'pusher:error' && m.data?.code) errors.push(m.data.code);
    });
    const got: unknown[] = [];
    chB.bind('client-burst', (d: unknown) => got.push(d));
    for (let i = 0; i < 10; i++) chA.trigger('client-burst', { i });
    await barrier(a); // all 10 were handled before the pong
    await barrier(b); // and whatever was forwarded reached b before its pong
    expect(got).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(errors).toEqual([4301, 4301, 4301, 4301, 4301, 4301, 4301]);
  });

  it('are refused on public channels', async () => {
    const pod = await startTestPod();
    pods.push(pod);
    const a = pusherJs(pod, 'ws');
    clients.push(a);
    await connected(a);
    await subscribed(a, 'public-no-client-events');
    const err = new Promise<number | undefined>((resolve) =>
      a.connection.bind('message', (m: { event?: string; data?: { code?: number } }) => {
        if (m.event === 'pusher:error') resolve(m.data?.code);
      }),
    );
    a.send_event('client-x', { a: 1 }, 'public-no-client-events');
    expect(await err).toBe(4301);
  });
});
