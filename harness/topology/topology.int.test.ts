// A small cluster in real containers: Redis, two deployments of the server under test, the HAProxy
// edge in front. Checks that traffic really flows through the edge by weight, that weights change
// live and read back, that a killed pod is seen dead, and that nothing is left afterwards.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../platform/docker.ts';
import { applyHarnessEnv } from '../platform/env.ts';
import { LABEL_RUN_ID } from '../platform/labels.ts';
import { MemoryHistory } from '../history/memory-history.ts';
import { samplePod } from './pod-sampler.ts';
import { connect } from '../load/pusher-client/index.ts';
import type { StartedTopology } from './topology.ts';
import { testTopology, wsConnectionsOn } from './testing/test-topology.ts';

applyHarnessEnv();
const fixture = testTopology('topo');
let topo: StartedTopology;

/** Opens a Pusher WebSocket through the edge and returns the pod that answered (from its socket_id). */
function connectThroughEdge(port: number): Promise<{ socketId: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/app/harness-key?protocol=7&client=js&version=8.4.0`);
    const timer = setTimeout(() => reject(new Error('no connection_established within 5 s')), 5000);
    ws.once('message', (data) => {
      clearTimeout(timer);
      const msg = JSON.parse(String(data)) as { event: string; data: string };
      ws.close();
      if (msg.event !== 'pusher:connection_established') reject(new Error(`unexpected ${msg.event}`));
      else resolve({ socketId: (JSON.parse(msg.data) as { socket_id: string }).socket_id });
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

beforeAll(async () => {
  topo = await fixture.start({
    redis: true,
    deployments: [
      { name: 'old', roles: ['ws', 'rest'], replicas: 1, appVersion: 'v1', env: {}, memoryMb: 128, restartPolicy: 'no' },
      { name: 'new', roles: ['ws', 'rest'], replicas: 2, appVersion: 'v1', env: {}, memoryMb: 128, restartPolicy: 'no' },
      { name: 'fb', roles: ['fallback'], replicas: 2, appVersion: 'v1', env: {}, memoryMb: 128, restartPolicy: 'no' },
    ],
    edge: {
      listeners: [{ name: 'public', mode: 'keep-alive', routes: { ws: { old: 100, new: 0 }, fallback: { fb: 100 } } }],
      healthCheck: { enabled: true, intervalMs: 500, fall: 2, rise: 1 },
      maxconn: 2000,
    },
    links: { redis: true },
  });
});

afterAll(async () => {
  await fixture.stop();
});

describe('a started topology', () => {
  it('has every pod ready and reachable through Toxiproxy to Redis', async () => {
    expect(topo.pods().map((p) => p.ready)).toEqual([true, true, true, true, true]);
    expect(topo.podRedisUrl).not.toBe(topo.redis!.url);
    const health = (await (await fetch(`${topo.pods('new')[0]!.url}/healthz`)).json()) as { pod: string; version: string };
    expect(health.pod).toBe('new-1');
  });

  it('sends new connections by the edge weights, and follows a live weight shift', async () => {
    const port = topo.edgePorts.get('public')![0]!;
    for (let i = 0; i < 6; i++) await connectThroughEdge(port);
    // Connections close right away, so count what each pod served via its own metrics is not possible;
    // instead hold sockets open and read the pods' connection gauges.
    const open: WebSocket[] = [];
    const hold = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/app/harness-key?protocol=7&client=js&version=8.4.0`);
        await new Promise((r) => ws.once('message', r));
        open.push(ws);
      }
    };
    await hold(10);
    expect(await wsConnectionsOn(topo, 'old')).toBe(10);
    expect(await wsConnectionsOn(topo, 'new')).toBe(0);

    const readBack = await topo.edge!.setWeights('public', 'ws', { old: 0, new: 100 });
    expect(readBack).toEqual({ edge: { new: 100 } });
    await hold(10);
    expect(await wsConnectionsOn(topo, 'old')).toBe(10);
    expect(await wsConnectionsOn(topo, 'new')).toBe(10);
    for (const ws of open) ws.close();
  });

  it('keeps each HTTP-fallback session on one pod of a two-pod fallback deployment', async () => {
    // Stream, sends and polls of one session must reach the pod holding it, or subscribing fails.
    const port = topo.edgePorts.get('public')![0]!;
    const conns = await Promise.all(
      Array.from({ length: 6 }, () => connect({ endpoint: { port }, app: { key: 'harness-key', secret: 'harness-secret' }, transport: 'xhr_streaming', timeoutMs: 5000 })),
    );
    try {
      await Promise.all(conns.map((c, i) => c.subscribe(`sticky-${i}`)));
      const perPod = (await Promise.all(topo.pods('fb').map((p) => samplePod(p)))).map((s) => (s.type === 'pod.sample' && s.connections?.xhr_streaming) || 0);
      expect(perPod.reduce((a, b) => a + b, 0)).toBe(6);
    } finally {
      for (const c of conns) c.close();
    }
  });

  it('records a SIGKILLed pod as exited with code 137 and not OOM-killed', async () => {
    const pod = topo.pods('new')[1]!;
    await pod.kill('SIGKILL');
    let state = await pod.state();
    for (let i = 0; i < 50 && state.running; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await pod.state();
    }
    expect(state).toMatchObject({ running: false, exitCode: 137, oomKilled: false });
    const history = new MemoryHistory();
    history.record(await samplePod(pod));
    const [sample] = history.list();
    expect(sample).toMatchObject({ type: 'pod.sample', pod: 'new-2', state: 'exited', ready: false });
  });
});

describe('afterwards', () => {
  it('stop() removes every container of the run', async () => {
    await topo.stop();
    const api = await docker();
    const left = await api.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_RUN_ID}=${fixture.runId}`] }) });
    expect(left).toEqual([]);
  });
});
