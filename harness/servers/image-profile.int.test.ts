// "An image you give": the example mapping of docs/servers.md (sockudo configured by environment
// alone) with the sockudo image this machine built standing in for a team's image. One pod starts
// from the mapping, answers ready, its metrics map through the file's names, and it delivers.
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP } from '../load/app.ts';
import { connect, RestClient } from '../load/pusher-client/index.ts';
import { samplePod } from '../topology/pod-sampler.ts';
import { prepareServer } from './prepare.ts';
import { serverProfile } from './registry.ts';
import { sockudoProfile } from './sockudo.ts';
import { startStandalonePod } from './standalone-pod.ts';
import { standalonePodPerFile } from './testing/standalone-pod-fixture.ts';

// Waits for a sockudo build set-up started in the background (bounded, with progress lines).
const f = standalonePodPerFile('image', async (ctx) => {
  const sockudoImage = (await prepareServer(sockudoProfile, (l) => console.log(l))).image;
  const example = JSON.parse(await readFile(resolve(import.meta.dirname, '../../docs/servers/sockudo-by-env.json'), 'utf8')) as Record<string, unknown>;
  const mapping = join(ctx.workDir, 'mapping.json');
  await writeFile(mapping, JSON.stringify({ ...example, image: sockudoImage }));
  return startStandalonePod(await prepareServer(serverProfile(`image:${mapping}`), (l) => console.log(l)), { ...ctx, memoryMb: 256 });
});

describe('a server profile from an image and a mapping file', () => {
  it('starts a pod that is ready, reads its metrics through the mapping and delivers', async () => {
    expect(f.pod.ready).toBe(true);
    expect(f.pod.server.name).toBe('sockudo-env');
    const endpoint = { port: f.pod.spec.port };
    const sub = await connect({ endpoint, app: APP, transport: 'ws', timeoutMs: 5000 });
    f.open.push(sub);
    await sub.subscribe('probe-1');
    const got = new Promise<string>((r) => sub.onEvent((f) => f.event === 'hello' && r(String(f.data))));
    const rest = new RestClient(endpoint, APP);
    expect((await rest.publish(['probe-1'], 'hello', 'world')).status).toBe(200);
    rest.close();
    expect(await got).toBe('world');
    expect(await samplePod(f.pod)).toMatchObject({ ready: true, connections: { ws: 1 } });
  });
});
