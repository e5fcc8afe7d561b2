/**
 * The REST API with the `pusher` client: batch events, channel info, the channel list, presence
 * users, signature enforcement, and keep-alive alignment after an oversize body (the 2020-01
 * incident): on one connection the response a request reads must be its own.
 */
import { Agent } from 'node:http';
import Pusher from 'pusher';
import type { PresenceChannel } from 'pusher-js';
import { channelInfoRequest, LOOPBACK_HOST, publishRequest } from '../load/pusher-client/index.ts';
import { RawHttpConnection } from '../probes/raw-http-connection.ts';
import type { ConformanceCheck } from './check.ts';
import type { CheckContext } from './check-context.ts';
import { must, mustEqual, rejectionStatus } from './must.ts';

const EVENT = 'conf-event';

async function getJson(rest: Pusher, path: string, params: Record<string, string> = {}): Promise<unknown> {
  const res = await rest.get({ path, params });
  return (await res.json()) as unknown;
}

/** Event data just over the target's limit. */
const oversizeData = (ctx: CheckContext): string => 'x'.repeat(ctx.target.payloadLimitBytes + 1024);

/** A channel-info body (`{"occupied":...}`) and nothing else: the response the valid request must read. */
function isChannelInfo(status: number, body: string): boolean {
  if (status !== 200) return false;
  try {
    return typeof (JSON.parse(body) as { occupied?: unknown }).occupied === 'boolean';
  } catch {
    return false;
  }
}

export const restChecks: readonly ConformanceCheck[] = [
  {
    id: 'rest.batch-events',
    title: 'POST /batch_events delivers each event to its channel',
    needs: [],
    async run(ctx) {
      const c = await ctx.connect();
      const one = ctx.channel('public', 'batch');
      const two = ctx.channel('public', 'batch');
      const [ch1, ch2] = [await c.subscribe(one), await c.subscribe(two)];
      const got = Promise.all([c.collect(ch1, EVENT, 1), c.collect(ch2, EVENT, 1)]);
      got.catch(() => undefined); // awaited below unless the batch itself fails first
      await ctx.rest().triggerBatch([
        { channel: one, name: EVENT, data: { to: 1 } },
        { channel: two, name: EVENT, data: { to: 2 } },
      ]);
      mustEqual(await got, [[{ to: 1 }], [{ to: 2 }]], 'events of the batch');
      return `one batch of 2 events, each on its own channel`;
    },
  },
  {
    id: 'rest.channel-info',
    title: 'GET /channels/{name} reports occupancy and subscription_count',
    needs: [],
    async run(ctx) {
      const name = ctx.channel('public', 'info');
      const a = await ctx.connect();
      const b = await ctx.connect();
      await a.subscribe(name);
      await b.subscribe(name);
      const rest = ctx.rest();
      const info = (await getJson(rest, `/channels/${name}`, { info: 'subscription_count' })) as { occupied?: unknown; subscription_count?: unknown };
      mustEqual({ occupied: info.occupied, subscription_count: info.subscription_count }, { occupied: true, subscription_count: 2 }, `channel info of ${name}`);
      const empty = (await getJson(rest, `/channels/${ctx.channel('public', 'nobody')}`)) as { occupied?: unknown };
      mustEqual(empty.occupied, false, 'occupied of a channel nobody is subscribed to');
      return 'occupied with subscription_count 2; an empty channel is not occupied';
    },
  },
  {
    id: 'rest.presence-info',
    title: 'GET /channels lists a presence channel with user_count; /users lists its members',
    needs: [],
    async run(ctx) {
      const name = ctx.channel('presence', 'users');
      const alice = await ctx.connect({ userId: 'alice' });
      const bob = await ctx.connect({ userId: 'bob' });
      await alice.subscribe(name);
      const chB = (await bob.subscribe(name)) as PresenceChannel;
      mustEqual(chB.members.count, 2, 'members seen by bob');
      const rest = ctx.rest();
      const list = (await getJson(rest, '/channels', { filter_by_prefix: name, info: 'user_count' })) as { channels?: Record<string, { user_count?: unknown }> };
      mustEqual(list.channels?.[name]?.user_count, 2, `user_count of ${name} in the channel list`);
      const users = (await getJson(rest, `/channels/${name}/users`)) as { users?: { id?: unknown }[] };
      mustEqual((users.users ?? []).map((u) => u.id).sort(), ['alice', 'bob'], `users of ${name}`);
      return 'listed with user_count 2; users alice and bob';
    },
  },
  {
    id: 'rest.signature-enforced',
    title: 'a REST request signed with the wrong secret is refused with 401',
    needs: [],
    async run(ctx) {
      const status = await ctx
        .rest({ secret: `${ctx.target.app.secret}-wrong` })
        .trigger(ctx.channel('public', 'unsigned'), EVENT, { x: 1 })
        .then((r) => r.status, rejectionStatus);
      mustEqual(status, 401, 'status of a trigger signed with the wrong secret');
      return 'refused with 401';
    },
  },
  {
    id: 'rest.keepalive-raw',
    title: 'keep-alive: after an oversize body, the next request on the connection reads its own response',
    needs: [],
    async run(ctx) {
      const { app, port } = ctx.target;
      const unsolicited: string[] = [];
      const conn = new RawHttpConnection({ port }, { keepAlive: true, timeoutMs: ctx.timeoutMs, onUnsolicited: (r, id) => unsolicited.push(`${r.status} on ${id}`) });
      try {
        const big = await conn.request(publishRequest(app, [ctx.channel('public', 'big')], EVENT, oversizeData(ctx)));
        must(big.status >= 400 && big.status < 500, `an oversize trigger (${ctx.target.payloadLimitBytes + 1024} bytes of data) got ${big.status}, not a 4XX`);
        const next = await conn.request(channelInfoRequest(app, ctx.channel('public', 'after')));
        const text = next.body.toString('utf8');
        must(isChannelInfo(next.status, text), `the channel query after the ${big.status} read ${next.status} ${text.slice(0, 120)} on ${next.connection}: a response that is not its own`);
        const third = await conn.request(channelInfoRequest(app, ctx.channel('public', 'third')));
        must(isChannelInfo(third.status, third.body.toString('utf8')), `the third request read ${third.status}, not its own channel info`);
        mustEqual(unsolicited, [], 'responses nobody asked for');
        const used = new Set([big.connection, next.connection, third.connection]).size;
        const how = used === 1 ? 'all on one connection' : `over ${used} connections: the server closes a connection after its response (Connection: close)`;
        return `${big.status}, then 200 channel info twice; ${how}`;
      } finally {
        conn.close();
      }
    },
  },
  {
    id: 'rest.keepalive-pusher-client',
    title: 'keep-alive with the pusher client: an oversize trigger, then a valid one, each gets its own answer',
    needs: [],
    async run(ctx) {
      const { app, port } = ctx.target;
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const rest = new Pusher({ appId: app.id, key: app.key, secret: app.secret, host: LOOPBACK_HOST, port: String(port), useTLS: false, agent, timeout: ctx.timeoutMs });
      try {
        const name = ctx.channel('public', 'ka');
        const big = await rest.trigger(name, EVENT, oversizeData(ctx)).then((r) => r.status, rejectionStatus);
        must(big >= 400 && big < 500, `an oversize trigger got ${big}, not a 4XX`);
        const ok = await rest.trigger(name, EVENT, { n: 1 }).then((r) => r.status, rejectionStatus);
        mustEqual(ok, 200, `status of the valid trigger after the ${big}`);
        const info = (await getJson(rest, `/channels/${name}`)) as { occupied?: unknown };
        mustEqual(typeof info.occupied, 'boolean', 'channel info after the valid trigger');
        return `${big}, then 200, then channel info`;
      } finally {
        agent.destroy();
      }
    },
  },
];
