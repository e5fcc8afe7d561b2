// One sockudo pod in a real container, started through its profile: it becomes ready on its port,
// the pod sampler reads its metrics through the name mapping, a published event reaches a
// subscriber, and at its connection cap it refuses the next client with pusher:error 4100.
import { describe, expect, it } from 'vitest';
import { APP } from '../load/app.ts';
import { ConnectError, connect, RestClient } from '../load/pusher-client/index.ts';
import { samplePod } from '../topology/pod-sampler.ts';
import { prepareServer } from './prepare.ts';
import { sockudoProfile } from './sockudo.ts';
import { startStandalonePod } from './standalone-pod.ts';
import { standalonePodPerFile } from './testing/standalone-pod-fixture.ts';

const CAP = 3;
// Waits for a sockudo build set-up started in the background (bounded, with progress lines).
const f = standalonePodPerFile('sockudo', async (ctx) => startStandalonePod(await prepareServer(sockudoProfile, (l) => console.log(l)), { ...ctx, maxConnections: CAP, memoryMb: 256 }));

describe('a sockudo pod through its profile', () => {
  it('is ready on its own port and its metrics map onto ours', async () => {
    expect(f.pod.ready).toBe(true);
    expect((await fetch(f.pod.readyUrl)).status).toBe(200);
    const sample = await samplePod(f.pod);
    expect(sample).toMatchObject({ type: 'pod.sample', state: 'running', ready: true, connections: { ws: 0 } });
  });

  it('delivers a REST publish to a WebSocket subscriber', async () => {
    const endpoint = { port: f.pod.spec.port };
    const sub = await connect({ endpoint, app: APP, transport: 'ws', timeoutMs: 5000 });
    f.open.push(sub);
    await sub.subscribe('probe-1');
    const got = new Promise<string>((resolve) => sub.onEvent((f) => f.event === 'hello' && resolve(String(f.data))));
    const rest = new RestClient(endpoint, APP);
    const res = await rest.publish(['probe-1'], 'hello', 'world');
    rest.close();
    expect(res.status).toBe(200);
    expect(await got).toBe('world');
    const sample = await samplePod(f.pod);
    expect(sample).toMatchObject({ connections: { ws: 1 } });
  });

  it('refuses the connection over its cap with pusher:error 4100', async () => {
    const endpoint = { port: f.pod.spec.port };
    while (f.open.length < CAP) f.open.push(await connect({ endpoint, app: APP, transport: 'ws', timeoutMs: 5000 }));
    const over = await connect({ endpoint, app: APP, transport: 'ws', timeoutMs: 5000 }).then(
      (c) => {
        f.open.push(c);
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(over).toBeInstanceOf(ConnectError);
    expect({ reason: (over as ConnectError).reason, code: (over as ConnectError).code }).toEqual({ reason: 'close', code: 4100 });
    const sample = await samplePod(f.pod);
    expect(sample).toMatchObject({ connections: { ws: CAP } });
  });
});
