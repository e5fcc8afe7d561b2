import { z } from 'zod';
import { defineAction, none, type FaultContext } from './fault.ts';
import { linkProxy, proxyEnabled } from './link.ts';

async function setEnabled(ctx: FaultContext, link: string, enabled: boolean): Promise<boolean> {
  const { proxy, apiUrl } = await linkProxy(ctx, link);
  await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
  return proxyEnabled(apiUrl, link);
}

export const proxyDisable = defineAction({
  type: 'proxy.disable',
  target: 'link',
  summary: 'cut a link (Toxiproxy proxy disabled)',
  params: z.strictObject({ durationS: z.number().positive().optional() }),
  waitsOn: none,
  names: none,
  async apply(ctx, link, params) {
    return { link, enabled: await setEnabled(ctx, link, false), durationS: params.durationS };
  },
  heal: {
    describe: (link) => `re-enable link ${link}`,
    afterS: (p) => p.durationS,
    run: async (ctx, link) => ({ link, enabled: await setEnabled(ctx, link, true) }),
  },
});

export const proxyEnable = defineAction({
  type: 'proxy.enable',
  target: 'link',
  summary: 're-enable a link',
  params: z.strictObject({}),
  waitsOn: none,
  names: none,
  heal: null,
  async apply(ctx, link) {
    return { link, enabled: await setEnabled(ctx, link, true) };
  },
});
