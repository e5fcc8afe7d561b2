/** The `pusher` REST client against one pod: trigger, batch, channel queries, auth and size errors. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StartedPod } from '../pod.ts';
import { collect, connected, disconnectAll, pusherJs, restClient, subscribed, type Presence, type PusherJsClient } from '../testing/clients.ts';
import { startTestPod } from '../testing/pods.ts';

let pod: StartedPod;
const clients: PusherJsClient[] = [];
beforeAll(async () => {
  pod = await startTestPod();
});
afterEach(() => disconnectAll(clients));
afterAll(async () => {
  await pod?.stop();
});

async function status(p: Promise<unknown>): Promise<number> {
  try {
    const res = (await p) as { status: number };
    return res.status;
  } catch (err) {
    return (err as { status: number }).status;
  }
}

describe('REST API with the pusher client', () => {
  it('trigger to several channels and triggerBatch deliver to pusher-js', async () => {
    const c = pusherJs(pod, 'ws');
    clients.push(c);
    await connected(c);
    const a = await subscribed(c, 'rest-a');
    const b = await subscribed(c, 'rest-b');
    const gotA = collect(a, 'ev', 2);
    const gotB = collect(b, 'ev', 2);
    const rest = restClient(pod);
    expect(await status(rest.trigger(['rest-a', 'rest-b'], 'ev', { k: 1 }))).toBe(200);
    expect(
      await status(
        rest.triggerBatch([
          { channel: 'rest-a', name: 'ev', data: { k: 2 } },
          { channel: 'rest-b', name: 'ev', data: { k: 3 } },
        ]),
      ),
    ).toBe(200);
    expect(await gotA).toEqual([{ k: 1 }, { k: 2 }]);
    expect(await gotB).toEqual([{ k: 1 }, { k: 3 }]);
  });

  it('excludes the socket_id given with trigger', async () => {
    const a = pusherJs(pod, 'ws');
    const b = pusherJs(pod, 'ws');
    clients.push(a, b);
    const [sa] = await Promise.all([connected(a), connected(b)]);
    const chA = await subscribed(a, 'excl');
    const chB = await subscribed(b, 'excl');
    const atA: unknown[] = [];
    chA.bind('ev', (d: unknown) => atA.push(d));
    const atB = collect(chB, 'ev', 2);
    await restClient(pod).trigger('excl', 'ev', 1, { socket_id: sa });
    await restClient(pod).trigger('excl', 'ev', 2);
    expect(await atB).toEqual([1, 2]);
    await expect.poll(() => atA).toEqual([2]);
  });

  it('channel queries: list, info, users', async () => {
    const c = pusherJs(pod, 'ws', { id: 'u1' });
    clients.push(c);
    await connected(c);
    await subscribed(c, 'q-public');
    const pres = await subscribed<Presence>(c, 'presence-q');
    expect(pres.members.count).toBe(1);
    const rest = restClient(pod);
    const all = (await (await rest.get({ path: '/channels' })).json()) as { channels: Record<string, unknown> };
    expect(all.channels).toMatchObject({ 'q-public': {}, 'presence-q': {} });
    const presOnly = (await (await rest.get({ path: '/channels', params: { filter_by_prefix: 'presence-', info: 'user_count' } })).json()) as unknown;
    expect(presOnly).toEqual({ channels: { 'presence-q': { user_count: 1 } } });
    const one = (await (await rest.get({ path: '/channels/presence-q', params: { info: 'user_count,subscription_count' } })).json()) as unknown;
    expect(one).toEqual({ occupied: true, user_count: 1, subscription_count: 1 });
    const empty = (await (await rest.get({ path: '/channels/nobody-here' })).json()) as unknown;
    expect(empty).toEqual({ occupied: false });
    const users = (await (await rest.get({ path: '/channels/presence-q/users' })).json()) as unknown;
    expect(users).toEqual({ users: [{ id: 'u1' }] });
    expect(await status(rest.get({ path: '/channels/q-public/users' }))).toBe(400);
  });

  it('a wrong secret is 401', async () => {
    expect(await status(restClient(pod, { secret: 'wrong' }).trigger('x', 'ev', {}))).toBe(401);
    expect(await status(restClient(pod, { secret: 'wrong' }).get({ path: '/channels' }))).toBe(401);
  });

  it('a timestamp more than 600 s old is 401', async () => {
    const rest = restClient(pod);
    const real = Date.now();
    const spy = vi.spyOn(Date, 'now').mockReturnValue(real - 601_000);
    const stale = rest.trigger('x', 'ev', {}); // signed synchronously with the stale time
    spy.mockRestore();
    expect(await status(stale)).toBe(401);
    const spy2 = vi.spyOn(Date, 'now').mockReturnValue(real - 500_000);
    const fresh = rest.trigger('x', 'ev', {});
    spy2.mockRestore();
    expect(await status(fresh)).toBe(200);
  });

  it('11 KB of data is 413, 10 KB is accepted', async () => {
    const rest = restClient(pod);
    expect(await status(rest.trigger('x', 'ev', 'y'.repeat(11 * 1024)))).toBe(413);
    expect(await status(rest.trigger('x', 'ev', 'y'.repeat(10 * 1024 - 2)))).toBe(200); // JSON-encoded: 2 quotes
  });

  it('invalid requests are 400; unknown app id 404', async () => {
    const rest = restClient(pod);
    // the client's `body` is typed as a string but JSON-encoded by the client itself
    const post = (body: object): Promise<unknown> => rest.post({ path: '/events', body: body as unknown as string });
    expect(await status(post({ name: 'e', channels: ['bad channel name'], data: '{}' }))).toBe(400);
    expect(await status(post({ name: 'e', channels: ['a'], data: { not: 'a string' } }))).toBe(400);
    expect(await status(post({ name: 'e', channels: [], data: '{}' }))).toBe(400);
    expect(await status(rest.post({ path: '/batch_events', body: { batch: [] } as unknown as string }))).toBe(400);
    const other = new (restClient(pod).constructor as new (o: object) => ReturnType<typeof restClient>)({
      appId: '999',
      key: 'test-key',
      secret: 'test-secret',
      host: '127.0.0.1',
      port: String(pod.port),
      useTLS: false,
    });
    expect(await status(other.trigger('x', 'ev', {}))).toBe(404);
  });
});
