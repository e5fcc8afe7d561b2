/** pusher-js 8 against one standalone pod, each transport forced in turn. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StartedPod } from '../pod.ts';
import { TRANSPORTS } from '../protocol/messages.ts';
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

describe.each(TRANSPORTS)('pusher-js over %s, one pod', (transport) => {
  it('connects with a digits.digits socket id on the forced transport', async () => {
    const c = pusherJs(pod, transport);
    clients.push(c);
    const socketId = await connected(c);
    expect(socketId).toMatch(/^\d+\.\d+$/);
    const mgr = c.connection as unknown as { connection: { transport: { name: string } } };
    expect(mgr.connection.transport.name).toBe(transport);
    await expect.poll(() => pod.hub.count(transport)).toBe(1);
  });

  it('receives events published with the pusher REST client on public and private channels', async () => {
    const c = pusherJs(pod, transport);
    clients.push(c);
    await connected(c);
    const pub = await subscribed(c, `public-${transport}`);
    const priv = await subscribed(c, `private-${transport}`);
    const gotPub = collect<{ n: number }>(pub, 'greet', 3);
    const gotPriv = collect<{ n: number }>(priv, 'greet', 1);
    const rest = restClient(pod);
    for (let n = 0; n < 3; n++) await rest.trigger(`public-${transport}`, 'greet', { n });
    await rest.trigger(`private-${transport}`, 'greet', { n: 9 });
    expect(await gotPub).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(await gotPriv).toEqual([{ n: 9 }]);
  });

  it('client events reach the other client, not the sender', async () => {
    const a = pusherJs(pod, transport);
    const b = pusherJs(pod, transport);
    clients.push(a, b);
    await Promise.all([connected(a), connected(b)]);
    const chA = await subscribed(a, `private-chat-${transport}`);
    const chB = await subscribed(b, `private-chat-${transport}`);
    const echoed: unknown[] = [];
    chA.bind('client-hello', (d: unknown) => echoed.push(d));
    const atB = collect(chB, 'client-hello', 1);
    expect(chA.trigger('client-hello', { from: 'a' })).toBe(true);
    expect(await atB).toEqual([{ from: 'a' }]);
    // b answers; a gets b's event, and never its own.
    const atA = collect(chA, 'client-back', 1);
    chB.trigger('client-back', { from: 'b' });
    expect(await atA).toEqual([{ from: 'b' }]);
    expect(echoed).toEqual([]);
  });

  it('presence: members, member_added, member_removed', async () => {
    const name = `presence-room-${transport}`;
    const a = pusherJs(pod, transport, { id: 'alice', info: { name: 'Alice' } });
    clients.push(a);
    await connected(a);
    const chA = await subscribed<Presence>(a, name);
    expect(chA.members.count).toBe(1);
    expect(chA.members.me).toMatchObject({ id: 'alice', info: { name: 'Alice' } });

    const added = new Promise<{ id: string }>((resolve) => chA.bind('pusher:member_added', resolve));
    const b = pusherJs(pod, transport, { id: 'bob', info: { name: 'Bob' } });
    await connected(b);
    const chB = await subscribed<Presence>(b, name);
    expect(chB.members.count).toBe(2);
    expect(chB.members.get('alice')).toMatchObject({ id: 'alice', info: { name: 'Alice' } });
    expect((await added).id).toBe('bob');

    const users = (await (await restClient(pod).get({ path: `/channels/${name}/users` })).json()) as { users: { id: string }[] };
    expect(users.users.map((u) => u.id).sort()).toEqual(['alice', 'bob']);

    const removed = new Promise<{ id: string }>((resolve) => chA.bind('pusher:member_removed', resolve));
    b.disconnect();
    expect((await removed).id).toBe('bob');
  });
});
