// An edge of two HAProxy processes in real containers, in front of two one-pod deployments: each
// process routes by the same weights, a weight change and a pod taken out of rotation reach both,
// each process health-checks every pod itself, and nothing is left afterwards.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../platform/docker.ts';
import { applyHarnessEnv } from '../platform/env.ts';
import { LABEL_RUN_ID } from '../platform/labels.ts';
import type { StartedTopology } from './topology.ts';
import { testTopology, wsConnectionsOn } from './testing/test-topology.ts';

applyHarnessEnv();
const fixture = testTopology('edges');
let topo: StartedTopology;
const open: WebSocket[] = [];

/** Opens `n` Pusher WebSockets through one edge port and keeps them open. */
async function hold(port: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/app/harness-key?protocol=7&client=js&version=8.4.0`);
    await new Promise((resolve, reject) => {
      ws.once('message', resolve);
      ws.once('error', reject);
    });
    open.push(ws);
  }
}

beforeAll(async () => {
  topo = await fixture.start({
    redis: false,
    deployments: [
      { name: 'old', roles: ['ws'], replicas: 1, appVersion: 'v1', env: {}, memoryMb: 128, restartPolicy: 'no' },
      { name: 'new', roles: ['ws'], replicas: 1, appVersion: 'v1', env: {}, memoryMb: 128, restartPolicy: 'no' },
    ],
    edge: {
      listeners: [{ name: 'public', mode: 'keep-alive', routes: { ws: { old: 100, new: 0 } } }],
      healthCheck: { enabled: true, intervalMs: 300, fall: 2, rise: 1 },
      maxconn: 1000,
      processes: 2,
    },
  });
});

afterAll(async () => {
  for (const ws of open) ws.terminate();
  await fixture.stop();
});

describe('an edge of two processes', () => {
  it('listens on its own port per process, both routing by the weights', async () => {
    const ports = topo.edgePorts.get('public')!;
    expect(ports).toHaveLength(2);
    expect(new Set(ports).size).toBe(2);
    expect(topo.edge!.processes.map((p) => p.name)).toEqual(['edge-1', 'edge-2']);
    await hold(ports[0]!, 3);
    await hold(ports[1]!, 3);
    expect(await wsConnectionsOn(topo, 'old')).toBe(6);
    expect(await wsConnectionsOn(topo, 'new')).toBe(0);
  });

  it('applies a weight change to every process and reads each one back', async () => {
    const ports = topo.edgePorts.get('public')!;
    expect(await topo.edge!.setWeights('public', 'ws', { old: 0, new: 100 })).toEqual({ 'edge-1': { new: 100 }, 'edge-2': { new: 100 } });
    await hold(ports[0]!, 2);
    await hold(ports[1]!, 2);
    expect(await wsConnectionsOn(topo, 'old')).toBe(6);
    expect(await wsConnectionsOn(topo, 'new')).toBe(4);
  });

  it('health-checks each pod from each process, and takes a pod out of rotation on both', async () => {
    const servers = await topo.edge!.serversOf('new');
    expect(servers.map((s) => `${s.process} ${s.server} ${s.status.split(' ')[0]}`).sort()).toEqual(['edge-1 new-1 UP', 'edge-2 new-1 UP']);
    await topo.edge!.setPodState('new', 'new-1', 'maint');
    const after = await topo.edge!.serversOf('new');
    expect(after.map((s) => `${s.process} ${s.status.split(' ')[0]}`).sort()).toEqual(['edge-1 MAINT', 'edge-2 MAINT']);
  });

  it('stop() removes both processes and every pod', async () => {
    await topo.stop();
    const api = await docker();
    const left = await api.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_RUN_ID}=${fixture.runId}`] }) });
    expect(left).toEqual([]);
  });
});
