/** Connecting and the three channel kinds, with pusher-js over WebSocket and the `pusher` REST client. */
import type { PresenceChannel } from 'pusher-js';
import type { ConformanceCheck } from './check.ts';
import { must, mustEqual } from './must.ts';

const EVENT = 'conf-event';

export const channelChecks: readonly ConformanceCheck[] = [
  {
    id: 'ws.connect',
    title: 'pusher-js connects over WebSocket and gets a digits.digits socket id',
    needs: [],
    async run(ctx) {
      const c = await ctx.connect();
      const socketId = c.socketId();
      mustEqual(c.transportName(), 'ws', 'transport in use');
      must(/^\d+\.\d+$/.test(socketId), `socket id ${JSON.stringify(socketId)} is not digits.digits`);
      await c.roundTrip();
      return `connected, socket id ${socketId}, pusher:ping answered with pusher:pong`;
    },
  },
  {
    id: 'channels.public',
    title: 'a public channel delivers REST events in order',
    needs: [],
    async run(ctx) {
      const c = await ctx.connect();
      const name = ctx.channel('public', 'pub');
      const ch = await c.subscribe(name);
      const got = c.collect(ch, EVENT, 3);
      const rest = ctx.rest();
      for (let n = 0; n < 3; n++) await rest.trigger(name, EVENT, { n });
      mustEqual(await got, [{ n: 0 }, { n: 1 }, { n: 2 }], `events on ${name}`);
      return `3 REST events arrived in order on ${name}`;
    },
  },
  {
    id: 'channels.private',
    title: 'a private channel subscribes through the auth endpoint and delivers REST events',
    needs: [],
    async run(ctx) {
      const before = ctx.auth.signed();
      const c = await ctx.connect();
      const name = ctx.channel('private', 'priv');
      const ch = await c.subscribe(name);
      must(ctx.auth.signed() > before, 'subscription succeeded without pusher-js asking the auth endpoint');
      const got = c.collect(ch, EVENT, 1);
      await ctx.rest().trigger(name, EVENT, { secret: true });
      mustEqual(await got, [{ secret: true }], `events on ${name}`);
      return `authorized by the endpoint (${ctx.auth.signed() - before} signature), REST event delivered`;
    },
  },
  {
    id: 'channels.private-forged',
    title: 'a private channel refuses a signature made with the wrong secret',
    needs: [],
    async run(ctx) {
      const c = await ctx.connect({ forgedAuth: true });
      const name = ctx.channel('private', 'forged');
      const refusal = await c.subscribeRefused(name, Math.min(3000, ctx.timeoutMs));
      // Nothing published to the channel may reach the refused client.
      const leaked = c.record(c.channel(name), EVENT);
      await ctx.rest().trigger(name, EVENT, { leaked: true });
      await c.roundTrip();
      await new Promise((r) => setTimeout(r, 300));
      mustEqual(leaked, [], `events delivered on ${name} to a client whose subscription was refused`);
      return refusal;
    },
  },
  {
    id: 'channels.presence',
    title: 'a presence channel lists members and announces member_added/member_removed',
    needs: [],
    async run(ctx) {
      const name = ctx.channel('presence', 'room');
      const alice = await ctx.connect({ userId: 'alice' });
      const chA = (await alice.subscribe(name)) as PresenceChannel;
      mustEqual(chA.members.count, 1, 'member count after the first subscribe');
      mustEqual((chA.members.me as { id?: string } | null)?.id, 'alice', 'members.me');
      const added = alice.collect<{ id: string }>(chA, 'pusher:member_added', 1);
      const bob = await ctx.connect({ userId: 'bob' });
      const chB = (await bob.subscribe(name)) as PresenceChannel;
      mustEqual(chB.members.count, 2, 'member count seen by the second member');
      must(chB.members.get('alice') !== null, 'the second member does not see alice');
      mustEqual((await added).map((m) => m.id), ['bob'], 'member_added seen by alice');
      const removed = alice.collect<{ id: string }>(chA, 'pusher:member_removed', 1);
      bob.disconnect();
      mustEqual((await removed).map((m) => m.id), ['bob'], 'member_removed seen by alice');
      return 'members listed (1, then 2), member_added and member_removed for bob';
    },
  },
  {
    id: 'client-events.private',
    title: 'a client event on a private channel reaches the other member, not the sender',
    needs: [],
    async run(ctx) {
      const name = ctx.channel('private', 'chat');
      const a = await ctx.connect();
      const b = await ctx.connect();
      const chA = await a.subscribe(name);
      const chB = await b.subscribe(name);
      const echoed = a.record(chA, 'client-hello');
      const atB = b.collect(chB, 'client-hello', 1);
      must(chA.trigger('client-hello', { from: 'a' }), 'pusher-js refused to send the client event');
      mustEqual(await atB, [{ from: 'a' }], 'client event at the other member');
      await a.roundTrip();
      mustEqual(echoed, [], 'client events echoed to their sender');
      return 'delivered to the other member; not echoed to the sender';
    },
  },
];
