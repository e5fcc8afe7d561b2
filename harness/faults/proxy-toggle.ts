import type { Fault, FaultContext } from './fault.ts';
import { linkProxy, proxyEnabled } from './link.ts';

async function setEnabled(ctx: FaultContext, link: string, enabled: boolean): Promise<boolean> {
  const { proxy, apiUrl } = await linkProxy(ctx, link);
  await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
  return proxyEnabled(apiUrl, link);
}

export const proxyDisable: Fault<'proxy.disable'> = {
  type: 'proxy.disable',
  async apply(ctx, link, params) {
    const enabled = await setEnabled(ctx, link, false);
    const heal = () => setEnabled(ctx, link, true);
    ctx.teardown.add(`re-enable link ${link}`, heal);
    if (params.durationS) setTimeout(() => void heal().catch(() => undefined), params.durationS * 1000);
    return { link, enabled, durationS: params.durationS };
  },
};

export const proxyEnable: Fault<'proxy.enable'> = {
  type: 'proxy.enable',
  async apply(ctx, link) {
    return { link, enabled: await setEnabled(ctx, link, true) };
  },
};
