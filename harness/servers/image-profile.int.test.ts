// "An image you give": the example mapping of docs/servers.md (sockudo configured by environment
// alone) with the sockudo image this machine built standing in for a team's image. One pod starts
// from the mapping, answers ready, its metrics map through the file's names, and it delivers.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP } from '../load/app.ts';
import { connect, RestClient, type PusherConnection } from '../load/pusher-client/index.ts';
import { removeContainers } from '../platform/cleanup.ts';
import { applyHarnessEnv } from '../platform/env.ts';
import { LABEL_RUN_ID } from '../platform/labels.ts';
import { samplePod } from '../topology/pod-sampler.ts';
import type { StartedPod } from '../topology/pod.ts';
import { BUILD_WAIT_MS, prepareServer } from './prepare.ts';
import { serverProfile } from './registry.ts';
import { sockudoProfile } from './sockudo.ts';
import { startStandalonePod } from './standalone-pod.ts';

applyHarnessEnv();
const runId = `image-${randomUUID().slice(0, 8)}`;
let workDir: string;
let pod: StartedPod;
const open: PusherConnection[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'harness-image-'));
  const sockudoImage = (await prepareServer(sockudoProfile, (l) => console.log(l))).image;
  const example = JSON.parse(await readFile(resolve(import.meta.dirname, '../../docs/servers/sockudo-by-env.json'), 'utf8')) as Record<string, unknown>;
  const mapping = join(workDir, 'mapping.json');
  await writeFile(mapping, JSON.stringify({ ...example, image: sockudoImage }));
  const server = await prepareServer(serverProfile(`image:${mapping}`), (l) => console.log(l));
  pod = await startStandalonePod(server, { runId, workDir, memoryMb: 256 });
  // Waits for a sockudo build set-up started in the background (bounded, with progress lines).
}, BUILD_WAIT_MS + 120_000);

afterAll(async () => {
  for (const c of open) c.close();
  await pod?.remove();
  await removeContainers({ [LABEL_RUN_ID]: runId });
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('a server profile from an image and a mapping file', () => {
  it('starts a pod that is ready, reads its metrics through the mapping and delivers', async () => {
    expect(pod.ready).toBe(true);
    expect(pod.server.name).toBe('sockudo-env');
    const endpoint = { port: pod.spec.port };
    const sub = await connect({ endpoint, app: APP, transport: 'ws', timeoutMs: 5000 });
    open.push(sub);
    await sub.subscribe('probe-1');
    const got = new Promise<string>((r) => sub.onEvent((f) => f.event === 'hello' && r(String(f.data))));
    const rest = new RestClient(endpoint, APP);
    expect((await rest.publish(['probe-1'], 'hello', 'world')).status).toBe(200);
    rest.close();
    expect(await got).toBe('world');
    expect(await samplePod(pod)).toMatchObject({ ready: true, connections: { ws: 1 } });
  });
});
