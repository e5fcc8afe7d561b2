// Issue 13 on real containers: a Toxiproxy `timeout` toxic on the Redis link (packets held, TCP
// connections left open: a partition, not a closed link). Publishes fail fast with 503 on every
// pod; the pod in deep readiness mode fails its /readyz and HAProxy takes it out of rotation,
// while a pod whose readiness only sees open connections (watchdog effectively off) stays in.
import Pusher from 'pusher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHarnessEnv } from '../platform/env.ts';
import type { StartedTopology } from './topology.ts';
import { testTopology } from './testing/test-topology.ts';

applyHarnessEnv();
const fixture = testTopology('partition');
const app = { id: '1', key: 'harness-key', secret: 'harness-secret' };
let topo: StartedTopology;

const deadlines = { REDIS_COMMAND_TIMEOUT_MS: '500', REDIS_PING_INTERVAL_MS: '250', READINESS_DEADLINE_MS: '300' };

beforeAll(async () => {
  topo = await fixture.start({
    app,
    redis: true,
    deployments: [
      { name: 'deep', roles: ['ws', 'rest'], replicas: 1, appVersion: 'v1', env: { ...deadlines, READINESS_MODE: 'deep', REDIS_PARTITION_TIMEOUT_MS: '2000' }, memoryMb: 128, restartPolicy: 'no' },
      { name: 'shallow', roles: ['ws', 'rest'], replicas: 1, appVersion: 'v1', env: { ...deadlines, READINESS_MODE: 'shallow', REDIS_PARTITION_TIMEOUT_MS: '600000' }, memoryMb: 128, restartPolicy: 'no' },
    ],
    edge: {
      listeners: [{ name: 'public', mode: 'keep-alive', routes: { ws: { deep: 50, shallow: 50 } } }],
      healthCheck: { enabled: true, intervalMs: 500, fall: 2, rise: 1 },
      maxconn: 500,
    },
    links: { redis: true },
  });
});

afterAll(async () => {
  await fixture.stop();
});

function publishStatus(deployment: string): Promise<number | undefined> {
  const pod = topo.pods(deployment)[0]!;
  const client = new Pusher({ appId: app.id, key: app.key, secret: app.secret, host: '127.0.0.1', port: String(pod.spec.port), useTLS: false, timeout: 10_000 });
  return client.trigger('public-a', 'e', { n: 1 }).then(
    (r) => r.status,
    (e: { status?: number }) => e.status,
  );
}

async function edgeStatus(deployment: string): Promise<string[]> {
  return (await topo.edge!.serversOf(deployment)).map((s) => s.status.split(' ')[0]!);
}

describe('a partitioned Redis link (Toxiproxy timeout toxic)', () => {
  it('before: both pods in rotation and publishing', async () => {
    await expect.poll(() => edgeStatus('deep'), { timeout: 15_000, interval: 250 }).toEqual(['UP']);
    await expect.poll(() => edgeStatus('shallow'), { timeout: 15_000, interval: 250 }).toEqual(['UP']);
    expect(await publishStatus('deep')).toBe(200);
  });

  it('during: publishes answer 503; the deep-readiness pod leaves rotation, the shallow one stays', async () => {
    const proxy = await topo.toxiproxy!.client.get('redis');
    await proxy.addToxic({ name: 'partition', type: 'timeout', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } } as never);
    expect(await publishStatus('deep')).toBe(503);
    expect(await publishStatus('shallow')).toBe(503);
    await expect.poll(() => edgeStatus('deep'), { timeout: 20_000, interval: 250 }).toEqual(['DOWN']);
    // Its connections are still open, so a readiness that only sees them keeps a pod that cannot fan out.
    expect(await edgeStatus('shallow')).toEqual(['UP']);
    const readyz = await fetch(`${topo.pods('deep')[0]!.url}/readyz`);
    expect(readyz.status).toBe(503);
  });

  it('after: the toxic is removed and the deep pod comes back into rotation', async () => {
    await fetch(`${topo.toxiproxy!.apiUrl}/proxies/redis/toxics/partition`, { method: 'DELETE' });
    await expect.poll(() => edgeStatus('deep'), { timeout: 30_000, interval: 250 }).toEqual(['UP']);
    await expect.poll(() => publishStatus('deep'), { timeout: 15_000, interval: 250 }).toBe(200);
  });
});
