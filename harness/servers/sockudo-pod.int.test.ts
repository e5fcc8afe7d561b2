// One sockudo pod in a real container, started through its profile: it becomes ready on its port,
// the pod sampler reads its metrics through the name mapping, a published event reaches a
// subscriber, and at its connection cap it refuses the next client with pusher:error 4100.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP } from '../load/app.ts';
import { ConnectError, connect, RestClient, type PusherConnection } from '../load/pusher-client/index.ts';
import { removeContainers } from '../platform/cleanup.ts';
import { applyHarnessEnv } from '../platform/env.ts';
import { LABEL_RUN_ID } from '../platform/labels.ts';
import { samplePod } from '../topology/pod-sampler.ts';
import type { StartedPod } from '../topology/pod.ts';
import { BUILD_WAIT_MS, prepareServer } from './prepare.ts';
import { sockudoProfile } from './sockudo.ts';
import { startStandalonePod } from './standalone-pod.ts';

applyHarnessEnv();
const runId = `sockudo-${randomUUID().slice(0, 8)}`;
const CAP = 3;
let pod: StartedPod;
let workDir: string;
const open: PusherConnection[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'harness-sockudo-'));
  const server = await prepareServer(sockudoProfile, (l) => console.log(l));
  pod = await startStandalonePod(server, { runId, workDir, maxConnections: CAP, memoryMb: 256 });
  // Waits for a sockudo build set-up started in the background (bounded, with progress lines).
}, BUILD_WAIT_MS + 120_000);

afterAll(async () => {
  for (const c of open) c.close();
  await pod?.remove();
  await removeContainers({ [LABEL_RUN_ID]: runId });
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('a sockudo pod through its profile', () => {
  it('is ready on its own port and its metrics map onto ours', async () => {
    expect(pod.ready).toBe(true);
    expect((await fetch(pod.readyUrl)).status).toBe(200);
    const sample = await samplePod(pod);
    expect(sample).toMatchObject({ type: 'pod.sample', state: 'running', ready: true, connections: { ws: 0 } });
  });

  it('delivers a REST publish to a WebSocket subscriber', async () => {
    const endpoint = { port: pod.spec.port };
    const sub = await connect({ endpoint, app: APP, transport: 'ws', timeoutMs: 5000 });
    open.push(sub);
    await sub.subscribe('probe-1');
    const got = new Promise<string>((resolve) => sub.onEvent((f) => f.event === 'hello' && resolve(String(f.data))));
    const rest = new RestClient(endpoint, APP);
    const res = await rest.publish(['probe-1'], 'hello', 'world');
    rest.close();
    expect(res.status).toBe(200);
    expect(await got).toBe('world');
    const sample = await samplePod(pod);
    expect(sample).toMatchObject({ connections: { ws: 1 } });
  });

  it('refuses the connection over its cap with pusher:error 4100', async () => {
    const endpoint = { port: pod.spec.port };
    while (open.length < CAP) open.push(await connect({ endpoint, app: APP, transport: 'ws', timeoutMs: 5000 }));
    const over = await connect({ endpoint, app: APP, transport: 'ws', timeoutMs: 5000 }).then(
      (c) => {
        open.push(c);
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(over).toBeInstanceOf(ConnectError);
    expect({ reason: (over as ConnectError).reason, code: (over as ConnectError).code }).toEqual({ reason: 'close', code: 4100 });
    const sample = await samplePod(pod);
    expect(sample).toMatchObject({ connections: { ws: CAP } });
  });
});
