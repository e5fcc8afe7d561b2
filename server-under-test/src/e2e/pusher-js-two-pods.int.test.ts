/** Two pods in this process sharing a real redis-server: fan-out, client events and presence across pods, per transport. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StartedPod } from '../pod.ts';
import { TRANSPORTS } from '../protocol/messages.ts';
import { collect, connected, disconnectAll, pusherJs, restClient, subscribed, type Presence, type PusherJsClient } from '../testing/clients.ts';
import { startTestPod } from '../testing/pods.ts';
import { startRedis, type StartedRedis } from '../testing/redis-server.ts';

let redis: StartedRedis;
let podA: StartedPod;
let podB: StartedPod;
const clients: PusherJsClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
  podA = await startTestPod({ REDIS_URL: redis.url, POD_NAME: 'pod-a' });
  podB = await startTestPod({ REDIS_URL: redis.url, POD_NAME: 'pod-b' });
});
afterEach(() => disconnectAll(clients));
afterAll(async () => {
  await podA?.stop();
  await podB?.stop();
  await redis?.stop();
});

describe.each(TRANSPORTS)('two pods over Redis, pusher-js on %s', (transport) => {
  it('an event published on one pod reaches subscribers on both pods', async () => {
    const a = pusherJs(podA, transport);
    const b = pusherJs(podB, transport);
    clients.push(a, b);
    await Promise.all([connected(a), connected(b)]);
    const chA = await subscribed(a, `news-${transport}`);
    const chB = await subscribed(b, `news-${transport}`);
    const privA = await subscribed(a, `private-news-${transport}`);
    const privB = await subscribed(b, `private-news-${transport}`);
    const gotA = collect(chA, 'headline', 2);
    const gotB = collect(chB, 'headline', 2);
    const gotPrivA = collect(privA, 'secret', 1);
    const gotPrivB = collect(privB, 'secret', 1);
    await restClient(podA).trigger(`news-${transport}`, 'headline', { n: 1 });
    await restClient(podB).trigger(`news-${transport}`, 'headline', { n: 2 });
    await restClient(podB).trigger(`private-news-${transport}`, 'secret', { s: 1 });
    expect(await gotA).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await gotB).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await gotPrivA).toEqual([{ s: 1 }]);
    expect(await gotPrivB).toEqual([{ s: 1 }]);
    // the REST channel query on either pod sees both subscribers
    const info = (await (await restClient(podB).get({ path: `/channels/news-${transport}`, params: { info: 'subscription_count' } })).json()) as Record<string, unknown>;
    expect(info).toEqual({ occupied: true, subscription_count: 2 });
  });

  it('client events and presence work across pods', async () => {
    const name = `presence-x-${transport}`;
    const a = pusherJs(podA, transport, { id: 'ann' });
    clients.push(a);
    await connected(a);
    const chA = await subscribed<Presence>(a, name);
    const added = new Promise<{ id: string }>((resolve) => chA.bind('pusher:member_added', resolve));
    const b = pusherJs(podB, transport, { id: 'ben' });
    clients.push(b);
    await connected(b);
    const chB = await subscribed<Presence>(b, name);
    expect(chB.members.count).toBe(2);
    expect((await added).id).toBe('ben');

    const atA = new Promise<[unknown, unknown]>((resolve) => chA.bind('client-wave', (d: unknown, meta: unknown) => resolve([d, meta])));
    chB.trigger('client-wave', { hi: 1 });
    const [data, meta] = await atA;
    expect(data).toEqual({ hi: 1 });
    expect(meta).toEqual({ user_id: 'ben' });

    const removed = new Promise<{ id: string }>((resolve) => chA.bind('pusher:member_removed', resolve));
    b.disconnect();
    expect((await removed).id).toBe('ben');
  });
});

describe('pods with one role each, over Redis', () => {
  it('ws pod + fallback pod + rest pod act as one service; each refuses what it does not serve', async () => {
    const ws = await startTestPod({ REDIS_URL: redis.url, POD_NAME: 'only-ws', ROLES: 'ws' });
    const fb = await startTestPod({ REDIS_URL: redis.url, POD_NAME: 'only-fallback', ROLES: 'fallback' });
    const rest = await startTestPod({ REDIS_URL: redis.url, POD_NAME: 'only-rest', ROLES: 'rest' });
    try {
      const a = pusherJs(ws, 'ws');
      const b = pusherJs(fb, 'xhr_streaming');
      const p = pusherJs(fb, 'xhr_polling');
      clients.push(a, b, p);
      await Promise.all([connected(a), connected(b), connected(p)]);
      const chans = await Promise.all([a, b, p].map((c) => subscribed(c, 'split')));
      const got = Promise.all(chans.map((ch) => collect(ch, 'e', 1)));
      await restClient(rest).trigger('split', 'e', { ok: true });
      expect(await got).toEqual([[{ ok: true }], [{ ok: true }], [{ ok: true }]]);
      // roles: the REST pod has no fallback, the ws pod no REST
      expect((await fetch(`${rest.url}/pusher/app/test-key/1/x/xhr`, { method: 'POST' })).status).toBe(404);
      expect((await fetch(`${ws.url}/apps/4242/channels`)).status).toBe(404);
      expect(((await (await fetch(`${fb.url}/healthz`)).json()) as { roles: string[] }).roles).toEqual(['fallback']);
    } finally {
      disconnectAll(clients);
      await ws.stop();
      await fb.stop();
      await rest.stop();
    }
  });
});
