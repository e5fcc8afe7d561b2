import type { Fault } from './fault.ts';
import { FaultError } from './fault.ts';
import { linkProxy, listToxics } from './link.ts';

export const toxicAdd: Fault<'toxic.add'> = {
  type: 'toxic.add',
  async apply(ctx, link, params) {
    const { proxy, apiUrl } = await linkProxy(ctx, link);
    await proxy.addToxic({ name: params.name, type: params.kind, stream: params.stream, toxicity: params.toxicity, attributes: params.attributes } as never);
    ctx.teardown.add(`remove toxic ${params.name} from ${link}`, () => fetch(`${apiUrl}/proxies/${link}/toxics/${params.name}`, { method: 'DELETE' }));
    const toxics = await listToxics(apiUrl, link);
    if (!toxics.some((t) => t.name === params.name)) throw new FaultError(`toxic ${params.name} not listed on ${link} after adding it`, { toxics });
    return { link, toxics };
  },
};

export const toxicRemove: Fault<'toxic.remove'> = {
  type: 'toxic.remove',
  async apply(ctx, link, params) {
    const { apiUrl } = await linkProxy(ctx, link);
    const res = await fetch(`${apiUrl}/proxies/${link}/toxics/${params.name}`, { method: 'DELETE' });
    if (!res.ok) throw new FaultError(`toxiproxy: removing ${params.name} from ${link} answered ${res.status}`);
    return { link, toxics: await listToxics(apiUrl, link) };
  },
};
