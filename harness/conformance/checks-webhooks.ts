/**
 * Webhooks, verified with the `pusher` client's signature check at the command's receiver:
 * channel_occupied/vacated, member_added/removed, client_event, and channel_occupied caused by a
 * fallback client (the 2022-08 incident lost exactly those).
 */
import type { ConformanceCheck } from './check.ts';
import type { CheckContext } from './check-context.ts';
import { must } from './must.ts';
import { webhooksOver, type FallbackTransport } from './target.ts';
import type { ReceivedWebhook } from './webhook-inbox.ts';

/** Pusher delays channel_vacated by a few seconds; allow more than a delivery timeout for it. */
const VACATED_GRACE_MS = 10_000;

async function expectWebhook(ctx: CheckContext, what: string, channel: string, match: (w: ReceivedWebhook) => boolean, timeoutMs = ctx.timeoutMs): Promise<ReceivedWebhook> {
  const inbox = ctx.webhooks;
  must(inbox !== undefined, 'no webhook receiver is running');
  const hit = await inbox.waitFor((w) => w.channel === channel && match(w), timeoutMs);
  must(hit !== undefined, () => `no ${what} webhook for ${channel} within ${timeoutMs} ms; received on it: ${inbox.seenOn(channel)}`);
  must(hit.signatureValid, `the ${what} webhook for ${channel} carries a signature that does not verify with the app key and secret`);
  return hit;
}

export const webhookChecks: readonly ConformanceCheck[] = [
  {
    id: 'webhooks.occupied-vacated',
    title: 'channel_occupied and channel_vacated webhooks, signed',
    needs: ['webhooks'],
    async run(ctx) {
      const name = ctx.channel('public', 'hook');
      const c = await ctx.connect();
      await c.subscribe(name);
      await expectWebhook(ctx, 'channel_occupied', name, (w) => w.name === 'channel_occupied');
      c.disconnect();
      await expectWebhook(ctx, 'channel_vacated', name, (w) => w.name === 'channel_vacated', ctx.timeoutMs + VACATED_GRACE_MS);
      return 'channel_occupied on subscribe, channel_vacated on leave; signatures valid';
    },
  },
  {
    id: 'webhooks.member-added-removed',
    title: 'member_added and member_removed webhooks with the user id, signed',
    needs: ['webhooks'],
    async run(ctx) {
      const name = ctx.channel('presence', 'hook');
      const alice = await ctx.connect({ userId: 'alice' });
      await alice.subscribe(name);
      const bob = await ctx.connect({ userId: 'bob' });
      await bob.subscribe(name);
      await expectWebhook(ctx, 'member_added (bob)', name, (w) => w.name === 'member_added' && w.userId === 'bob');
      bob.disconnect();
      await expectWebhook(ctx, 'member_removed (bob)', name, (w) => w.name === 'member_removed' && w.userId === 'bob', ctx.timeoutMs + VACATED_GRACE_MS);
      return 'member_added and member_removed for bob; signatures valid';
    },
  },
  {
    id: 'webhooks.client-event',
    title: 'a client event on a private channel produces a client_event webhook, signed',
    needs: ['webhooks', 'client-event-webhooks'],
    async run(ctx) {
      const name = ctx.channel('private', 'hook');
      const a = await ctx.connect();
      const b = await ctx.connect();
      const chA = await a.subscribe(name);
      const chB = await b.subscribe(name);
      const atB = b.collect(chB, 'client-hook', 1);
      must(chA.trigger('client-hook', { x: 1 }), 'pusher-js refused to send the client event');
      await atB;
      await expectWebhook(ctx, 'client_event (client-hook)', name, (w) => w.name === 'client_event' && w.event === 'client-hook');
      return 'client_event webhook naming client-hook; signature valid';
    },
  },
];

/** channel_occupied caused by a client on a fallback transport. */
export function fallbackWebhookCheck(transport: FallbackTransport): ConformanceCheck {
  return {
    id: `webhooks.${transport}-occupied`,
    title: `a ${transport} client's subscription produces a channel_occupied webhook, signed`,
    needs: [webhooksOver(transport)],
    async run(ctx) {
      const name = ctx.channel('public', `hook-${transport}`);
      const c = await ctx.connect({ transport });
      await c.subscribe(name);
      await expectWebhook(ctx, 'channel_occupied', name, (w) => w.name === 'channel_occupied');
      return `channel_occupied for a ${transport} client; signature valid`;
    },
  };
}
