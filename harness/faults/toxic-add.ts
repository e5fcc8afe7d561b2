import { z } from 'zod';
import { idSchema } from '../scenario/vocabulary.ts';
import { defineAction, FaultError, none } from './fault.ts';
import { linkProxy, listToxics } from './link.ts';

const toxicKinds = z.enum(['latency', 'bandwidth', 'timeout', 'reset_peer', 'slicer', 'limit_data']);

export const toxicAdd = defineAction({
  type: 'toxic.add',
  target: 'link',
  summary: 'add a Toxiproxy toxic to a link',
  params: z.strictObject({
    name: idSchema,
    kind: toxicKinds,
    stream: z.enum(['upstream', 'downstream']).default('downstream'),
    toxicity: z.number().min(0).max(1).default(1),
    attributes: z.record(z.string(), z.number()).default({}),
  }),
  waitsOn: none,
  names: none,
  async apply(ctx, link, params) {
    const { proxy, apiUrl } = await linkProxy(ctx, link);
    await proxy.addToxic({ name: params.name, type: params.kind, stream: params.stream, toxicity: params.toxicity, attributes: params.attributes } as never);
    const toxics = await listToxics(apiUrl, link);
    if (!toxics.some((t) => t.name === params.name)) throw new FaultError(`toxic ${params.name} not listed on ${link} after adding it`, { toxics });
    return { link, toxics };
  },
  // At teardown; a toxic.remove earlier in the timeline already did it (then Toxiproxy answers 404).
  heal: {
    describe: (link, p) => `remove toxic ${p.name} from ${link}`,
    afterS: () => undefined,
    async run(ctx, link, params) {
      const { apiUrl } = await linkProxy(ctx, link);
      const res = await fetch(`${apiUrl}/proxies/${link}/toxics/${params.name}`, { method: 'DELETE' });
      return { link, status: res.status, toxics: await listToxics(apiUrl, link) };
    },
  },
});

export const toxicRemove = defineAction({
  type: 'toxic.remove',
  target: 'link',
  summary: 'remove a toxic',
  params: z.strictObject({ name: idSchema }),
  waitsOn: none,
  names: none,
  heal: null,
  async apply(ctx, link, params) {
    const { apiUrl } = await linkProxy(ctx, link);
    const res = await fetch(`${apiUrl}/proxies/${link}/toxics/${params.name}`, { method: 'DELETE' });
    if (!res.ok) throw new FaultError(`toxiproxy: removing ${params.name} from ${link} answered ${res.status}`);
    return { link, toxics: await listToxics(apiUrl, link) };
  },
});
