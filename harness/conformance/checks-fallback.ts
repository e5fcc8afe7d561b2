/** Each HTTP fallback transport with pusher-js forced onto it: connect, auth, REST events, client events. */
import type { ConformanceCheck } from './check.ts';
import { must, mustEqual } from './must.ts';
import type { FallbackTransport } from './target.ts';

export function fallbackCheck(transport: FallbackTransport): ConformanceCheck {
  return {
    id: `fallback.${transport}`,
    title: `pusher-js over ${transport}: private channel, REST events and client events both ways`,
    needs: [transport],
    async run(ctx) {
      const name = ctx.channel('private', transport);
      const f = await ctx.connect({ transport });
      mustEqual(f.transportName(), transport, 'transport in use');
      const w = await ctx.connect();
      const chF = await f.subscribe(name);
      const chW = await w.subscribe(name);
      const rest = f.collect(chF, 'conf-event', 2);
      await ctx.rest().trigger(name, 'conf-event', { n: 0 });
      await ctx.rest().trigger(name, 'conf-event', { n: 1 });
      mustEqual(await rest, [{ n: 0 }, { n: 1 }], `REST events at the ${transport} client`);
      const atW = w.collect(chW, 'client-up', 1);
      must(chF.trigger('client-up', { from: transport }), 'pusher-js refused to send the client event');
      mustEqual(await atW, [{ from: transport }], `client event from the ${transport} client at a WebSocket client`);
      const atF = f.collect(chF, 'client-down', 1);
      chW.trigger('client-down', { to: transport });
      mustEqual(await atF, [{ to: transport }], `client event from a WebSocket client at the ${transport} client`);
      return `connected over ${transport}; private channel authorized; 2 REST events and client events both ways`;
    },
  };
}
